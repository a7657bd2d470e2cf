package syncclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/gansu-credit/credit/sync/protocol"
)

// ack tells the platform what this device has applied: the saved cursor
// and the highest seq applied. POST /ack is an upsert, safe to retry. A
// failed ack does not fail the round (the next one acks again); it is
// logged and returned for the caller to log.
func (c *Client) ack(ctx context.Context, res *Result) error {
	cur, err := c.cfg.Applier.Cursor(ctx)
	if err != nil || cur == "" {
		return err
	}
	body, err := json.Marshal(protocol.AckV1{Cursor: cur, AppliedThroughSeq: res.AppliedThroughSeq, AppliedAt: c.cfg.Now().UTC()})
	if err != nil {
		return fmt.Errorf("syncclient: ack: %w", err)
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(idempotent(rctx), http.MethodPost, protocol.PathAck, body)
	if err != nil {
		return fmt.Errorf("syncclient: ack: %w", err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	resp, err := c.http.Do(req)
	if err != nil {
		return unavailable("ack", err)
	}
	defer drain(resp)
	if resp.StatusCode != http.StatusOK {
		return statusError("ack", resp)
	}
	var reply protocol.AckReplyV1
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4<<10)).Decode(&reply); err != nil {
		return fmt.Errorf("syncclient: ack: %w: %w", errUnavailable(), err)
	}
	res.Acked = true
	c.noteLag(reply.DeletionLag) // progress.go
	return nil
}
