package store_test

import (
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// logChain logs n inquiries on device kiosk-01 (one a minute) and two on
// kiosk-02, and returns kiosk-01's inquiry IDs in order.
func logChain(t *testing.T, db *store.DB, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID, InquirerKind: credit.InquirerSelf,
			Purpose: credit.PurposeSelf, Channel: "kiosk-01", At: fixedNow.Add(time.Duration(i) * time.Minute)}
		if err := db.LogInquiry(t.Context(), q); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, q.ID)
	}
	for i := range 2 {
		q := credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoUSCC, InquirerKind: credit.InquirerPublic,
			Purpose: credit.PurposePublic, Channel: "kiosk-02", At: fixedNow.Add(time.Duration(i) * time.Second)}
		if err := db.LogInquiry(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// rawExec runs statements on the database file behind the store's back.
func rawExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestVerifyAuditChainUntouched(t *testing.T) {
	db, _ := openTest(t)
	logChain(t, db, 5)
	rep, err := db.VerifyAuditChain(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Devices != 2 || rep.Entries != 7 || rep.Unchained != 0 {
		t.Fatalf("report %+v", rep)
	}
	empty, _ := openTest(t)
	if rep, err := empty.VerifyAuditChain(t.Context()); err != nil || !rep.OK() || rep.Entries != 0 {
		t.Fatalf("empty log: %+v %v", rep, err)
	}
}

func TestVerifyAuditChainFindsTampering(t *testing.T) {
	const k1 = "channel = 'kiosk-01'"
	row := func(n int) string {
		return fmt.Sprintf("id = (SELECT inquiry_id FROM inquiry_chain WHERE %s AND seq = %d)", k1, n)
	}
	link := func(n int) string { return fmt.Sprintf("%s AND seq = %d", k1, n) }
	tests := []struct {
		name  string
		stmts []string
		pos   int64
		kind  string
		entry int  // index into the IDs of the entry named; -1 = none, -2 = "forged"
		heals bool // the next insert restores the chain (nothing was lost)
	}{
		{"purpose altered", []string{`UPDATE inquiries SET purpose = 'credit_check' WHERE ` + row(3)}, 3, store.AuditAltered, 2, false},
		{"time altered", []string{`UPDATE inquiries SET at = at + 1 WHERE ` + row(1)}, 1, store.AuditAltered, 0, false},
		{"inquirer altered", []string{`UPDATE inquiries SET inquirer_kind = 'clerk', inquirer_id = 'c7' WHERE ` + row(5)}, 5, store.AuditAltered, 4, false},
		{"channel altered", []string{`UPDATE inquiries SET channel = 'kiosk-09' WHERE ` + row(2)}, 2, store.AuditAltered, 1, false},
		{"hash rewritten", []string{`UPDATE inquiry_chain SET hash = prev_hash WHERE ` + link(2)}, 2, store.AuditAltered, 1, false},
		{"middle row deleted", []string{`DELETE FROM inquiries WHERE ` + row(2)}, 2, store.AuditRemoved, 1, false},
		{"first row deleted", []string{`DELETE FROM inquiries WHERE ` + row(1)}, 1, store.AuditRemoved, 0, false},
		{"row and link deleted", []string{`DELETE FROM inquiries WHERE ` + row(3), `DELETE FROM inquiry_chain WHERE ` + link(3)}, 3, store.AuditRemoved, -1, false},
		{"last row and link deleted", []string{`DELETE FROM inquiries WHERE ` + row(5), `DELETE FROM inquiry_chain WHERE ` + link(5)}, 5, store.AuditRemoved, -1, false},
		{"link deleted", []string{`DELETE FROM inquiry_chain WHERE ` + link(4)}, 4, store.AuditRemoved, -1, false},
		{"removed and renumbered", []string{
			`DELETE FROM inquiries WHERE ` + row(2),
			`DELETE FROM inquiry_chain WHERE ` + link(2),
			`UPDATE inquiry_chain SET seq = seq - 1 WHERE ` + k1 + ` AND seq > 2`,
			`UPDATE audit_heads SET seq = 4 WHERE ` + k1,
		}, 2, store.AuditRemoved, 2, false},
		{"two swapped", []string{
			`UPDATE inquiry_chain SET seq = -1 WHERE ` + link(2),
			`UPDATE inquiry_chain SET seq = 2 WHERE ` + link(3),
			`UPDATE inquiry_chain SET seq = 3 WHERE ` + link(-1),
		}, 2, store.AuditReordered, 2, false},
		{"last two swapped", []string{
			`UPDATE inquiry_chain SET seq = -1 WHERE ` + link(4),
			`UPDATE inquiry_chain SET seq = 4 WHERE ` + link(5),
			`UPDATE inquiry_chain SET seq = 5 WHERE ` + link(-1),
		}, 4, store.AuditReordered, 4, false},
		{"duplicate position", []string{`UPDATE inquiry_chain SET seq = 2 WHERE ` + link(3)}, 2, store.AuditInserted, 2, false},
		{"entry written behind the chain", []string{`INSERT INTO inquiries (id, subject_id, inquirer_kind, inquirer_id, purpose, auth_ref, channel, at)
VALUES ('forged', '` + synth.DemoID + `', 'clerk', 'c1', 'x', 'y', 'kiosk-01', 1)`}, 0, store.AuditInserted, -2, false},
		{"head deleted", []string{`DELETE FROM audit_heads WHERE ` + k1}, 5, store.AuditAltered, -1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openTest(t)
			ids := logChain(t, db, 5)
			rawExec(t, path, tt.stmts...)
			rep, err := db.VerifyAuditChain(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Problems) != 1 {
				t.Fatalf("problems %+v, want one (kiosk-02 is intact)", rep.Problems)
			}
			p := rep.Problems[0]
			if p.Device != "kiosk-01" || p.Position != tt.pos || p.Kind != tt.kind {
				t.Fatalf("problem %v, want %s at %d", p, tt.kind, tt.pos)
			}
			want := map[int]string{-1: "", -2: "forged"}[tt.entry]
			if tt.entry >= 0 {
				want = ids[tt.entry]
			}
			if p.EntryID != want {
				t.Errorf("entry %q, want %q", p.EntryID, want)
			}
			// Logging goes on, and the break stays visible.
			logChain(t, db, 1)
			rep, err = db.VerifyAuditChain(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if tt.heals {
				if !rep.OK() {
					t.Fatalf("after more logging: %+v", rep)
				}
				return
			}
			if len(rep.Problems) != 1 || rep.Problems[0].Position != tt.pos || rep.Problems[0].Kind != tt.kind {
				t.Fatalf("after more logging: %+v", rep)
			}
		})
	}
}

// TestAuditChainsOldEntries: entries logged before the chain existed are
// reported as unchained and chained, oldest first, by the device's next
// inquiry.
func TestAuditChainsOldEntries(t *testing.T) {
	db, path := openTest(t)
	logChain(t, db, 3)
	rawExec(t, path, `DELETE FROM inquiry_chain`, `DELETE FROM audit_heads`)
	rep, err := db.VerifyAuditChain(t.Context())
	if err != nil || !rep.OK() || rep.Unchained != 5 || rep.Entries != 0 {
		t.Fatalf("before: %+v %v", rep, err)
	}
	logChain(t, db, 1)
	rep, err = db.VerifyAuditChain(t.Context())
	if err != nil || !rep.OK() || rep.Unchained != 0 || rep.Entries != 8 {
		t.Fatalf("after: %+v %v", rep, err)
	}
}

func TestAuditChainConcurrentInserts(t *testing.T) {
	db, _ := openTest(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				errs <- db.LogInquiry(t.Context(), credit.Inquiry{ID: credit.NewUUID(), SubjectID: synth.DemoID,
					InquirerKind: credit.InquirerSelf, Purpose: fmt.Sprint(g), Channel: "kiosk-01",
					At: fixedNow.Add(time.Duration(i) * time.Second)})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	rep, err := db.VerifyAuditChain(t.Context())
	if err != nil || !rep.OK() || rep.Entries != 40 {
		t.Fatalf("%+v %v", rep, err)
	}
}
