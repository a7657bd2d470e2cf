package syncclient

import (
	"context"
	"fmt"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// CalendarSink takes the signed working-day calendar updates of the change
// feed (type "calendar"; store.CalendarKeeper is one): it checks them with
// the platform keys, refuses an older one and keeps the rest.
type CalendarSink interface {
	// ReceiveCalendar checks and keeps signed. An update it will not take
	// (unsigned or badly signed: EUNAUTHORIZED; malformed: EINVALID; not
	// newer than the one held: ECONFLICT) is logged, and sync goes on
	// with the old calendar. Any other error fails the page, which is
	// fetched again next round.
	ReceiveCalendar(ctx context.Context, signed []byte) error
}

// receiveCalendars hands the calendar puts of a verified page body to
// the sink, before the page is applied.
func (c *Client) receiveCalendars(ctx context.Context, body []byte) error {
	for _, p := range protocol.PageCalendars(body) {
		err := c.cfg.Calendars.ReceiveCalendar(ctx, p.Signed)
		switch credit.ErrorCode(err) {
		case "":
			c.log.Info("calendar received", "calendar", p.ID, "version", p.Ver)
		case credit.EINVALID, credit.ECONFLICT, credit.EUNAUTHORIZED:
			c.log.Warn("calendar refused; the calendar held is kept", "calendar", p.ID, "version", p.Ver, "err", credit.ErrorMessageEN(err))
		default:
			return fmt.Errorf("save calendar %s: %w", p.ID, err)
		}
	}
	return nil
}
