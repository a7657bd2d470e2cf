package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestReadCardErrors(t *testing.T) {
	badNumber := apptest.PersonCard()
	badNumber.Number = apptest.PersonID[:17] + "0"
	if badNumber.Number == apptest.PersonID {
		badNumber.Number = apptest.PersonID[:17] + "1"
	}
	foreign := apptest.PersonCard()
	foreign.Kind, foreign.Number = credit.CardForeign2017, "USA620190030712"
	tests := []struct {
		name     string
		noReader bool
		card     credit.IDCard
		err      error
		code     string
		wantMsg  string
	}{
		{name: "no reader", noReader: true, code: credit.EUNAVAILABLE, wantMsg: "No ID card reader"},
		{name: "no card", err: credit.Errorf(credit.ENOTFOUND, "无卡", "no card"), code: credit.ENOTFOUND, wantMsg: "No card found"},
		{name: "serial failure", err: errors.New("read /dev/ttyUSB0: i/o timeout"), code: credit.EDEVICE, wantMsg: "could not be read"},
		{name: "device error passes through", err: credit.Errorf(credit.EDEVICE, "读卡器故障", "The reader reports a fault."), code: credit.EDEVICE, wantMsg: "reader reports a fault"},
		{name: "bad check character", card: badNumber, code: credit.EDEVICE, wantMsg: "not read correctly"},
		{name: "foreign card", card: foreign, code: credit.EINVALID, wantMsg: "cannot look up this kind of card"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			svc := e.svc
			if tt.noReader {
				svc = app.New(app.Deps{Records: e.mem, Inquiries: e.mem, Applications: e.mem, Now: func() time.Time { return friday }})
			} else {
				e.card.Set(tt.card, tt.err)
			}
			sess, err := svc.ReadCard(t.Context())
			if sess != nil {
				t.Fatalf("got a session on error %v", err)
			}
			wantCode(t, err, tt.code)
			if !strings.Contains(credit.ErrorMessageEN(err), tt.wantMsg) {
				t.Errorf("message %q does not say %q", credit.ErrorMessageEN(err), tt.wantMsg)
			}
			if n := len(e.mem.LoggedInquiries()); n != 0 {
				t.Errorf("%d inquiries logged for a failed read", n)
			}
		})
	}
}

func TestReadCardSession(t *testing.T) {
	e := newEnv(t)
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !sess.Known || sess.Subject.ID != apptest.PersonID || sess.Card.Name != apptest.PersonName {
		t.Fatalf("session subject = %+v known=%v", sess.Subject, sess.Known)
	}
	if sess.CardExpired || sess.Stale || !sess.DataAsOf.Equal(friday.Add(-time.Hour)) {
		t.Errorf("expired=%v stale=%v asOf=%v", sess.CardExpired, sess.Stale, sess.DataAsOf)
	}
	want := map[credit.Category][]string{
		credit.CategoryBasic:         {apptest.RecBasic},
		credit.CategoryUntrustworthy: {apptest.RecUntr, apptest.RecUntr2},
		credit.CategoryOther:         {apptest.RecOther},
	}
	if len(sess.Records) != 3 {
		t.Fatalf("got %d groups, want 3", len(sess.Records))
	}
	for i, g := range sess.Records {
		if g.Category != credit.Categories[i] {
			t.Errorf("group %d is %s, want %s", i, g.Category, credit.Categories[i])
		}
		var ids []string
		for _, r := range g.Records {
			ids = append(ids, r.ID)
		}
		if strings.Join(ids, ",") != strings.Join(want[g.Category], ",") {
			t.Errorf("%s records = %v, want %v", g.Category, ids, want[g.Category])
		}
	}
	// The inquiry is logged before the data is read, so the holder sees
	// this very look in "who looked at my data".
	if len(sess.Inquiries) != 1 || sess.Inquiries[0].InquirerKind != credit.InquirerSelf {
		t.Errorf("session inquiries = %+v", sess.Inquiries)
	}
}

