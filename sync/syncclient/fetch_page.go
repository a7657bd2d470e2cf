package syncclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// fetchPage GETs one NDJSON page (changes or snapshot) and verifies it.
func (c *Client) fetchPage(parent context.Context, path string, q url.Values) (*protocol.Page, error) {
	raw, err := c.fetchBody(parent, path, q, nil)
	if err != nil {
		return nil, err
	}
	return c.pageFromBody(parent, raw)
}

// rawPage is a page read whole but not yet decoded.
type rawPage struct {
	body      []byte
	remaining int64 // the Sync-Remaining header (progress.go)
}

// fetchBody GETs one NDJSON page and reads it whole, decoded from its
// content encoding, into buf (reused; nil allocates). It does not decode
// the page: pageFromBody does, possibly on another goroutine.
func (c *Client) fetchBody(parent context.Context, path string, q url.Values, buf []byte) (rawPage, error) {
	ctx, cancel := context.WithTimeout(parent, c.cfg.RequestTimeout)
	defer cancel()
	if n := c.size.get(); n > 0 {
		q.Set("limit", strconv.Itoa(n)) // pagesize.go
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	req, err := c.newRequest(idempotent(ctx), http.MethodGet, path, nil)
	if err != nil {
		return rawPage{}, fmt.Errorf("syncclient: pull: %w", err)
	}
	req.Header.Set("Accept", protocol.ContentTypeNDJSON)
	req.Header.Set("Accept-Encoding", acceptEncoding)
	resp, err := c.http.Do(req)
	if err != nil {
		if parent.Err() != nil {
			return rawPage{}, fmt.Errorf("syncclient: pull: %w", parent.Err())
		}
		if c.slowLink(parent, ctx, err) {
			err = fmt.Errorf("%w: %w", errPageTimeout, err)
		}
		return rawPage{}, unavailable("pull", err)
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusGone:
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		if p.Code == protocol.CodeResyncRequired {
			return rawPage{}, &resyncError{reason: p.Reason}
		}
		return rawPage{}, statusError("pull", resp)
	case http.StatusBadRequest:
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		ue := credit.Errorf(credit.EINVALID, "平台拒绝了同步请求。", "The platform refused the sync request: %s", p.Message())
		return rawPage{}, fmt.Errorf("syncclient: pull: %w: %w", ue, p)
	default:
		return rawPage{}, statusError("pull", resp)
	}
	body, release, err := decodedBody(resp.Body, resp.Header.Get("Content-Encoding"))
	if err == nil {
		defer release()
		// ReadPage reads at most MaxPageBytes decoded bytes: a
		// decompression bomb is refused there, with nothing applied.
		var raw []byte
		raw, err = protocol.ReadPage(body, c.cfg.MaxPageBytes, buf)
		if err == nil {
			c.size.grow()
			return rawPage{body: raw, remaining: protocol.ParseRemaining(resp.Header.Get(protocol.HeaderRemaining))}, nil
		}
	}
	if errors.Is(err, protocol.ErrMalformedPage) {
		return rawPage{}, c.badPage(err)
	}
	if parent.Err() != nil {
		return rawPage{}, fmt.Errorf("syncclient: pull: %w", parent.Err())
	}
	// A body cut short or a corrupt compressed frame: transient.
	if c.slowLink(parent, ctx, err) {
		err = fmt.Errorf("%w: %w", errPageTimeout, err)
	}
	return rawPage{}, unavailable("pull", err)
}

// pageFromBody decodes and verifies a page fetchBody read. The page keeps
// no reference to raw.body.
func (c *Client) pageFromBody(ctx context.Context, raw rawPage) (*protocol.Page, error) {
	page, err := c.decodePage(ctx, raw.body)
	switch {
	case err == nil:
		page.Remaining = raw.remaining // progress.go
		return page, nil
	case errors.Is(err, protocol.ErrMalformedPage):
		return nil, c.badPage(err)
	case ctx.Err() != nil:
		return nil, fmt.Errorf("syncclient: pull: %w", ctx.Err())
	}
	return nil, unavailable("pull", err)
}

// badPage logs and wraps a page that must not be applied.
func (c *Client) badPage(err error) error {
	c.log.Warn("page refused", "err", err)
	return fmt.Errorf("syncclient: pull: %w: %w", errBadPage(), err)
}
