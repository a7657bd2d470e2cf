package protocol

import (
	"encoding/json"
	"fmt"
	"io"
)

// The batch form of the applications endpoint (sync.md §2.3, issue 3):
// POST /sync/v1/applications:batch carries up to MaxBatchItems
// applications, each with its UUID (the idempotency key), kind, frozen
// body and body digest. Each item is handled exactly as a PUT of that
// application would be, on its own: the answer holds one result per item,
// in order, with the status the PUT would have had and either its receipt
// (200 a repeat, 201 new) or its problem (400 invalid or digest mismatch,
// 413 too large, 422 the UUID was used with another body). A refused item
// never blocks the others. A server advertises the endpoint in
// Hello.BatchApplications; a client falls back to one PUT per item when
// it is absent.

// PathApplicationsBatch is the batch endpoint.
const PathApplicationsBatch = PathPrefix + "/applications:batch"

// Batch limits.
const (
	// MaxBatchItems is the most applications one batch carries.
	MaxBatchItems = 50
	// MaxBatchBytes caps the application bodies of one batch (before
	// base64); a client starts a new batch when the next body would
	// exceed it. One body alone may be up to MaxApplicationBytes.
	MaxBatchBytes = 256 << 10
	// MaxBatchRequestBytes caps the request body a server reads: the
	// bodies base64-encoded plus the JSON around them.
	MaxBatchRequestBytes = MaxBatchBytes*4/3 + MaxBatchItems*512 + 4<<10
)

// BatchItemV1 is one application in a batch. Body travels base64-encoded
// so that its bytes, and so its digest, arrive exactly as frozen in the
// outbox.
type BatchItemV1 struct {
	ID     string `json:"id"`             // the application UUID, its idempotency key
	Kind   string `json:"kind,omitempty"` // objection when empty
	Digest string `json:"digest"`         // hex SHA-256 of Body (BodyDigest)
	Body   []byte `json:"body"`
}

// BatchRequestV1 is the body of POST /applications:batch.
type BatchRequestV1 struct {
	Items []BatchItemV1 `json:"items"`
}

// BatchResultV1 is the outcome of one item: Status is the HTTP status a
// PUT of the item would have had; Receipt is set on 200/201, Problem
// otherwise.
type BatchResultV1 struct {
	ID      string     `json:"id"`
	Status  int        `json:"status"`
	Receipt *ReceiptV1 `json:"receipt,omitempty"`
	Problem *Problem   `json:"problem,omitempty"`
}

// BatchResponseV1 is the answer to a batch: one result per item, in the
// order of the request.
type BatchResponseV1 struct {
	Results []BatchResultV1 `json:"results"`
}

// DecodeBatchRequest reads and checks a batch request: valid JSON, at
// most MaxBatchRequestBytes, 1 to MaxBatchItems items. Items are not
// validated here: each gets its own result.
func DecodeBatchRequest(r io.Reader) (BatchRequestV1, error) {
	var req BatchRequestV1
	b, err := io.ReadAll(io.LimitReader(r, MaxBatchRequestBytes+1))
	if err != nil {
		return req, fmt.Errorf("protocol: batch: %w", err)
	}
	if len(b) > MaxBatchRequestBytes {
		return req, fmt.Errorf("protocol: batch: request over %d bytes", MaxBatchRequestBytes)
	}
	if err := json.Unmarshal(b, &req); err != nil {
		return req, fmt.Errorf("protocol: batch: %w", err)
	}
	if n := len(req.Items); n == 0 || n > MaxBatchItems {
		return req, fmt.Errorf("protocol: batch: %d items, want 1 to %d", n, MaxBatchItems)
	}
	return req, nil
}

// DecodeBatchResponse reads a batch answer (at most 4 MiB) and checks it
// has one result per item of req, in order.
func DecodeBatchResponse(r io.Reader, req BatchRequestV1) (BatchResponseV1, error) {
	var resp BatchResponseV1
	if err := json.NewDecoder(io.LimitReader(r, 4<<20)).Decode(&resp); err != nil {
		return resp, fmt.Errorf("protocol: batch answer: %w", err)
	}
	if len(resp.Results) != len(req.Items) {
		return resp, fmt.Errorf("protocol: batch answer has %d results for %d items", len(resp.Results), len(req.Items))
	}
	for i, res := range resp.Results {
		switch {
		case res.ID != req.Items[i].ID:
			return resp, fmt.Errorf("protocol: batch result %d is for %q, not %q", i, res.ID, req.Items[i].ID)
		case res.Status >= 200 && res.Status < 300 && res.Receipt == nil:
			return resp, fmt.Errorf("protocol: batch result %d: status %d without a receipt", i, res.Status)
		case res.Status < 200 || res.Status > 599:
			return resp, fmt.Errorf("protocol: batch result %d: status %d", i, res.Status)
		}
	}
	return resp, nil
}
