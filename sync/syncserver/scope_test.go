package syncserver

import (
	"database/sql"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/synth"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		in, canon string
		valid     bool
		in620102  bool
		in620402  bool
	}{
		{"", "", true, true, true},
		{"620102", "620102", true, true, false},
		{"6201", "6201", true, true, false},
		{" 620402, 620102 ,620102", "620102,620402", true, true, true},
		{"620102;6204", "620102,6204", true, true, true},
		{"62", "62", true, true, true},
		{"6201x", "", false, true, true}, // dropped when read: everything
		{"6201021", "", false, true, true},
	}
	for _, tt := range tests {
		sc := parseScope(tt.in)
		if sc.String() != tt.canon || validScope(tt.in) != tt.valid || sc.has("620102") != tt.in620102 || sc.has("620402") != tt.in620402 {
			t.Errorf("%q: canon %q valid %v has(620102) %v has(620402) %v", tt.in, sc.String(), validScope(tt.in), sc.has("620102"), sc.has("620402"))
		}
		if !sc.has("") {
			t.Errorf("%q: a change without a region must be in every scope", tt.in)
		}
		if (sc.hash() == "") != sc.all() {
			t.Errorf("%q: hash %q for all=%v", tt.in, sc.hash(), sc.all())
		}
	}
	if parseScope("620102").hash() == parseScope("620103").hash() {
		t.Error("two scopes share a hash")
	}
}

func FuzzParseScope(f *testing.F) {
	for _, s := range []string{"", "620102", "6201,620402", " ;,", "62010x", "١٢٣"} {
		f.Add(s, "620102")
	}
	f.Fuzz(func(t *testing.T, in, region string) {
		sc := parseScope(in)
		again := parseScope(sc.String())
		if again.String() != sc.String() || again.hash() != sc.hash() {
			t.Fatalf("%q: canonical form %q does not parse back (%q)", in, sc.String(), again.String())
		}
		if validScope(sc.String()) != true {
			t.Fatalf("%q: canonical form %q invalid", in, sc.String())
		}
		if sc.has(region) != (region == "" || sc.all() || slices.ContainsFunc(sc.prefixes, func(p string) bool { return strings.HasPrefix(region, p) })) {
			t.Fatalf("%q has %q wrong", in, region)
		}
	})
}

// scopeRig: kiosk-a serves 620102 (城关区), kiosk-b serves 6204 (白银市),
// both on a real HTTP server over a synth dataset spread over Gansu.
type scopeRig struct {
	t    *testing.T
	s    *Server
	a, b client
	ds   synth.Dataset
}

func newScopeRig(t *testing.T) *scopeRig {
	return newScopeRigAt(t, filepath.Join(t.TempDir(), "srv.db"))
}

