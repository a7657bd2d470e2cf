package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// InquiryLog is the device's own inquiry log as the upload reads it
// (Art. 24, 25, 45: logs sync to the platform and come back with the
// subject's data). store.DB implements it. The client uses it when
// Config.Outbox implements it too; otherwise no inquiry is uploaded.
type InquiryLog interface {
	// UnsentInquiries returns up to limit entries the platform has not
	// acknowledged nor refused, oldest first.
	UnsentInquiries(ctx context.Context, limit int) ([]credit.Inquiry, error)
	// MarkInquiriesSent records the platform's answer: ids it holds, and
	// the entries it refused with the reason (id → reason).
	MarkInquiriesSent(ctx context.Context, ids []string, rejected map[string]string) error
}

// inquiryBatch is how many entries one upload carries.
const inquiryBatch = 100

// uploadInquiries sends the device's unsent inquiry log entries in
// batches, after the applications. Entries are marked sent only for the
// ids the platform acknowledged. A failure is logged and retried next
// round: it never fails the round, nor blocks the pull. It returns how
// many entries were acknowledged.
func (c *Client) uploadInquiries(ctx context.Context) int {
	log, ok := c.cfg.Outbox.(InquiryLog)
	if !ok {
		return 0
	}
	sent := 0
	for {
		batch, err := log.UnsentInquiries(ctx, inquiryBatch)
		if err != nil {
			c.log.Error("read unsent inquiries", "err", err)
			return sent
		}
		if len(batch) == 0 {
			return sent
		}
		n, err := c.postInquiries(ctx, log, batch)
		sent += n
		switch {
		case errors.Is(err, errNoInquiryEndpoint):
			c.log.Info("the platform takes no inquiry logs yet; kept for later")
			return sent
		case err != nil:
			c.log.Warn("inquiry upload failed; the next round sends again", "err", err)
			return sent
		case n == 0 || len(batch) < inquiryBatch:
			return sent
		}
	}
}

// errNoInquiryEndpoint: the platform is older than the inquiry upload.
var errNoInquiryEndpoint = errors.New("platform has no inquiry endpoint")

// postInquiries uploads one batch and marks what the platform answered.
// It returns how many entries were acknowledged or refused.
func (c *Client) postInquiries(ctx context.Context, log InquiryLog, batch []credit.Inquiry) (int, error) {
	const op = "upload inquiries"
	body := protocol.InquiryBatchV1{Inquiries: make([]protocol.InquiryV1, len(batch))}
	sent := make(map[string]bool, len(batch))
	for i, q := range batch {
		body.Inquiries[i] = protocol.InquiryToWire(q)
		sent[q.ID] = true
	}
	b, err := json.Marshal(body)
	if err != nil {
		return 0, fmt.Errorf("syncclient: %s: %w", op, err)
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	// Idempotent by construction: every entry is stored once by its UUID.
	req, err := c.newRequest(idempotent(rctx), http.MethodPost, protocol.PathInquiries, b)
	if err != nil {
		return 0, fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	req.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(b))
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, unavailable(op, err)
	}
	defer drain(resp)
	switch {
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed:
		return 0, errNoInquiryEndpoint
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return 0, statusError(op, resp)
	}
	var ack protocol.InquiryAckV1
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ack); err != nil {
		return 0, fmt.Errorf("syncclient: %s: bad answer: %w", op, err)
	}
	// Only ids this batch sent can be marked: an answer naming others is
	// ignored for them.
	var ids []string
	for _, id := range ack.Acked {
		if sent[id] {
			ids = append(ids, id)
			delete(sent, id)
		}
	}
	rejected := map[string]string{}
	for _, r := range ack.Rejected {
		if sent[r.ID] {
			rejected[r.ID] = r.Reason
			delete(sent, r.ID)
			c.log.Warn("inquiry entry refused by the platform", "inquiry", r.ID, "reason", r.Reason)
		}
	}
	if err := log.MarkInquiriesSent(ctx, ids, rejected); err != nil {
		return 0, fmt.Errorf("syncclient: %s: mark sent: %w", op, err)
	}
	return len(ids) + len(rejected), nil
}
