package syncclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/sync/protocol"
)

// pushBatch is how many outbox items are read at a time.
const pushBatch = 50

// push sends pending applications oldest first: in batches when more
// than one is pending (push_batch.go), one PUT each when only one is or
// when the platform has no batch form. A refused item (400, 413, 422) is
// marked rejected and the next one goes; a network or server fault marks
// the attempt and stops pushing for this round.
func (c *Client) push(ctx context.Context, res *Result) error {
	if err := c.pushEvidence(ctx, res); err != nil { // blobs.go: evidence files first
		return err
	}
	seen := map[string]bool{}
	batch := protocol.MaxBatchItems // 0 once the platform refused the form
	for {
		items, err := c.cfg.Outbox.PendingOutbox(ctx, pushBatch)
		if err != nil {
			return fmt.Errorf("syncclient: read outbox: %w", err)
		}
		var fresh []credit.OutboxItem
		for _, it := range items {
			if !seen[it.ID] {
				seen[it.ID] = true
				fresh = append(fresh, it)
			}
		}
		err = errNoBatch
		if len(fresh) > 1 && batch > 1 {
			err = c.pushBatches(ctx, fresh, batch, res)
		}
		if errors.Is(err, errNoBatch) {
			batch, err = 0, c.pushEach(ctx, fresh, res)
		}
		if err != nil {
			return err
		}
		res.Pending = 0
		if len(fresh) == 0 || len(items) < pushBatch {
			return nil
		}
	}
}

// pushEach sends items one PUT each.
func (c *Client) pushEach(ctx context.Context, items []credit.OutboxItem, res *Result) error {
	for i, it := range items {
		res.Pending = len(items) - i
		c.progress(PhasePush, res, nil)
		if err := c.pushOne(ctx, it, res); err != nil {
			return err
		}
	}
	return nil
}

// pushOne sends one item. It returns an error only when pushing must stop.
func (c *Client) pushOne(ctx context.Context, it credit.OutboxItem, res *Result) error {
	op := "push " + it.ID
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(idempotent(rctx), http.MethodPut, protocol.PathApplications+url.PathEscape(it.ID), it.Body)
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	req.Header.Set(protocol.HeaderIdempotencyKey, `"`+it.ID+`"`)
	req.Header.Set(protocol.HeaderContentDigest, protocol.ContentDigest(it.Body))
	if it.Kind != "" {
		req.Header.Set(protocol.HeaderApplicationKind, string(it.Kind))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("syncclient: %s: %w", op, ctx.Err())
		}
		c.markAttempt(ctx, it.ID, "network: "+err.Error())
		return unavailable(op, err)
	}
	defer drain(resp)
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		rc, err := readReceipt(resp.Body, it)
		if err == nil {
			err = c.verifyReceipt(rc)
		}
		if err != nil {
			c.markAttempt(ctx, it.ID, err.Error())
			return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), err)
		}
		failpoint.Hit("syncclient.push.before-receipt") // F13: the platform stored it, the receipt is not yet saved
		if err := c.cfg.Outbox.MarkDelivered(ctx, rc); err != nil {
			return fmt.Errorf("syncclient: %s: mark delivered: %w", op, err)
		}
		res.Pushed++
		c.log.Info("application delivered", "application", it.ID, "server_seq", rc.ServerSeq)
		return nil
	case refused(resp.StatusCode):
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		if p.Code == protocol.CodeDigestMismatch { // damaged in transit, retries ran out: not the item's fault (F5)
			c.markAttempt(ctx, it.ID, "HTTP 400 "+p.Code)
			return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), p)
		}
		if err := c.cfg.Outbox.MarkRejected(ctx, it.ID, p.Message()); err != nil {
			return fmt.Errorf("syncclient: %s: mark rejected: %w", op, err)
		}
		res.Rejected++
		c.log.Warn("application rejected", "application", it.ID, "status", resp.StatusCode, "code", p.Code)
		return nil
	}
	err = statusError(op, resp)
	if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		c.markAttempt(ctx, it.ID, fmt.Sprintf("HTTP %d", resp.StatusCode))
	}
	return err
}

func (c *Client) markAttempt(ctx context.Context, id, msg string) {
	if err := c.cfg.Outbox.MarkAttempt(ctx, id, msg); err != nil {
		c.log.Error("mark attempt failed", "application", id, "err", err)
	}
}

// readReceipt decodes a receipt and checks it is for this item's body.
func readReceipt(r io.Reader, it credit.OutboxItem) (credit.Receipt, error) {
	var w protocol.ReceiptV1
	if err := json.NewDecoder(io.LimitReader(r, 64<<10)).Decode(&w); err != nil {
		return credit.Receipt{}, fmt.Errorf("bad receipt: %w", err)
	}
	rc := protocol.ReceiptFromWire(w)
	return rc, checkReceipt(rc, it)
}

// checkReceipt checks a receipt is for this item's body.
func checkReceipt(rc credit.Receipt, it credit.OutboxItem) error {
	if rc.ApplicationID != it.ID || rc.Digest != protocol.BodyDigest(it.Body) || rc.ServerSeq <= 0 || rc.ReceivedAt.IsZero() {
		return fmt.Errorf("receipt does not match application %s", it.ID)
	}
	return nil
}
