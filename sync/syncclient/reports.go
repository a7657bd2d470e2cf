package syncclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// RegisterReport tells the platform an issued report's number and
// verification code (PUT /sync/v1/reports/{report_no}) so that the paper
// can be looked up online. Only the record's fields travel: no name, no
// full ID number. It is idempotent: sending the same record again is
// fine. A 400 or 409 answer is a refusal (credit.EINVALID/ECONFLICT) the
// caller should not retry; other failures are EUNAVAILABLE. SyncOnce
// sends the reports of Config.Reports with it.
func (c *Client) RegisterReport(ctx context.Context, reportNo string, rec protocol.ReportRecordV1) error {
	op := "register report"
	body, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	rctx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	req, err := c.newRequest(idempotent(rctx), http.MethodPut, protocol.PathReports+url.PathEscape(reportNo), body)
	if err != nil {
		return fmt.Errorf("syncclient: %s: %w", op, err)
	}
	req.Header.Set("Content-Type", protocol.ContentTypeJSON)
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("syncclient: %s: %w", op, ctx.Err())
		}
		return unavailable(op, err)
	}
	defer drain(resp)
	switch resp.StatusCode {
	case http.StatusOK, http.StatusCreated:
		return nil
	case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		return fmt.Errorf("syncclient: %s: %w: %w", op, credit.Errorf(credit.EINVALID, "平台拒绝了报告登记。", "The platform refused the report record."), p)
	case http.StatusConflict:
		p := protocol.DecodeProblem(resp.StatusCode, resp.Body)
		return fmt.Errorf("syncclient: %s: %w: %w", op, credit.Errorf(credit.ECONFLICT, "该报告编号已登记为另一份报告。", "The report number is registered with other data."), p)
	}
	return statusError(op, resp)
}

// PendingReport is an issued report waiting to be registered.
type PendingReport struct {
	No     string // report number
	Record protocol.ReportRecordV1
}

// ReportQueue is the durable queue of issued reports waiting to be
// registered with the platform's online lookup (the device glue adapts
// store.DB to it; syncclient does not import store).
type ReportQueue interface {
	// PendingReports returns up to limit reports, oldest first.
	PendingReports(ctx context.Context, limit int) ([]PendingReport, error)
	// ReportAnswered records the platform's answer: refused is "" when
	// the report was registered, else the refusal. Either way it is not
	// sent again.
	ReportAnswered(ctx context.Context, no, refused string) error
	// ReportNotSent counts a send that did not reach the platform; the
	// report stays queued.
	ReportNotSent(ctx context.Context, no string) error
}

// maxReportsPerRound bounds the registrations one round sends.
const maxReportsPerRound = 500

// registerReports sends the queued reports (Config.Reports), oldest
// first. A refusal is recorded and not retried; a failure to reach the
// platform stops the sending and leaves the rest for the next round.
func (c *Client) registerReports(ctx context.Context, res *Result) error {
	if c.cfg.Reports == nil {
		return nil
	}
	pending, err := c.cfg.Reports.PendingReports(ctx, maxReportsPerRound)
	if err != nil {
		return fmt.Errorf("syncclient: pending reports: %w", err)
	}
	for _, p := range pending {
		err := c.RegisterReport(ctx, p.No, p.Record)
		switch credit.ErrorCode(err) {
		case "":
			res.Registered++
			err = c.cfg.Reports.ReportAnswered(ctx, p.No, "")
		case credit.EINVALID, credit.ECONFLICT:
			c.log.Warn("report registration refused", "report", p.No, "err", err)
			err = c.cfg.Reports.ReportAnswered(ctx, p.No, credit.ErrorMessageEN(err)+": "+err.Error())
		default:
			if mErr := c.cfg.Reports.ReportNotSent(ctx, p.No); mErr != nil {
				c.log.Warn("count report registration attempt", "report", p.No, "err", mErr)
			}
			return err
		}
		if err != nil {
			return fmt.Errorf("syncclient: record report registration: %w", err)
		}
	}
	return nil
}
