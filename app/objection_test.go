package app_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestFileObjectionDeadlines(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := sess.Record(apptest.RecUntr); r.UnderObjection {
		t.Fatal("record under objection before any objection")
	}
	o, err := e.svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "  公示期已满仍在公示。 ", " 13800000000 ")
	if err != nil {
		t.Fatal(err)
	}
	// Received Friday 27 Nov 2026: label due Monday 30 Nov, decision due
	// Tuesday 8 Dec (the Tuesday of the week after next), 23:59:59 CST.
	wantLabel := time.Date(2026, 11, 30, 23, 59, 59, 0, credit.China)
	wantDecision := time.Date(2026, 12, 8, 23, 59, 59, 0, credit.China)
	if !o.LabelDue.Equal(wantLabel) || o.LabelDue.In(credit.China).Weekday() != time.Monday {
		t.Errorf("label due %v, want %v", o.LabelDue, wantLabel)
	}
	if !o.DecisionDue.Equal(wantDecision) || o.DecisionDue.In(credit.China).Weekday() != time.Tuesday {
		t.Errorf("decision due %v, want %v", o.DecisionDue, wantDecision)
	}
	if !regexp.MustCompile(`^YY-20261127-[0-9A-F]{8}$`).MatchString(o.No) {
		t.Errorf("application number %q", o.No)
	}
	if o.Status != credit.StatusQueued || o.Channel != apptest.DeviceID || !o.ReceivedAt.Equal(friday) ||
		o.SubjectID != apptest.PersonID || o.SubjectName != apptest.PersonName || o.RecordID != apptest.RecUntr ||
		o.Statement != "公示期已满仍在公示。" || o.Contact != "13800000000" {
		t.Errorf("objection = %+v", o)
	}
	saved := e.mem.SavedObjections()
	if len(saved) != 1 || saved[0].ID != o.ID || saved[0].No != o.No {
		t.Fatalf("saved = %+v", saved)
	}
	r, _ := sess.Record(apptest.RecUntr)
	if !r.UnderObjection {
		t.Error("record not under objection after filing")
	}
	if other, _ := sess.Record(apptest.RecUntr2); other.UnderObjection {
		t.Error("another record marked under objection")
	}
	if len(sess.Objections) != 1 || sess.Objections[0].No != o.No {
		t.Errorf("session objections = %+v", sess.Objections)
	}
}

func TestFileObjectionRefusals(t *testing.T) {
	tests := []struct {
		name      string
		record    string
		typ       credit.ObjectionType
		statement string
		contact   string
		failSave  error
		code      string
		wantMsg   string
	}{
		{name: "another subject's record", record: apptest.RecOrg, typ: credit.ObjWrongInfo, statement: "x", code: credit.EUNAUTHORIZED, wantMsg: "only to your own"},
		{name: "unknown record", record: "nope", typ: credit.ObjWrongInfo, statement: "x", code: credit.EUNAUTHORIZED},
		{name: "empty statement", record: apptest.RecBasic, typ: credit.ObjWrongInfo, statement: " \n ", code: credit.EINVALID, wantMsg: "state why"},
		{name: "no type", record: apptest.RecBasic, statement: "错了", code: credit.EINVALID, wantMsg: "kind of objection"},
		{name: "unknown type", record: apptest.RecBasic, typ: "because", statement: "错了", code: credit.EINVALID},
		{name: "statement too long", record: apptest.RecBasic, typ: credit.ObjWrongInfo, statement: strings.Repeat("错", credit.MaxStatementRunes+1), code: credit.EINVALID},
		{name: "contact too long", record: apptest.RecBasic, typ: credit.ObjWrongInfo, statement: "错了", contact: strings.Repeat("1", 101), code: credit.EINVALID},
		{name: "store failure", record: apptest.RecBasic, typ: credit.ObjWrongInfo, statement: "错了", failSave: errors.New("disk I/O error"), code: credit.EUNAVAILABLE, wantMsg: "could not be saved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			sess, err := e.svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tt.failSave != nil {
				e.mem.Fail["SaveObjection"] = tt.failSave
			}
			o, err := e.svc.FileObjection(t.Context(), sess, tt.record, tt.typ, tt.statement, tt.contact)
			wantCode(t, err, tt.code)
			if !strings.Contains(credit.ErrorMessageEN(err), tt.wantMsg) {
				t.Errorf("message %q does not say %q", credit.ErrorMessageEN(err), tt.wantMsg)
			}
			if o.ID != "" {
				t.Errorf("an objection came back with the error: %+v", o)
			}
			if n := len(e.mem.SavedObjections()); n != 0 {
				t.Errorf("%d objections saved", n)
			}
		})
	}
}

func TestFileObjectionTwiceConflicts(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.svc.FileObjection(t.Context(), sess, apptest.RecBasic, credit.ObjWrongInfo, "资格已注销。", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.FileObjection(t.Context(), sess, apptest.RecBasic, credit.ObjOmission, "再次提出。", "")
	wantCode(t, err, credit.ECONFLICT)
	// The port's message names the open application; it reaches the user.
	if !strings.Contains(credit.ErrorMessage(err), first.No) || !strings.Contains(credit.ErrorMessageEN(err), first.No) {
		t.Errorf("conflict message %q / %q does not name %s", credit.ErrorMessage(err), credit.ErrorMessageEN(err), first.No)
	}
	if n := len(e.mem.SavedObjections()); n != 1 {
		t.Errorf("%d objections saved, want 1", n)
	}
	// A different record of the same holder is still open to objection.
	if _, err := e.svc.FileObjection(t.Context(), sess, apptest.RecOther, credit.ObjWrongInfo, "不是我。", ""); err != nil {
		t.Errorf("objection to another record: %v", err)
	}
}

func TestFileObjectionNoSession(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.FileObjection(t.Context(), nil, apptest.RecBasic, credit.ObjWrongInfo, "x", "")
	wantCode(t, err, credit.EUNAUTHORIZED)
	// A session forged for someone else's record list holds no authority
	// beyond its own records.
	forged := &app.Session{}
	_, err = e.svc.FileObjection(t.Context(), forged, apptest.RecBasic, credit.ObjWrongInfo, "x", "")
	wantCode(t, err, credit.EUNAUTHORIZED)
}
