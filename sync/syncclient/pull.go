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

// maxPagesPerRound stops a round that would never end (a server that keeps
// saying more).
const maxPagesPerRound = 100000

// pull fetches pages after the saved cursor until more=false. A page is
// applied, with its cursor, only after it decoded and verified; otherwise
// nothing is applied and the cursor stays.
func (c *Client) pull(ctx context.Context, res *Result) error {
	cur, err := c.cfg.Applier.Cursor(ctx)
	if err != nil {
		return fmt.Errorf("syncclient: read cursor: %w", err)
	}
	for range maxPagesPerRound {
		c.progress(PhasePull, res, nil)
		page, err := c.fetchPage(ctx, cur)
		if err != nil {
			return err
		}
		if err := c.cfg.Applier.ApplyPage(ctx, page.Changes, page.Next, page.AsOf); err != nil {
			return fmt.Errorf("syncclient: apply page: %w", err)
		}
		res.Pages++
		res.Bytes += int64(page.Size)
		res.Skipped += page.Skipped
		res.AsOf, res.Cursor = page.AsOf, page.Next
		for _, ch := range page.Changes {
			res.Applied++
			if ch.Op == credit.OpDel {
				res.Deleted++
			}
		}
		if !page.More {
			return nil
		}
		if page.Next == cur {
			return fmt.Errorf("syncclient: pull: %w: the server's cursor did not advance", errBadPage())
		}
		cur = page.Next
	}
	return fmt.Errorf("syncclient: pull: %w: more than %d pages in one round", errBadPage(), maxPagesPerRound)
}

func (c *Client) fetchPage(parent context.Context, cur string) (*protocol.Page, error) {
	ctx, cancel := context.WithTimeout(parent, c.cfg.RequestTimeout)
	defer cancel()
	q := url.Values{}
	if cur != "" {
		q.Set("cursor", cur)
	}
	if c.cfg.PageLimit > 0 {
		q.Set("limit", strconv.Itoa(c.cfg.PageLimit))
	}
	path := protocol.PathChanges
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	req, err := c.newRequest(idempotent(ctx), http.MethodGet, path, nil)
	if err != nil {
		return nil, fmt.Errorf("syncclient: pull: %w", err)
	}
	req.Header.Set("Accept", protocol.ContentTypeNDJSON)
	resp, err := c.http.Do(req)
	if err != nil {
		if parent.Err() != nil {
			return nil, fmt.Errorf("syncclient: pull: %w", parent.Err())
		}
		return nil, unavailable("pull", err)
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusBadRequest:
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		ue := credit.Errorf(credit.EINVALID, "平台拒绝了同步请求。", "The platform refused the sync request: %s", p.Message())
		if p.Code == protocol.CodeBadCursor {
			ue = credit.Errorf(credit.EINVALID, "同步游标无效，需要重新同步。", "The sync cursor was refused; a full resync is needed.")
		}
		return nil, fmt.Errorf("syncclient: pull: %w: %w", ue, p)
	default:
		return nil, statusError("pull", resp)
	}
	page, err := protocol.DecodePage(resp.Body, protocol.MaxPageBytes)
	if errors.Is(err, protocol.ErrMalformedPage) {
		c.log.Warn("page refused", "err", err)
		return nil, fmt.Errorf("syncclient: pull: %w: %w", errBadPage(), err)
	} else if err != nil {
		if parent.Err() != nil {
			return nil, fmt.Errorf("syncclient: pull: %w", parent.Err())
		}
		return nil, unavailable("pull", err)
	}
	return page, nil
}
