package syncclient

import (
	"bytes"
	"context"
	"fmt"
	"io"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// TrustListSink keeps the trust list the platform sends through the
// change feed (type "trust_list", d = the signed bytes). It checks them
// with the device's configured root keys and refuses a rollback before
// storing them (app/report.LoadTrustList; syncclient does not import app).
type TrustListSink interface {
	// SaveTrustList checks and stores signed. A list it will not take
	// (bad signature, malformed, older than the stored one) is an
	// EINVALID or ECONFLICT *credit.Error: logged, and sync goes on.
	// Any other error fails the page, which is fetched again next round.
	SaveTrustList(ctx context.Context, signed []byte) error
}

// decodePage decodes and verifies a page and, when a TrustListSink or a
// CalendarSink is configured, hands it the page's trust lists or calendar
// updates before the page is applied (so a failed save leaves the cursor
// where it was).
func (c *Client) decodePage(ctx context.Context, body io.Reader) (*protocol.Page, error) {
	var raw *bytes.Buffer
	if c.cfg.Calendars != nil {
		raw = &bytes.Buffer{} // the page as read, for its calendar puts
		body = io.TeeReader(body, raw)
	}
	if c.cfg.TrustLists == nil {
		page, err := protocol.DecodePage(body, c.cfg.MaxPageBytes)
		if err == nil && raw != nil {
			err = c.receiveCalendars(ctx, raw.Bytes())
		}
		if err != nil {
			return nil, err
		}
		return page, nil
	}
	page, puts, err := protocol.DecodePageTrustLists(body, c.cfg.MaxPageBytes)
	if err != nil {
		return nil, err
	}
	for _, p := range puts {
		err := c.cfg.TrustLists.SaveTrustList(ctx, p.Signed)
		switch credit.ErrorCode(err) {
		case "":
			c.log.Info("trust list received", "seq", p.Ver)
		case credit.EINVALID, credit.ECONFLICT:
			c.log.Warn("trust list refused", "seq", p.Ver, "err", credit.ErrorMessageEN(err))
		default:
			return nil, fmt.Errorf("save trust list: %w", err)
		}
	}
	if raw != nil {
		if err := c.receiveCalendars(ctx, raw.Bytes()); err != nil {
			return nil, err
		}
	}
	return page, nil
}
