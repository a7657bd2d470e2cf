package ui

import (
	"testing"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// TestSyncRemovesWithdrawnRecordFromScreen: a record withdrawn on the
// platform and deleted by a sync round while the holder is looking leaves
// the screen at once, without logging a second inquiry.
func TestSyncRemovesWithdrawnRecordFromScreen(t *testing.T) {
	k := newKiosk(t, true)
	u := k.ui
	k.readCard(t)
	if _, ok := u.records.views[apptest.RecUntr]; !ok {
		t.Fatal("fixture record not shown before the sync")
	}
	title := "兰税罚〔2025〕88号" // the document number of apptest.RecUntr
	if !shows(k.w, title) {
		t.Fatalf("%q not on screen", title)
	}
	before := u.session

	k.mem.RemoveRecord(apptest.RecUntr)
	k.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 1, LastSuccess: friday})
	k.waitFor(t, func() bool { return u.session != before })

	if _, ok := u.records.views[apptest.RecUntr]; ok || shows(k.w, title) {
		t.Fatalf("withdrawn record %q still on screen", title)
	}
	if _, ok := u.session.Record(apptest.RecBasic); !ok {
		t.Fatal("other records lost by the refresh")
	}
	if n := len(k.mem.LoggedInquiries()); n != 1 {
		t.Errorf("%d inquiries logged, want 1 (a refresh is not a new inquiry)", n)
	}
	// A round that applied nothing does not reload.
	now := u.session
	k.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 0, LastSuccess: friday})
	k.pump()
	if u.session != now {
		t.Error("a round with no changes replaced the session")
	}
}
