package store_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

func TestOpenApplicationsAcrossSubjects(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	cal := credit.WeekendCalendar{}
	mk := func(subject, record string, day int) credit.Objection {
		return credit.NewObjection(cal, credit.Objection{ID: credit.NewUUID(), SubjectID: subject, SubjectName: "某", RecordID: record,
			Type: credit.ObjWrongInfo, Statement: "有误", Channel: "kiosk", ReceivedAt: time.Date(2026, 11, day, 9, 0, 0, 0, credit.China)})
	}
	a := mk("620102199003071234", "r1", 20)
	b := mk("91620102710000001X", "r2", 10)
	c := mk("620102199003071234", "r3", 16)
	for _, o := range []credit.Objection{a, b, c} {
		if err := db.SaveObjection(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.MarkRejected(ctx, c.ID, "duplicate"); err != nil {
		t.Fatal(err)
	}
	r := credit.NewRestoration(cal, credit.Restoration{ID: credit.NewUUID(), SubjectID: "91620102710000001X", SubjectName: "某公司",
		RecordID: "r4", Performance: "已履行", Committed: true, Channel: "office", ReceivedAt: time.Date(2026, 11, 18, 9, 0, 0, 0, credit.China)})
	if err := db.SaveRestoration(ctx, r); err != nil {
		t.Fatal(err)
	}

	objs, err := db.OpenObjections(ctx)
	if err != nil || len(objs) != 2 || objs[0].ID != b.ID || objs[1].ID != a.ID {
		t.Fatalf("OpenObjections = %d, %v (want b, a: the rejected one left out)", len(objs), err)
	}
	if !objs[0].DecisionDue.Equal(b.DecisionDue) || objs[0].SubjectID != b.SubjectID {
		t.Errorf("objection round trip %+v", objs[0])
	}
	rs, err := db.OpenRestorations(ctx)
	if err != nil || len(rs) != 1 || rs[0].ID != r.ID || !rs[0].AcceptDue.Equal(r.AcceptDue) {
		t.Fatalf("OpenRestorations = %+v, %v", rs, err)
	}
}
