package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestShownLinesAreLaidOut: lines that appear after the screen was built
// (the message, the Home button, the print line, the countdown) get their
// own place instead of being drawn over the title at the origin.
func TestShownLinesAreLaidOut(t *testing.T) {
	k := newPrintKiosk(t, true, false)
	u := k.ui
	k.card.Set(credit.IDCard{}, credit.Errorf(credit.ENOTFOUND, "无卡", "no card"))
	test.Tap(u.home.readCardBtn)
	if !u.message.Visible() || u.message.Position().Y <= 0 || u.message.Size().Height <= 0 {
		t.Errorf("message at %v size %v", u.message.Position(), u.message.Size())
	}
	test.Tap(u.home.statusBtn)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject
	if !u.homeBtn.Visible() || abs(u.homeBtn).X < abs(u.title).X+u.title.Size().Width || u.homeBtn.Size().Width <= 0 {
		t.Errorf("Home button at %v, title ends at %v", abs(u.homeBtn), abs(u.title).X+u.title.Size().Width)
	}
	test.Tap(u.homeBtn)
	k.card.Set(apptest.PersonCard(), nil)
	k.readCard(t)
	test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
	test.Tap(u.form.submitBtn) // nothing filled in: the reason shows in place
	if e := u.form.errLabel; !e.Visible() || e.Position().Y <= u.form.contact.Position().Y {
		t.Errorf("form error at %v, contact at %v", e.Position(), u.form.contact.Position())
	}
	test.Tap(u.form.cancelBtn)
	test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
	test.Tap(u.wizard.nextBtn)
	if e := u.wizard.errLabel; !e.Visible() || e.Position().Y <= u.wizard.performance.Position().Y {
		t.Errorf("wizard error at %v, entry at %v", e.Position(), u.wizard.performance.Position())
	}
	test.Tap(u.wizard.cancelBtn)
	k.object(t)
	test.Tap(u.receiptView.printBtn)
	if p := u.receiptView.printStatus; !p.Visible() || p.Position().Y <= u.receiptView.free.Position().Y {
		t.Errorf("print line at %v, free line at %v", p.Position(), u.receiptView.free.Position())
	}
	u.countDown(int(IdleCountdown / time.Second))
	if b := u.countdownBar; !b.Visible() || b.Position().Y <= 0 || b.Size().Height <= 0 {
		t.Errorf("countdown bar at %v size %v", b.Position(), b.Size())
	}
}
