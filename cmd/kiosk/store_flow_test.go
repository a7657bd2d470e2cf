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
}
