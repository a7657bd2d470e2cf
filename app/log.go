package app

// Log keys, in one place (never log ID numbers or names unmasked: log
// credit.Subject, credit.IDCard or credit.IDNumber values, which mask
// themselves).
const (
	logKeyErr       = "err"
	logKeySubject   = "subject"
	logKeyCard      = "card"
	logKeyRecord    = "record"
	logKeyObjection = "objection"
	logKeyQuery     = "query_len"

	logKeyApplication = "application"
	logKeyDate        = "date"   // a calendar date (local days off)
	logKeyCounty      = "county" // a county code
)
