package syncclient

import (
	"fmt"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// verifyReceipt checks a receipt's signature against Config.ReceiptKeys
// (sync.md I6: an acked application holds a receipt the platform signed
// over its body's digest). Without keys configured nothing is checked.
// A receipt that fails is logged and returned as an error, so the caller
// does not store it and the application stays pending.
func (c *Client) verifyReceipt(rc credit.Receipt) error {
	if len(c.cfg.ReceiptKeys) == 0 {
		return nil
	}
	if err := protocol.VerifyReceipt(c.cfg.ReceiptKeys, rc); err != nil {
		c.log.Warn("receipt refused: not signed by the platform's receipt key; the application stays pending",
			"application", rc.ApplicationID, "server_seq", rc.ServerSeq)
		return fmt.Errorf("receipt for application %s: %w", rc.ApplicationID, err)
	}
	return nil
}

// acceptReceipt checks a receipt is for this item's body (checkReceipt)
// and signed by the platform (verifyReceipt).
func (c *Client) acceptReceipt(rc credit.Receipt, it credit.OutboxItem) error {
	if err := checkReceipt(rc, it); err != nil {
		return err
	}
	return c.verifyReceipt(rc)
}
