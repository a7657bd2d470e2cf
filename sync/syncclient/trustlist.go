package syncclient

import (
	"context"
	"fmt"

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

// decodePage decodes and verifies a page read whole and, when a
// TrustListSink or a CalendarSink is configured, hands it the page's trust
// lists or calendar updates before the page is applied (so a failed save
// leaves the cursor where it was). The page keeps no reference to body.
func (c *Client) decodePage(ctx context.Context, body []byte) (*protocol.Page, error) {
	var page *protocol.Page
	var err error
	if c.cfg.TrustLists == nil {
		page, err = protocol.DecodePageBytes(body, c.cfg.MaxPageBytes)
	} else {
		var puts []protocol.TrustListPut
		page, puts, err = protocol.DecodePageTrustListsBytes(body, c.cfg.MaxPageBytes)
		if err == nil {
			err = c.saveTrustLists(ctx, puts)
		}
	}
	if err == nil && c.cfg.Calendars != nil {
		err = c.receiveCalendars(ctx, body)
	}
	if err != nil {
		return nil, err
	}
	return page, nil
}

// saveTrustLists hands the page's trust lists to the sink.
func (c *Client) saveTrustLists(ctx context.Context, puts []protocol.TrustListPut) error {
	for _, p := range puts {
		err := c.cfg.TrustLists.SaveTrustList(ctx, p.Signed)
		switch credit.ErrorCode(err) {
		case "":
			c.log.Info("trust list received", "seq", p.Ver)
		case credit.EINVALID, credit.ECONFLICT:
			c.log.Warn("trust list refused", "seq", p.Ver, "err", credit.ErrorMessageEN(err))
		default:
			return fmt.Errorf("save trust list: %w", err)
		}
	}
	return nil
}
