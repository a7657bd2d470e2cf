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
// caller should not retry; other failures are EUNAVAILABLE. Not yet wired
// into the kiosk.
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
