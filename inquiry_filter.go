package credit

import "time"

// InquiryFilter selects entries of a device's inquiry log for the audit
// view (Art. 24, 25, 45): a supervisor reads who looked at whom, when and
// why. Zero fields select everything.
type InquiryFilter struct {
	From, To time.Time // At in [From, To); zero: open on that side
	Inquirer string    // InquirerID (a clerk's staff number)
	Channel  string    // device id
	Purpose  string    // Inquiry.Purpose
	Offset   int       // entries skipped, newest first
	Limit    int       // entries returned at most
}

// LoggedInquiry is an inquiry log entry with its position in its device's
// hash chain (0: not chained yet) and how many records it showed (-1: not
// recorded, e.g. an entry from before the count was kept).
type LoggedInquiry struct {
	Inquiry
	Position int64
	Results  int
}

// InquiryPage is one page of the filtered log, newest first, and how many
// entries the filter selects in all.
type InquiryPage struct {
	Entries []LoggedInquiry
	Total   int
}
