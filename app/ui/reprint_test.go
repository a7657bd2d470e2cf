package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app/apptest"
)

// TestReprintReceipt: a holder who filed an objection at an earlier visit
// reads their card again, finds the application on their records screen
// and reprints its stored receipt.
func TestReprintReceipt(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.readCard(t)
	if len(u.records.reprintBtns) != 0 {
		t.Fatalf("%d reprint buttons before any application", len(u.records.reprintBtns))
	}
	k.object(t)
	no := u.receipt.No
	test.Tap(u.receiptView.backBtn)
	test.Tap(u.records.finishBtn)
	if u.session != nil || u.screen != screenHome {
		t.Fatal("the first visit did not end")
	}

	k.readCard(t) // the next visit
	if len(u.records.reprintBtns) != 1 || len(u.records.objections) != 1 || !strings.Contains(u.records.objections[0].Text, no) {
		t.Fatalf("records screen: %d reprint buttons, applications %q", len(u.records.reprintBtns), labelTexts(u.records.objections))
	}
	if u.records.reprintBtns[0].Text != "补打回执" {
		t.Errorf("button %q", u.records.reprintBtns[0].Text)
	}
	test.Tap(u.records.reprintBtns[0])
	if u.screen != screenReceipt || !strings.Contains(u.receiptView.number.Text, no) {
		t.Fatalf("screen %d, receipt %q", u.screen, u.receiptView.number.Text)
	}
	before := len(k.slips.Slips())
	test.Tap(u.receiptView.printBtn)
	slips := k.slips.Slips()
	if len(slips) != before+1 {
		t.Fatalf("%d slips printed by the reprint", len(slips)-before)
	}
	found := false
	for _, l := range slips[len(slips)-1].Lines {
		found = found || strings.Contains(l.Value, no)
	}
	if !found || slips[len(slips)-1].QR == "" {
		t.Errorf("reprinted slip %+v lacks the number %s or its QR", slips[len(slips)-1], no)
	}
	test.Tap(u.receiptView.backBtn)
	if u.screen != screenRecords {
		t.Errorf("back from the reprint: screen %d", u.screen)
	}
	// The wipe leaves no application on screen.
	test.Tap(u.records.finishBtn)
	if shows(k.w, no) || shows(k.w, apptest.PersonName) {
		t.Error("the application is still shown after the session ended")
	}
}

// TestNoReprintWithoutPrinter: where no receipt can be printed the
// applications are listed without a reprint button.
func TestNoReprintWithoutPrinter(t *testing.T) {
	k := newPrintKiosk(t, false, false)
	u := k.ui
	k.readCard(t)
	k.object(t)
	test.Tap(u.receiptView.backBtn)
	if len(u.records.objections) != 1 || len(u.records.reprintBtns) != 0 {
		t.Errorf("%d applications, %d reprint buttons", len(u.records.objections), len(u.records.reprintBtns))
	}
}