func newScopeRigAt(t *testing.T, path string) *scopeRig {
	s := openServer(t, path, 7)
	ds := synth.Generate(5, 120)
	if err := s.PutSubjects(t.Context(), ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	for id, sc := range map[string]string{"kiosk-a": "620102", "kiosk-b": "6204"} {
		if _, _, err := s.AddDevice(t.Context(), id, sc); err != nil {
			t.Fatal(err)
		}
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &scopeRig{t: t, s: s, a: client{t, hs.URL, tokA}, b: client{t, hs.URL, tokB}, ds: ds}
}

// want lists the "type/id" of the dataset's subjects and records in scope.
func (r *scopeRig) want(prefix string) []string {
	region := map[string]string{}
	var out []string
	for _, s := range r.ds.Subjects {
		region[s.ID] = s.Region
		if strings.HasPrefix(s.Region, prefix) {
			out = append(out, "subject/"+s.ID)
		}
	}
	for _, rec := range r.ds.Records {
		if strings.HasPrefix(region[rec.SubjectID], prefix) {
			out = append(out, "record/"+rec.ID)
		}
	}
	slices.Sort(out)
	return out
}

// pullAll follows the feed from cursor to its end and returns the puts
// and dels it held and the last cursor.
func (r *scopeRig) pullAll(c client, cursor string) (puts, dels []string, next string) {
	r.t.Helper()
	for {
		p, code, body := c.page(cursor, 0)
		if code != 200 {
			r.t.Fatalf("pull: %d %s", code, body)
		}
		for _, ch := range p.Changes {
			k := string(ch.Type) + "/" + ch.ID
			if ch.Op == credit.OpDel {
				dels = append(dels, k)
			} else if ch.Type != credit.TypeApplicationStatus {
				puts = append(puts, k)
			}
		}
		cursor = p.Next
		if !p.More {
			slices.Sort(puts)
			return puts, dels, cursor
		}
	}
}

// snapshotAll pages a whole snapshot and returns its subjects and
// records and the cursor it ends with.
func (r *scopeRig) snapshotAll(c client) ([]string, string) {
	r.t.Helper()
	var keys []string
	token, after := "", ""
	for {
		p, code, body := snapshotPage(r.t, c, token, after, 7)
		if code != 200 {
			r.t.Fatalf("snapshot: %d %s", code, body)
		}
		for _, ch := range p.Changes {
			if ch.Type == credit.TypeSubject || ch.Type == credit.TypeRecord {
				keys = append(keys, string(ch.Type)+"/"+ch.ID)
			}
		}
		token, after = p.Token, p.After
		if !p.More {
			slices.Sort(keys)
			return keys, p.Next
		}
	}
}

func TestScopeFiltersFeedAndSnapshot(t *testing.T) {
	r := newScopeRig(t)
	wantA, wantB := r.want("620102"), r.want("6204")
	if len(wantA) == 0 || len(wantB) == 0 || len(wantA)+len(wantB) >= len(r.ds.Subjects)+len(r.ds.Records) {
		t.Fatalf("dataset does not exercise scopes: %d in 620102, %d in 6204", len(wantA), len(wantB))
	}
	putsA, _, curA := r.pullAll(r.a, "")
	putsB, _, curB := r.pullAll(r.b, "")
	if !slices.Equal(putsA, wantA) {
		t.Errorf("kiosk-a (620102) got %d changes, want %d:\n got %v\nwant %v", len(putsA), len(wantA), putsA, wantA)
	}
	if !slices.Equal(putsB, wantB) {
		t.Errorf("kiosk-b (6204) got %d changes, want %d", len(putsB), len(wantB))
	}
	snapA, _ := r.snapshotAll(r.a)
	if !slices.Equal(snapA, wantA) {
		t.Errorf("kiosk-a's snapshot holds %d rows, want %d", len(snapA), len(wantA))
	}

	// A withdrawal reaches the device whose scope holds the record, only.
	recA := strings.TrimPrefix(wantA[0], "record/")
	if !strings.HasPrefix(wantA[0], "record/") {
		recA = strings.TrimPrefix(wantA[slices.IndexFunc(wantA, func(k string) bool { return strings.HasPrefix(k, "record/") })], "record/")
	}
	if err := r.s.WithdrawRecord(t.Context(), recA, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	// Kiosk-b's own application status reaches it whatever its region.
	appID := credit.NewUUID()
	if _, _, err := r.s.receive(t.Context(), "kiosk-b", credit.KindObjection, appID, objection(appID, "与事实不符")); err != nil {
		t.Fatal(err)
	}
	_, delsA, _ := r.pullAll(r.a, curA)
	_, delsB, _ := r.pullAll(r.b, curB)
	if !slices.Equal(delsA, []string{"record/" + recA}) || len(delsB) != 0 {
		t.Errorf("tombstones: kiosk-a %v, kiosk-b %v", delsA, delsB)
	}
	p, _, _ := r.b.page(curB, 0)
	if len(p.Changes) != 1 || p.Changes[0].Type != credit.TypeApplicationStatus || p.Changes[0].ID != appID {
		t.Errorf("kiosk-b's own status: %+v", p.Changes)
	}
}

func TestScopeChangeMeansResyncOfTheNewScope(t *testing.T) {
	r := newScopeRig(t)
	_, _, cur := r.pullAll(r.a, "")
	// A snapshot under way when the scope changes starts over.
	p, code, _ := snapshotPage(t, r.a, "", "", 3)
	if code != 200 || !p.More {
		t.Fatalf("snapshot page %d", code)
	}
	if err := r.s.SetDeviceScope(t.Context(), "kiosk-a", "620402"); err != nil {
		t.Fatal(err)
	}
	if _, code, body := snapshotPage(t, r.a, p.Token, p.After, 3); code != 410 || problemOf(t, body).Reason != protocol.ReasonScopeChanged {
		t.Errorf("old snapshot after the scope change: %d %s", code, body)
	}
	_, code, body := r.a.page(cur, 0)
	if code != 410 || problemOf(t, body).Reason != protocol.ReasonScopeChanged {
		t.Fatalf("old cursor after the scope change: %d %s", code, body)
	}
	snap, next := r.snapshotAll(r.a)
	if want := r.want("620402"); !slices.Equal(snap, want) {
		t.Errorf("snapshot of the new scope holds %d rows, want %d", len(snap), len(want))
	}
	// The snapshot's cursor is good for the new scope's feed.
	if p, code, body := r.a.page(next, 0); code != 200 || len(p.Changes) != 0 {
		t.Errorf("feed after the resync: %d %s", code, body)
	}

	bad := []struct{ id, scope string }{{"kiosk-a", "62x"}, {"kiosk-a", "6201021"}, {"nobody", "620102"}}
	for _, tt := range bad {
		if err := r.s.SetDeviceScope(t.Context(), tt.id, tt.scope); credit.ErrorCode(err) == credit.EINTERNAL || err == nil {
			t.Errorf("SetDeviceScope(%q, %q) = %v", tt.id, tt.scope, err)
		}
	}
	if _, _, err := r.s.AddDevice(t.Context(), "kiosk-c", "兰州"); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("AddDevice with a bad scope: %v", err)
	}
}

// A database written before scopes existed (no region columns, no
// triggers) is brought up to date on Open: its rows get their regions and
// a scoped device's feed and snapshot hold its scope only.
func TestScopeUpgradeOfOldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "srv.db")
	r := newScopeRigAt(t, path)
	if err := r.s.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TRIGGER subjects_region_ins`, `DROP TRIGGER subjects_region_upd`, `DROP TRIGGER records_region_ins`,
		`ALTER TABLE change_log DROP COLUMN region`, `ALTER TABLE subjects DROP COLUMN region`, `ALTER TABLE records DROP COLUMN region`} {
		if _, err := db.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	s := openServer(t, path, 7)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	r.s, r.a = s, client{t, hs.URL, tokA}
	puts, _, _ := r.pullAll(r.a, "")
	if want := r.want("620102"); !slices.Equal(puts, want) {
		t.Errorf("feed after the upgrade: %d changes, want %d", len(puts), len(want))
	}
	if snap, _ := r.snapshotAll(r.a); !slices.Equal(snap, r.want("620102")) {
		t.Errorf("snapshot after the upgrade: %d rows", len(snap))
	}
}
