package syncclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gansu-credit/credit/sync/protocol"
)

// blobChunk is the upload chunk size (a variable for the slow-link test,
// which scales the link down with it).
var blobChunk int64 = protocol.BlobChunk

// uploadBlob sends data from offset off in blobChunk chunks. A
// cut connection is resumed from the offset the platform reports (HEAD),
// never from zero. It returns the platform's reason when it refuses the
// file for good (413 too large, 415 not a document type, 400 malformed or
// not matching its hash), or an error when the push must stop.
func (c *Client) uploadBlob(ctx context.Context, sha string, data []byte, off int64, res *Result) (string, error) {
	total := int64(len(data))
	resumes := 0
	resume := func(why error) error {
		if ctx.Err() != nil {
			return fmt.Errorf("syncclient: upload %s: %w", sha[:12], ctx.Err())
		}
		if resumes++; resumes > maxResumes {
			return why
		}
		o, err := c.blobOffset(ctx, sha, total)
		if err != nil {
			return err
		}
		c.log.Info("evidence upload resumed", "sha256", sha[:12], "offset", o, "size", total)
		off = o
		return nil
	}
	for {
		if off >= total {
			// Every byte is there but the platform has not said the
			// blob is complete: ask again from the start of the last
			// chunk, which it takes as a repeat.
			off = max(0, total-blobChunk)
		}
		end := min(off+blobChunk, total)
		rng := protocol.ContentRange{First: off, Last: end - 1, Total: total}
		status, header, p, err := c.putChunk(ctx, sha, data[off:end], rng)
		var stop errStop
		if errors.As(err, &stop) {
			return "", stop.error
		}
		if err != nil {
			if err := resume(err); err != nil {
				return "", err
			}
			continue
		}
		next, offErr := parseOffset(header, total)
		res.Bytes += end - off
		c.progress(PhasePush, res, nil)
		switch {
		case status == http.StatusOK || status == http.StatusCreated:
			c.log.Info("evidence uploaded", "sha256", sha[:12], "size", total)
			return "", nil
		case status == http.StatusNoContent && offErr == nil && next > off:
			off = next
		case status == http.StatusConflict && p.Code == protocol.CodeOffsetMismatch && offErr == nil,
			status == http.StatusBadRequest && p.Code == protocol.CodeDigestMismatch: // damaged in transit
			if err := resume(fmt.Errorf("syncclient: upload %s: %w: %s", sha[:12], errUnavailable(), p.Code)); err != nil {
				return "", err
			}
		case status == http.StatusRequestEntityTooLarge || status == http.StatusUnsupportedMediaType || status == http.StatusBadRequest:
			return p.Message(), nil
		case status == http.StatusNoContent:
			return "", fmt.Errorf("syncclient: upload %s: %w: bad offset: %v", sha[:12], errUnavailable(), offErr)
		default:
			return "", fmt.Errorf("syncclient: upload %s: %w: HTTP %d %s", sha[:12], errUnavailable(), status, p.Code)
		}
	}
}

// putChunk sends one chunk and returns the answer's status, headers and
// problem (an empty one below 400). It is not retried by the transport:
// after a failure the offset is asked again instead.
func (c *Client) putChunk(ctx context.Context, sha string, chunk []byte, rng protocol.ContentRange) (int, http.Header, *protocol.Problem, error) {
	op := "upload " + sha[:12]
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(rctx, http.MethodPut, protocol.PathBlobs+sha, chunk)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set("Content-Range", rng.String())
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, unavailable(op, err)
	}
	defer drain(resp)
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return 0, nil, nil, errStop{statusError(op, resp)}
	}
	p := &protocol.Problem{}
	if resp.StatusCode >= 400 {
		p = protocol.DecodeProblem(resp.StatusCode, resp.Body)
	}
	return resp.StatusCode, resp.Header, p, nil
}

// errStop is a failure that no resumption can cure (the terminal is not
// authorised): the push stops.
type errStop struct{ error }

func (e errStop) Unwrap() error { return e.error }

// blobOffset asks how many bytes of a blob the platform holds.
func (c *Client) blobOffset(ctx context.Context, sha string, total int64) (int64, error) {
	op := "upload offset " + sha[:12]
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(idempotent(rctx), http.MethodHead, protocol.PathBlobs+sha, nil)
	if err != nil {
		return 0, fmt.Errorf("syncclient: %s: %w", op, err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, unavailable(op, err)
	}
	defer drain(resp)
	if resp.StatusCode/100 != 2 {
		return 0, statusError(op, resp)
	}
	off, err := parseOffset(resp.Header, total)
	if err != nil {
		return 0, fmt.Errorf("syncclient: %s: %w: %w", op, errUnavailable(), err)
	}
	return off, nil
}
