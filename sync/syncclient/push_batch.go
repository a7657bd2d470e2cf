package syncclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/internal/failpoint"
	"github.com/gansu-credit/credit/sync/protocol"
)

// The batch form of the push (protocol/batch.go): when more than one item
// is pending, the items go in batches of at most protocol.MaxBatchItems
// and protocol.MaxBatchBytes of bodies to POST /applications:batch. The
// client does not ask hello first (Hello.BatchApplications advertises the
// form): that would cost a round trip per round on 8 KB/s links; a
// platform without the form answers 404 or 405 (and one that refuses a
// batch whole, 400 or 413) and the items go one PUT each for the rest of
// the round. Each item's result is handled as its
// own PUT's answer would be: a receipt is stored per item, a refused item
// (400, 413, 422) is marked rejected and does not hold up the others, an
// item the platform could not take now (409 in flight, 5xx) keeps its
// place and ends the push for this round once the batch's other results
// are stored. A batch whose answer is lost is sent again as it was (the
// items are idempotent by UUID): the platform answers the first receipts.

// pushBatches sends items in batches of at most limit. It returns
// errNoBatch when the platform refuses the batch form itself, and an
// error when pushing must stop.
func (c *Client) pushBatches(ctx context.Context, items []credit.OutboxItem, limit int, res *Result) error {
	for len(items) > 0 {
		n, size := 0, 0
		for n < len(items) && n < limit && (n == 0 || size+len(items[n].Body) <= protocol.MaxBatchBytes) {
			size += len(items[n].Body)
			n++
		}
		res.Pending = len(items)
		c.progress(PhasePush, res, nil)
		if err := c.pushChunk(ctx, items[:n], res); err != nil {
			return err
		}
		items = items[n:]
	}
	return nil
}

// errNoBatch: the platform answered the batch with 404 or 405 (no batch
// form), or refused the batch as a whole (413, or 400 other than a digest
// mismatch): the items then go one PUT each, so that each gets its own
// verdict and none wedges the queue.
var errNoBatch = fmt.Errorf("syncclient: the platform has no batch form")

// pushChunk sends one batch and stores each item's outcome.
func (c *Client) pushChunk(ctx context.Context, chunk []credit.OutboxItem, res *Result) error {
	op := fmt.Sprintf("push batch of %d", len(chunk))
	req := protocol.BatchRequestV1{Items: make([]protocol.BatchItemV1, len(chunk))}
	for i, it := range chunk {
		req.Items[i] = protocol.BatchItemV1{ID: it.ID, Kind: string(it.Kind), Digest: protocol.BodyDigest(it.Body), Body: it.Body}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	hreq, err := c.newRequest(idempotent(rctx), http.MethodPost, protocol.PathApplicationsBatch, body)
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	hreq.Header.Set("Content-Type", protocol.ContentTypeJSON)
	markAll := func(msg string) {
		for _, it := range chunk {
			c.markAttempt(ctx, it.ID, msg)
		}
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("syncclient: %s: %w", op, ctx.Err())
		}
		markAll("network: " + err.Error())
		return unavailable(op, err)
	}
	defer drain(resp)
	switch {
	case resp.StatusCode == http.StatusBadRequest:
		// A batch damaged on the way (digest_mismatch, after the
		// transport's own retries) is a fault of the link: the items keep
		// their places. Any other 400 refuses the batch form itself.
		if p := protocol.DecodeProblem(resp.StatusCode, resp.Body); p.Code == protocol.CodeDigestMismatch {
			markAll("HTTP 400 " + p.Code)
			return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), p)
		}
		c.log.Warn("batch refused as a whole; sending one PUT per item", "status", resp.StatusCode)
		return errNoBatch
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed, resp.StatusCode == http.StatusRequestEntityTooLarge:
		c.log.Warn("batch refused as a whole; sending one PUT per item", "status", resp.StatusCode)
		return errNoBatch
	case resp.StatusCode != http.StatusOK:
		err := statusError(op, resp)
		if credit.ErrorCode(err) != credit.EUNAUTHORIZED {
			markAll(fmt.Sprintf("HTTP %d", resp.StatusCode))
		}
		return err
	}
	br, err := protocol.DecodeBatchResponse(resp.Body, req)
	if err != nil {
		markAll(err.Error())
		return fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), err)
	}
	var stop error
	for i, r := range br.Results {
		if err := c.storeResult(ctx, chunk[i], r, res); err != nil {
			if credit.ErrorCode(err) == credit.EINTERNAL {
				return err // the local store failed: stop at once
			}
			stop = err
		}
	}
	return stop
}

// storeResult stores one item's result: its receipt, its rejection, or a
// failed attempt (returned as an EUNAVAILABLE error).
func (c *Client) storeResult(ctx context.Context, it credit.OutboxItem, r protocol.BatchResultV1, res *Result) error {
	op := "push " + it.ID
	switch {
	case r.Status >= 200 && r.Status < 300:
		rc := protocol.ReceiptFromWire(*r.Receipt)
		if err := c.acceptReceipt(rc, it); err != nil {
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
	case refused(r.Status):
		p := r.Problem
		if p == nil {
			p = &protocol.Problem{Title: fmt.Sprintf("HTTP %d", r.Status), Status: r.Status}
		}
		if err := c.cfg.Outbox.MarkRejected(ctx, it.ID, p.Message()); err != nil {
			return fmt.Errorf("syncclient: %s: mark rejected: %w", op, err)
		}
		res.Rejected++
		c.log.Warn("application rejected", "application", it.ID, "status", r.Status, "code", p.Code)
		return nil
	}
	c.markAttempt(ctx, it.ID, fmt.Sprintf("HTTP %d", r.Status))
	return fmt.Errorf("syncclient: %s: %w: HTTP %d", op, errUnavailable(), r.Status)
}

// refused reports whether a status refuses an application for good: it
// is marked rejected and the next item goes.
func refused(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusRequestEntityTooLarge || status == http.StatusUnprocessableEntity
}
