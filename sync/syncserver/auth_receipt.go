package syncserver

import (
	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// signedReceipt is the wire form of a receipt, signed with
// Options.ReceiptKey when there is one (protocol/auth_receipt.go; sync.md
// I6). Ed25519 is deterministic, so a receipt answered again for a
// repeated upload carries the same signature.
func (s *Server) signedReceipt(rc credit.Receipt) protocol.ReceiptV1 {
	if len(s.opts.ReceiptKey) == 0 {
		return protocol.ReceiptToWire(rc)
	}
	return protocol.ReceiptToWire(protocol.SignReceipt(s.opts.ReceiptKey, rc))
}
