package apptest

import (
	"context"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

var _ app.InquiryLogReader = (*Mem)(nil)

// InquiryLog implements app.InquiryLogReader over the logged inquiries,
// newest first; an entry's position is its place in the order logged,
// counted per channel; no result counts are kept (-1).
func (m *Mem) InquiryLog(_ context.Context, f credit.InquiryFilter) (credit.InquiryPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("InquiryLog"); err != nil {
		return credit.InquiryPage{}, err
	}
	pos := map[string]int64{}
	var all []credit.LoggedInquiry
	for _, q := range m.inquiries {
		pos[q.Channel]++
		switch {
		case !f.From.IsZero() && q.At.Before(f.From), !f.To.IsZero() && !q.At.Before(f.To),
			f.Inquirer != "" && q.InquirerID != f.Inquirer, f.Channel != "" && q.Channel != f.Channel,
			f.Purpose != "" && q.Purpose != f.Purpose:
			continue
		}
		all = append(all, credit.LoggedInquiry{Inquiry: q, Position: pos[q.Channel], Results: -1})
	}
	page := credit.InquiryPage{Total: len(all), Entries: []credit.LoggedInquiry{}}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	for i := len(all) - 1 - max(f.Offset, 0); i >= 0 && len(page.Entries) < limit; i-- {
		page.Entries = append(page.Entries, all[i])
	}
	return page, nil
}
