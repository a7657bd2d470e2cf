package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app/apptest"
)

// TestGoldensPrintAndRestore renders the receipt with its print line, the
// restoration letter step and a checked code.
func TestGoldensPrintAndRestore(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.readCard(t)
	k.object(t)
	test.Tap(u.receiptView.printBtn)
	// The number and the times vary with the UUID: compare the layout
	// with them blanked.
	u.receiptView.number.SetText("申请编号：YY-20261127-XXXXXXXX")
	test.AssertRendersToMarkup(t, "receipt_printed.xml", k.w.Canvas())
	code := k.slips.Slips()[0].QR
	test.Tap(u.receiptView.backBtn)

	test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
	test.Type(u.wizard.performance, "已缴清罚款。")
	test.Tap(u.wizard.nextBtn)
	test.AssertRendersToMarkup(t, "restoration_letter.xml", k.w.Canvas())
	test.Tap(u.wizard.cancelBtn)
	test.Tap(u.records.finishBtn)

	test.Tap(u.home.verifyBtn)
	test.Type(u.verifyView.entry, code)
	test.Tap(u.verifyView.verifyBtn)
	if !strings.Contains(u.verifyView.status.Text, "真实有效") {
		t.Fatalf("status %q", u.verifyView.status.Text)
	}
	u.verifyView.entry.SetText("CR1:…")
	u.verifyView.fields[0].SetText("编号：YY-20261127-XXXXXXXX")
	test.AssertRendersToMarkup(t, "verify_valid.xml", k.w.Canvas())
}