func TestReadCardStates(t *testing.T) {
	expired := apptest.PersonCard()
	expired.ValidTo = "20260101"
	longTerm := apptest.PersonCard()
	longTerm.ValidTo = credit.LongTerm
	stranger := apptest.PersonCard()
	stranger.Number = "62010219850101001" + string(credit.IDCheckChar("62010219850101001"))
	stranger.Name = "李四"
	gat := apptest.PersonCard()
	gat.Kind = credit.CardGAT
	gat.Number = "81000019900101002" + string(credit.IDCheckChar("81000019900101002"))
	tests := []struct {
		name        string
		card        credit.IDCard
		asOf        time.Time
		wantExpired bool
		wantStale   bool
		wantKnown   bool
	}{
		{"fresh", apptest.PersonCard(), friday.Add(-71 * time.Hour), false, false, true},
		{"stale", apptest.PersonCard(), friday.Add(-73 * time.Hour), false, true, true},
		{"never synced", apptest.PersonCard(), time.Time{}, false, true, true},
		{"expired card still served", expired, friday, true, false, true},
		{"long-term card", longTerm, friday, false, false, true},
		{"holder unknown to the cache", stranger, friday, false, false, false},
		{"residence permit (J)", gat, friday, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.mem.SetDataAsOf(tt.asOf)
			e.card.Set(tt.card, nil)
			sess, err := e.svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if sess.CardExpired != tt.wantExpired || sess.Stale != tt.wantStale || sess.Known != tt.wantKnown {
				t.Errorf("expired=%v stale=%v known=%v, want %v %v %v", sess.CardExpired, sess.Stale, sess.Known, tt.wantExpired, tt.wantStale, tt.wantKnown)
			}
			if sess.Empty() == tt.wantKnown {
				t.Errorf("Empty() = %v with known=%v", sess.Empty(), tt.wantKnown)
			}
			if len(sess.Records) != len(credit.Categories) {
				t.Errorf("%d groups, want one per category even when empty", len(sess.Records))
			}
			if sess.Subject.ID != tt.card.Number {
				t.Errorf("subject %s, want %s", sess.Subject.ID, tt.card.Number)
			}
			if n := len(e.mem.LoggedInquiries()); n != 1 {
				t.Errorf("%d inquiries logged, want 1", n)
			}
		})
	}
}

func TestReadCardInquiryFailsNoData(t *testing.T) {
	e := newEnv(t)
	e.mem.Fail["LogInquiry"] = errors.New("database is locked")
	sess, err := e.svc.ReadCard(t.Context())
	if sess != nil {
		t.Fatal("data returned although the inquiry was not logged")
	}
	wantCode(t, err, credit.EUNAVAILABLE)
}

func TestReadCardStoreFailureIsInternal(t *testing.T) {
	e := newEnv(t)
	e.mem.Fail["RecordsOf"] = errors.New("SQL logic error: no such table: records")
	_, err := e.svc.ReadCard(t.Context())
	wantCode(t, err, credit.EINTERNAL)
	if strings.Contains(credit.ErrorMessageEN(err), "SQL") {
		t.Errorf("user message leaks SQL: %q", credit.ErrorMessageEN(err))
	}
}

func TestEndSession(t *testing.T) {
	e := newEnv(t)
	events, cancel := e.svc.Subscribe()
	defer cancel()
	sess, err := e.svc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	e.svc.EndSession(sess)
	if sess.Card.Name != "" || sess.Card.Number != "" || sess.Subject.ID != "" || sess.Subject.Name != "" ||
		sess.Records != nil || sess.Inquiries != nil || sess.Objections != nil || !sess.DataAsOf.IsZero() {
		t.Errorf("session not cleared: %+v", sess)
	}
	if got := (<-events).Type; got != app.CardRead {
		t.Errorf("first event %s, want CardRead", got)
	}
	if got := (<-events).Type; got != app.SessionEnded {
		t.Errorf("second event %s, want SessionEnded", got)
	}
	if _, err := e.svc.FileObjection(t.Context(), sess, apptest.RecBasic, credit.ObjWrongInfo, "错误", ""); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("objection on an ended session: %v", err)
	}
	e.svc.EndSession(nil) // no panic
}

// FuzzReadCard: whatever the reader hands over, the kiosk answers with a
// clear message or a session for the validated number, and logs exactly
// one inquiry for a session and none for a refusal.
func FuzzReadCard(f *testing.F) {
	f.Add(string(credit.CardResident), apptest.PersonID, apptest.PersonName, "20360101")
	f.Add(string(credit.CardGAT), "81000019900101002X", "陈大文", credit.LongTerm)
	f.Add(string(credit.CardForeign2023), "932156199001010012", "SMITH", "20300101")
	f.Add("", strings.ToLower(apptest.PersonID[:17])+"x", "", "")
	f.Add("??", "６２０１０２１９９００３０７１２３Ｘ", "\x00", "2026013")
	f.Fuzz(func(t *testing.T, kind, number, name, validTo string) {
		e := newEnv(t)
		e.card.Set(credit.IDCard{Kind: credit.CardKind(kind), Number: number, Name: name, ValidTo: validTo}, nil)
		sess, err := e.svc.ReadCard(t.Context())
		inq := e.mem.LoggedInquiries()
		if err != nil {
			if credit.ErrorCode(err) == credit.EINTERNAL || credit.ErrorMessage(err) == "" || credit.ErrorMessageEN(err) == "" {
				t.Fatalf("unclear error %v", err)
			}
			if len(inq) != 0 {
				t.Fatalf("%d inquiries for a refused card", len(inq))
			}
			return
		}
		id, perr := credit.ParseIDNumber(number)
		if perr != nil || sess.Subject.ID != string(id) || sess.Card.Number != string(id) {
			t.Fatalf("session for %q from number %q (%v)", sess.Subject.ID, number, perr)
		}
		if len(inq) != 1 || inq[0].SubjectID != string(id) || inq[0].InquirerKind != credit.InquirerSelf {
			t.Fatalf("inquiries %+v", inq)
		}
	})
}
