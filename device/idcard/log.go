package idcard

// Log keys. Values are never raw frames, names or numbers; cards are
// logged through credit.IDCard.LogValue, which masks them.
const (
	logCmd     = "cmd"
	logSW3     = "sw3"
	logElapsed = "elapsed"
	logErr     = "err"
	logKind    = "kind"
	logCard    = "card"
)
