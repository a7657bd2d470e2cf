package credit

// Slip is a short printed document for a receipt printer: an objection or
// restoration receipt, a queue ticket. It is plain text and a QR text, so
// any printer driver can lay it out for its paper; drivers implement the
// app's printer port with it.
type Slip struct {
	Title  string     // e.g. 信用信息异议申请回执
	Lines  []SlipLine // label: value pairs, in order
	QR     string     // text of a QR code to print (e.g. a CR1: receipt); empty for none
	Footer []string   // closing lines, e.g. 免费 / free of charge
}

// SlipLine is one label and value of a Slip.
type SlipLine struct {
	Label string
	Value string
}
