package office

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/app/ui/uitest"
	"github.com/gansu-credit/credit/store"
)

// newStoreDesk is newDesk with a real store (on t.TempDir) keeping the
// settings and the local days off, its county set to Linxia.
func newStoreDesk(t *testing.T) (*desk, *store.DB) {
	t.Helper()
	test.NewTempApp(t)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.SetSetting(t.Context(), app.SettingCounty, "622901", "S001"); err != nil {
		t.Fatal(err)
	}
	d := &desk{mem: apptest.Fixture(friday.Add(-time.Hour)), clerks: apptest.NewClerks(), queue: &apptest.Queue{}, now: friday, timers: &timers{}, q: make(chan func(), 4096)}
	d.office = app.NewOffice(app.OfficeDeps{Clerks: d.clerks, Records: d.mem, Inquiries: d.mem, Queue: d.queue,
		Settings: db, Now: func() time.Time { return d.now }, Argon2: apptest.FastArgon2, DeviceID: "office-622901"})
	for _, c := range []credit.Clerk{{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, {ID: "S001", Name: "李强", Role: credit.RoleSupervisor}} {
		if err := d.office.AddClerk(t.Context(), c, clerkPassword); err != nil {
			t.Fatal(err)
		}
	}
	d.ui = New(d.office, Options{Lang: ui.Chinese, Go: func(f func()) { f(); d.pump() }, Do: func(f func()) { d.q <- f }, AfterFunc: d.timers.after})
	d.w = test.NewTempWindow(t, nil)
	d.ui.Show(d.w)
	d.w.Resize(fyne.NewSize(1024, 768))
	t.Cleanup(func() { d.ui.Close() })
	return d, db
}

// TestLocalDaysSection: a supervisor adds and removes a local day off on
// the settings tab and each edit reaches the store's log; a clerk sees
// the list without the form or remove buttons.
func TestLocalDaysSection(t *testing.T) {
	d, db := newStoreDesk(t)
	ctx := t.Context()
	d.logIn(t, "S001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSettings)
	v := &d.ui.daysTab
	if v.addBtn == nil || !uitest.Shows(d.w, "暂无本地假日") {
		t.Fatalf("supervisor sees no form or empty list: %q", texts(d.w))
	}
	test.Type(v.date, "2027-02-30")
	test.Type(v.name, "开斋节")
	test.Tap(v.addBtn)
	if !strings.Contains(d.ui.message.Text, "有效日期") {
		t.Fatalf("impossible date: %q", d.ui.message.Text)
	}
	d.ui.daysTab.date.SetText("2027-03-10")
	test.Tap(d.ui.daysTab.addBtn)
	if d.ui.message.Text != "设置已保存。" || len(d.ui.daysTab.rows) != 1 || d.ui.daysTab.rows[0].Text != "2027-03-10  开斋节  （县区 622901，S001 添加）" {
		t.Fatalf("after add: message %q rows %d", d.ui.message.Text, len(d.ui.daysTab.rows))
	}
	if d.ui.daysTab.date.Text != "" {
		t.Error("form not cleared after adding")
	}
	if !uitest.Shows(d.w, "  S001 添加 本地假日 2027-03-10 开斋节（县区 622901）") {
		t.Errorf("the supervisor does not see the change log: %q", texts(d.w))
	}
	assertLaidOut(t, d.w, "local days, zh")
	if *screenshotDir != "" {
		d.savePNG(t, *screenshotDir, "office-local-days-zh.png")
	}
	cal, err := db.Calendar(ctx, nil, "622901")
	if err != nil || cal.IsWorkingDay(time.Date(2027, 3, 10, 10, 0, 0, 0, credit.China)) {
		t.Fatalf("the day does not count: %v", err)
	}
	test.Tap(d.ui.logoutBtn)

	d.logIn(t, "C001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSettings)
	if v := &d.ui.daysTab; v.addBtn != nil || len(v.removeBtns) != 0 || len(v.rows) != 1 || uitest.Shows(d.w, "修改记录") {
		t.Fatalf("clerk: form %v, %d remove buttons, %d rows, change log %v", v.addBtn != nil, len(v.removeBtns), len(v.rows), uitest.Shows(d.w, "修改记录"))
	}
	test.Tap(d.ui.logoutBtn)

	d.logIn(t, "S001", clerkPassword)
	d.ui.toggleLang()
	d.ui.tabs.SelectIndex(tabSettings)
	if !uitest.Shows(d.w, "Local days off") {
		t.Fatalf("no English heading: %q", texts(d.w))
	}
	assertLaidOut(t, d.w, "local days, en")
	if *screenshotDir != "" {
		d.savePNG(t, *screenshotDir, "office-local-days-en.png")
	}
	test.Tap(d.ui.daysTab.removeBtns[0])
	if len(d.ui.daysTab.rows) != 0 {
		t.Fatalf("after remove: %d rows", len(d.ui.daysTab.rows))
	}
	if !uitest.Shows(d.w, "S001 removed the local day off 2027-03-10") || !uitest.Shows(d.w, "S001 added the local day off 2027-03-10") {
		t.Errorf("the change log lacks the removal or the addition: %q", texts(d.w))
	}
	edits, err := db.CalendarEdits(ctx)
	if err != nil || len(edits) != 2 || edits[0].Action != "add" || edits[1].Action != "remove" || edits[1].Clerk != "S001" {
		t.Fatalf("edit log %+v, %v", edits, err)
	}
}

// TestLocalDaysHiddenWithoutStore: an office whose settings store keeps
// no local days shows no section and no error.
func TestLocalDaysHiddenWithoutStore(t *testing.T) {
	d := newDesk(t, ui.Chinese)
	d.logIn(t, "S001", clerkPassword)
	d.ui.tabs.SelectIndex(tabSettings)
	if d.ui.daysTab.addBtn != nil || uitest.Shows(d.w, "本地假日") || d.ui.lastErr != nil {
		t.Fatalf("section shown or error: %q", d.ui.message.Text)
	}
}

func TestLocalDaysArt18(t *testing.T) {
	for _, f := range localDaysFields {
		if term, bad := credit.Art18Match(f); bad {
			t.Errorf("%q: Art. 18 term %q", f, term)
		}
	}
}
