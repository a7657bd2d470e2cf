package ui

import (
	"slices"
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
	openRecord(t, u, apptest.RecUntr) // the holder is reading it
	title := "兰税罚〔2025〕88号"           // the document number of apptest.RecUntr
	if !shows(k.w, title) {
		t.Fatalf("%q not on screen", title)
	}
	before := u.session

	k.mem.RemoveRecord(apptest.RecUntr)
	k.svc.PublishSync(app.SyncInfo{Phase: app.SyncIdle, Applied: 1, LastSuccess: friday})
	k.waitFor(t, func() bool { return u.session != before })

	if u.screen != screenRecords || shows(k.w, title) || shows(k.w, "未按期申报纳税") {
		t.Fatalf("withdrawn record %q still on screen (screen %d)", title, u.screen)
	}
	if slices.ContainsFunc(u.records.rows, func(r listRow) bool { return r.rec != nil && r.rec.ID == apptest.RecUntr }) {
		t.Fatal("withdrawn record still in the list")
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
