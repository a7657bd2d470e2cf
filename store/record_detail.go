package store

import (
	"encoding/json"

	credit "github.com/gansu-credit/credit"
)

// recordDetail is the records.detail column (migration 011): the Art. 36
// serious-list statement and the Art. 44 change history of a record.
type recordDetail struct {
	Listing *credit.SeriousListing `json:"serious_list,omitempty"`
	History []credit.RecordChange  `json:"history,omitempty"`
}

// detailOf encodes r's detail column; "" when r has neither part.
func detailOf(r credit.Record) string {
	if r.Listing == nil && len(r.History) == 0 {
		return ""
	}
	b, err := json.Marshal(recordDetail{Listing: r.Listing, History: r.History})
	if err != nil {
		return "" // plain strings, times and numbers: cannot fail
	}
	return string(b)
}

// setDetail decodes a detail column into r. A column that does not parse
// leaves r without the parts, and says so: the record is still shown, and
// a serious-list record whose statement is lost shows as incomplete.
func setDetail(r *credit.Record, s string) bool {
	if s == "" {
		return true
	}
	var d recordDetail
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		r.Listing = &credit.SeriousListing{}
		return false
	}
	r.Listing, r.History = d.Listing, d.History
	return true
}
