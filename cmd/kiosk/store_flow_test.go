package main

import (
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
)

// TestKioskOverRealStore runs the kiosk use cases over the real SQLite
// store, which the in-memory fakes of app and app/ui stand in for.
func TestKioskOverRealStore(t *testing.T) {
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	db, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "kiosk.db"), store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subjects, records := apptest.FixtureData()
	if err := db.Load(t.Context(), subjects, records); err != nil {
		t.Fatal(err)
	}
	svc := creditapp.New(creditapp.Deps{
		Records: db, Inquiries: db, Applications: db,
		Card:     apptest.NewCard(apptest.PersonCard(), nil),
		DeviceID: apptest.DeviceID,
		Now:      func() time.Time { return friday },
	})

	sess, err := svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, g := range sess.Records {
		n += len(g.Records)
	}
	if !sess.Known || n != 4 || len(sess.Inquiries) != 1 {
		t.Fatalf("session: known=%v records=%d inquiries=%d", sess.Known, n, len(sess.Inquiries))
	}

	o, err := svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjWrongInfo, "不是我。", "")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := sess.Record(apptest.RecUntr); !r.UnderObjection {
		t.Error("the store does not report the record under objection after filing")
	}
	_, err = svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjOmission, "再次。", "")
	if credit.ErrorCode(err) != credit.ECONFLICT || !strings.Contains(credit.ErrorMessage(err), o.No) {
		t.Errorf("second objection: %v (message %q)", err, credit.ErrorMessage(err))
	}

	found, err := svc.SearchOrganisations(t.Context(), "兰州")
	if err != nil || len(found) != 2 {
		t.Fatalf("search: %d %v", len(found), err)
	}
	if got, err := svc.SearchOrganisations(t.Context(), "张三"); err != nil || len(got) != 0 {
		t.Errorf("a person found by the business search: %v %v", got, err)
	}
	v, err := svc.OpenOrganisation(t.Context(), apptest.OrgID)
	if err != nil || v.Subject.Name != apptest.OrgName {
		t.Fatalf("open: %v", err)
	}
	if _, err := svc.OpenOrganisation(t.Context(), apptest.PersonID); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("opening a person: %v", err)
	}
	inq, err := db.InquiriesOf(t.Context(), apptest.OrgID)
	if err != nil || len(inq) != 1 || inq[0].InquirerKind != credit.InquirerPublic {
		t.Errorf("org inquiries %+v %v", inq, err)
	}

	// The kiosk's looks carry how many records they showed, as the
	// office's do (the supervisor's inquiry log).
	orgRecs := 0
	for _, g := range v.Records {
		orgRecs += len(g.Records)
	}
	page, err := db.InquiryLog(t.Context(), credit.InquiryFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{apptest.PersonID: n, apptest.OrgID: orgRecs}
	for _, e := range page.Entries {
		if w, ok := want[e.SubjectID]; !ok || e.Results != w {
			t.Errorf("inquiry about %s logged with %d results, want %d", e.SubjectID, e.Results, w)
		}
		delete(want, e.SubjectID)
	}
	if len(want) != 0 || orgRecs == 0 {
		t.Errorf("no logged inquiry for %v (org records %d)", want, orgRecs)
	}
}

// TestOpenUsesTheHolidayCalendar files an objection the day before
// National Day through the kiosk's own wiring: the deadlines skip the
// holiday week.
func TestOpenUsesTheHolidayCalendar(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "kiosk.db")
	db, err := store.Open(t.Context(), dbPath, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	subjects, records := apptest.FixtureData()
	if err := db.Load(t.Context(), subjects, records); err != nil {
		t.Fatal(err)
	}
	db.Close()

	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config.DB = dbPath
	m.Now = func() time.Time { return time.Date(2026, 9, 30, 15, 0, 0, 0, credit.China) }
	svc, err := m.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	// No reader on this kiosk: build the session through a service that
	// shares the store but has the fake card.
	sessSvc := creditapp.New(creditapp.Deps{Records: m.db, Inquiries: m.db, Applications: m.db, Card: apptest.NewCard(apptest.PersonCard(), nil), Now: m.Now})
	sess, err := sessSvc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.FileObjection(t.Context(), sess, apptest.RecOther, credit.ObjWrongInfo, "不是我。", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 10, 8, 23, 59, 59, 0, credit.China); !o.LabelDue.Equal(want) {
		t.Errorf("label due %v, want %v (after the National Day week)", o.LabelDue, want)
	}
	if want := time.Date(2026, 10, 15, 23, 59, 59, 0, credit.China); !o.DecisionDue.Equal(want) {
		t.Errorf("decision due %v, want %v", o.DecisionDue, want)
	}
}
