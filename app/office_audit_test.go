package app_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
)

// auditDesk is an office over a real store holding 120 inquiries, one an
// hour back from friday: every third by S001 on office-A with purpose
// civil service into the person, the rest by C001 on office-B into the
// business; a clerk C001 and a supervisor S001 can log in.
type auditDesk struct {
	*officeFixture
	db   *store.DB
	logs *bytes.Buffer
}

func newAuditDesk(t *testing.T) *auditDesk {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i := range 120 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: apptest.OrgID, InquirerKind: credit.InquirerClerk, InquirerID: "C001",
			Purpose: string(credit.PurposeProcurement), Channel: "office-B", At: friday.Add(-time.Duration(120-i) * time.Hour)}
		if i%3 == 0 {
			q.SubjectID, q.InquirerID, q.Purpose, q.AuthRef, q.Channel = apptest.PersonID, "S001", string(credit.PurposeCivilService), fmt.Sprintf("SQ-%d", i), "office-A"
		}
		if err := db.LogInquiry(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	f := newOffice(t)
	d := &auditDesk{officeFixture: f, db: db, logs: &bytes.Buffer{}}
	f.office = app.NewOffice(app.OfficeDeps{Clerks: f.clerks, Records: f.mem, Inquiries: db, Queue: f.queue, Now: f.clock.Now,
		Argon2: apptest.FastArgon2, Logger: slog.New(slog.NewTextHandler(d.logs, nil))})
	if err := f.office.AddClerk(ctx, credit.Clerk{ID: "S001", Name: "李强", Role: credit.RoleSupervisor}, clerkPassword); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAuditLog: a supervisor pages through the inquiry log, newest first,
// 50 at a time, filtered by days, clerk, channel and purpose; ID numbers
// are masked, business codes shown; bad filters are refused in words; a
// clerk is refused; the view is logged without any ID number.
func TestAuditLog(t *testing.T) {
	d := newAuditDesk(t)
	ctx := t.Context()
	sup, err := d.office.Login(ctx, "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name               string
		q                  app.AuditQuery
		page, pages, total int
		entries            int
		first              time.Time // of the first entry; zero: not checked
		code               string
	}{
		{name: "first page", q: app.AuditQuery{}, pages: 3, total: 120, entries: 50, first: friday.Add(-time.Hour)},
		{name: "last page", q: app.AuditQuery{Page: 2}, page: 2, pages: 3, total: 120, entries: 20, first: friday.Add(-101 * time.Hour)},
		{name: "past the end", q: app.AuditQuery{Page: 9}, page: 2, pages: 3, total: 120, entries: 20},
		{name: "negative page", q: app.AuditQuery{Page: -1}, pages: 3, total: 120, entries: 50},
		{name: "clerk", q: app.AuditQuery{Clerk: " S001 "}, pages: 1, total: 40, entries: 40, first: friday.Add(-3 * time.Hour)},
		{name: "channel", q: app.AuditQuery{Channel: "office-B"}, pages: 2, total: 80, entries: 50, first: friday.Add(-time.Hour)},
		{name: "purpose", q: app.AuditQuery{Purpose: string(credit.PurposeCivilService)}, pages: 1, total: 40, entries: 40},
		// friday is 2026-11-27 10:00; 11-26 holds the hours 00:00–23:00 (24 entries).
		{name: "one day", q: app.AuditQuery{From: "2026-11-26", To: "2026-11-26"}, pages: 1, total: 24, entries: 24, first: time.Date(2026, 11, 26, 23, 0, 0, 0, credit.China)},
		{name: "from only", q: app.AuditQuery{From: "2026-11-27"}, pages: 1, total: 10, entries: 10},
		{name: "nothing", q: app.AuditQuery{Clerk: "X999"}, pages: 1, total: 0, entries: 0},
		{name: "bad date", q: app.AuditQuery{From: "2026-13-01"}, code: credit.EINVALID},
		{name: "backwards", q: app.AuditQuery{From: "2026-11-27", To: "2026-11-20"}, code: credit.EINVALID},
		{name: "control char", q: app.AuditQuery{Channel: "a\x00b"}, code: credit.EINVALID},
		{name: "too long", q: app.AuditQuery{Clerk: strings.Repeat("工", 65)}, code: credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := d.office.AuditLog(ctx, sup, tt.q)
			if tt.code != "" {
				if credit.ErrorCode(err) != tt.code || credit.ErrorMessage(err) == "" || credit.ErrorMessageEN(err) == "" {
					t.Fatalf("err %v, want %s with zh and en words", err, tt.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Page != tt.page || p.Pages != tt.pages || p.Total != tt.total || len(p.Entries) != tt.entries {
				t.Fatalf("page %d/%d total %d entries %d, want %d/%d %d %d", p.Page, p.Pages, p.Total, len(p.Entries), tt.page, tt.pages, tt.total, tt.entries)
			}
			if !tt.first.IsZero() && !p.Entries[0].At.Equal(tt.first) {
				t.Errorf("first entry at %v, want %v", p.Entries[0].At, tt.first)
			}
			for i, e := range p.Entries {
				if i > 0 && e.At.After(p.Entries[i-1].At) {
					t.Fatalf("entry %d is newer than the one before", i)
				}
				if e.Position <= 0 || strings.Contains(e.Subject, apptest.PersonID) {
					t.Fatalf("entry %+v: no chain position, or an ID number in full", e)
				}
				if person := e.Channel == "office-A"; person && (e.Subject != credit.IDNumber(apptest.PersonID).Masked() || e.AuthRef == "") ||
					!person && e.Subject != apptest.OrgID {
					t.Fatalf("entry %+v: subject shown wrongly", e)
				}
			}
		})
	}
	// The chain positions count per device: office-A's newest is its 40th.
	if p, _ := d.office.AuditLog(ctx, sup, app.AuditQuery{Channel: "office-A"}); len(p.Entries) == 0 || p.Entries[0].Position != 40 {
		t.Errorf("office-A's newest entry: %+v", p.Entries)
	}
	if logs := d.logs.String(); !strings.Contains(logs, "audit log viewed") || !strings.Contains(logs, "clerk=S001") || strings.Contains(logs, apptest.PersonID) {
		t.Errorf("the view is not logged, or an ID number is: %s", logs)
	}
	clerk := d.login(t)
	if _, err := d.office.AuditLog(ctx, clerk, app.AuditQuery{}); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("a clerk reads the audit log: %v", err)
	}
	d.office.Logout(sup)
	if _, err := d.office.AuditLog(ctx, sup, app.AuditQuery{}); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("after logout: %v", err)
	}
	// An inquiry log that cannot be paged says so.
	plain := app.NewOffice(app.OfficeDeps{Clerks: d.clerks, Inquiries: noPaging{d.mem}, Now: d.clock.Now, Argon2: apptest.FastArgon2})
	cs, err := plain.Login(ctx, "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.AuditLog(ctx, cs, app.AuditQuery{}); credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Fatalf("no paging: %v", err)
	}
}

// noPaging is an inquiry log without InquiryLog.
type noPaging struct{ app.InquiryLog }

// FuzzAuditQuery: whatever the supervisor types into the filters, the
// query is either refused with a message or gives a filter whose range
// runs forwards and whose page is within bounds; it never panics.
func FuzzAuditQuery(f *testing.F) {
	f.Add("2026-11-01", "2026-11-30", "S001", "office-620102", "art25_talent", 0)
	f.Add("", "", "", "", "", -5)
	f.Add("2026-02-30", "x", "\x00", "通道", "self_inquiry", 3)
	f.Add(" 2026-11-27 ", "2026-11-27", strings.Repeat("a", 70), "", "", 1<<20)
	f.Fuzz(func(t *testing.T, from, to, clerk, channel, purpose string, page int) {
		page %= 1 << 20 // a page the UI can reach
		q := app.AuditQuery{From: from, To: to, Clerk: clerk, Channel: channel, Purpose: purpose, Page: page}
		fl, err := q.Filter()
		if err != nil {
			if credit.ErrorCode(err) != credit.EINVALID || credit.ErrorMessageEN(err) == "" {
				t.Fatalf("%+v: %v", q, err)
			}
			return
		}
		if !fl.From.IsZero() && !fl.To.IsZero() && !fl.From.Before(fl.To) {
			t.Fatalf("%+v: range %v..%v runs backwards", q, fl.From, fl.To)
		}
		if fl.Offset < 0 || fl.Limit != app.AuditPageSize {
			t.Fatalf("%+v: offset %d limit %d", q, fl.Offset, fl.Limit)
		}
	})
}

// overStore rebuilds the desk's office with the store as its records too
// (the fixture loaded) and logs the supervisor in.
func (d *auditDesk) overStore(t *testing.T) *app.ClerkSession {
	t.Helper()
	subjects, records := apptest.FixtureData()
	if err := d.db.Load(t.Context(), subjects, records); err != nil {
		t.Fatal(err)
	}
	d.office = app.NewOffice(app.OfficeDeps{Clerks: d.clerks, Records: d.db, Inquiries: d.db, Queue: d.queue, Now: d.clock.Now,
		Argon2: apptest.FastArgon2, DeviceID: "office-A"})
	sup, err := d.office.Login(t.Context(), "S001", clerkPassword)
	if err != nil {
		t.Fatal(err)
	}
	return sup
}

// TestAuditLogResultCount: an authorised inquiry's entry shows how many
// records it opened, an unknown subject's shows none found, an entry
// logged without a count shows it has none; over a real store.
func TestAuditLogResultCount(t *testing.T) {
	d := newAuditDesk(t)
	ctx := t.Context()
	sup := d.overStore(t)
	v, err := d.office.AuthorisedInquiry(ctx, sup, apptest.PersonID, string(credit.PurposeCivilService), "SQ-R1")
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, g := range v.Records {
		want += len(g.Records)
	}
	unknown := "62010219900307000" + string(credit.IDCheckChar("62010219900307000"))
	if _, err := d.office.AuthorisedInquiry(ctx, sup, unknown, string(credit.PurposeCivilService), "SQ-R2"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown subject: %v", err)
	}
	p, err := d.office.AuditLog(ctx, sup, app.AuditQuery{Channel: "office-A"})
	if err != nil || len(p.Entries) < 3 {
		t.Fatalf("%+v, %v", p, err)
	}
	got := []int{p.Entries[0].Results, p.Entries[1].Results, p.Entries[2].Results}
	if want == 0 || got[0] != 0 || got[1] != want || got[2] != -1 {
		t.Fatalf("results (unknown, person, logged before) %v, want [0 %d -1]", got, want)
	}
}

// TestAuditLogIntakeResult: an intake look-up's entry carries its count
// too, and its purpose is filterable.
func TestAuditLogIntakeResult(t *testing.T) {
	d := newAuditDesk(t)
	ctx := t.Context()
	sup := d.overStore(t)
	v, err := d.office.IntakeLookup(ctx, sup, apptest.PersonID, credit.ApplicantSelf, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.office.AuditLog(ctx, sup, app.AuditQuery{Purpose: credit.PurposeIntake})
	if err != nil || len(p.Entries) != 1 || p.Entries[0].Results != len(v.Records) || len(v.Records) == 0 {
		t.Fatalf("%+v, %v; want one intake entry with %d records", p, err, len(v.Records))
	}
}
