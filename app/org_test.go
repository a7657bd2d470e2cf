package app_test

import (
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestSearchOrganisations(t *testing.T) {
	tests := []struct {
		name  string
		query string
		leak  bool
		want  []string
		code  string
	}{
		{name: "one character", query: "兰", want: []string{apptest.OrgID, apptest.Org2ID}},
		{name: "two characters", query: " 物流 ", want: []string{apptest.Org2ID}},
		{name: "by code", query: apptest.OrgID, want: []string{apptest.OrgID}},
		{name: "no match", query: "敦煌", want: nil},
		{name: "empty", query: "  \t", code: credit.EINVALID},
		{name: "too long", query: strings.Repeat("兰", 101), code: credit.EINVALID},
		{name: "person's name never returned", query: "张三", want: nil},
		{name: "person never returned by a leaking port", query: "张三", leak: true, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.mem.LeakPersons = tt.leak
			got, err := e.svc.SearchOrganisations(t.Context(), tt.query)
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestSearchLeakingPortMixed(t *testing.T) {
	e := newEnv(t)
	e.mem.LeakPersons = true
	// "有" matches both businesses; the leaking port would also return the
	// person if the name matched. Give it a person whose name matches.
	e.mem.Put(credit.Subject{ID: "11010519491231002" + string(credit.IDCheckChar("11010519491231002")), Kind: credit.NaturalPerson, Name: "有志"})
	got, err := e.svc.SearchOrganisations(t.Context(), "有")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("got %d results, want the 2 businesses", len(got))
	}
	for _, s := range got {
		if s.IsPerson() {
			t.Errorf("a natural person was returned: %v", s.MaskedID())
		}
	}
}

func TestOpenOrganisation(t *testing.T) {
	unknownOrg := "91620102710000009" + string(credit.USCCCheckChar("91620102710000009"))
	tests := []struct {
		name        string
		id          string
		leak        bool
		code        string
		wantRecords []string
	}{
		{name: "business", id: apptest.OrgID, wantRecords: []string{apptest.RecOrg}},
		{name: "lower-case and spaces", id: " " + strings.ToLower(apptest.OrgID) + " ", wantRecords: []string{apptest.RecOrg}},
		{name: "leaking port returns all records", id: apptest.OrgID, leak: true, wantRecords: []string{apptest.RecOrg}},
		{name: "person's ID number", id: apptest.PersonID, code: credit.EUNAUTHORIZED},
		{name: "leaking port answers with a person", id: unknownOrg, leak: true, code: credit.EUNAUTHORIZED},
		{name: "unknown business", id: unknownOrg, code: credit.ENOTFOUND},
		{name: "garbage", id: "hello", code: credit.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.mem.LeakPersons = tt.leak
			v, err := e.svc.OpenOrganisation(t.Context(), tt.id)
			inq := e.mem.LoggedInquiries()
			if tt.code != "" {
				wantCode(t, err, tt.code)
				if v != nil {
					t.Error("a view came back with the error")
				}
				if len(inq) != 0 {
					t.Errorf("%d inquiries logged for a refused open", len(inq))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, g := range v.Records {
				for _, r := range g.Records {
					ids = append(ids, r.ID)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tt.wantRecords, ",") {
				t.Errorf("records %v, want %v", ids, tt.wantRecords)
			}
			if len(inq) != 1 {
				t.Fatalf("%d inquiries logged, want exactly 1", len(inq))
			}
			q := inq[0]
			if q.SubjectID != apptest.OrgID || q.InquirerKind != credit.InquirerPublic || q.Purpose != credit.PurposePublic ||
				q.Channel != apptest.DeviceID || !q.At.Equal(friday) || q.ID == "" {
				t.Errorf("inquiry = %+v", q)
			}
		})
	}
}

// TestEveryLookLogsOneInquiry reads a card and opens a business several
// times: each look adds exactly one entry, of the right kind.
func TestEveryLookLogsOneInquiry(t *testing.T) {
	e := newEnv(t)
	steps := []struct {
		do   func() error
		kind credit.InquirerKind
		subj string
	}{
		{func() error { _, err := e.svc.ReadCard(t.Context()); return err }, credit.InquirerSelf, apptest.PersonID},
		{func() error { _, err := e.svc.OpenOrganisation(t.Context(), apptest.OrgID); return err }, credit.InquirerPublic, apptest.OrgID},
		{func() error { _, err := e.svc.SearchOrganisations(t.Context(), "兰州"); return err }, "", ""},
		{func() error { _, err := e.svc.ReadCard(t.Context()); return err }, credit.InquirerSelf, apptest.PersonID},
	}
	want := 0
	for i, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		inq := e.mem.LoggedInquiries()
		if st.kind != "" {
			want++
		}
		if len(inq) != want {
			t.Fatalf("after step %d: %d inquiries, want %d", i, len(inq), want)
		}
		if st.kind == "" {
			continue
		}
		last := inq[len(inq)-1]
		if last.InquirerKind != st.kind || last.SubjectID != st.subj || last.Channel != apptest.DeviceID {
			t.Errorf("step %d logged %+v", i, last)
		}
		if st.kind == credit.InquirerSelf && last.Purpose != credit.PurposeSelf {
			t.Errorf("self inquiry purpose %q", last.Purpose)
		}
	}
	ids := map[string]bool{}
	for _, q := range e.mem.LoggedInquiries() {
		if ids[q.ID] {
			t.Errorf("inquiry ID %s reused", q.ID)
		}
		ids[q.ID] = true
	}
}

// FuzzSearchOrganisations: any query gives a clear EINVALID or a list
// without natural persons, even from a port that leaks them.
func FuzzSearchOrganisations(f *testing.F) {
	for _, s := range []string{"", " ", "兰", "张三", "有", apptest.OrgID, apptest.PersonID, "\x00\xff", strings.Repeat("a", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		e := newEnv(t)
		e.mem.LeakPersons = true
		got, err := e.svc.SearchOrganisations(t.Context(), q)
		if err != nil {
			if credit.ErrorCode(err) != credit.EINVALID {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, s := range got {
			if s.Kind != credit.LegalPerson {
				t.Fatalf("query %q returned a %s", q, s.Kind)
			}
		}
	})
}

// FuzzOpenOrganisation: any identifier is refused clearly or opens a
// business; a natural person's records never come back.
func FuzzOpenOrganisation(f *testing.F) {
	for _, s := range []string{"", apptest.OrgID, apptest.PersonID, strings.ToLower(apptest.Org2ID), "91620102710000009X", "ｘ", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		e := newEnv(t)
		e.mem.LeakPersons = true
		v, err := e.svc.OpenOrganisation(t.Context(), id)
		if err != nil {
			if credit.ErrorMessage(err) == "" || credit.ErrorCode(err) == credit.EINTERNAL {
				t.Fatalf("unclear error %v", err)
			}
			return
		}
		if v.Subject.Kind != credit.LegalPerson {
			t.Fatalf("opened a %s", v.Subject.Kind)
		}
		for _, g := range v.Records {
			for _, r := range g.Records {
				if r.SubjectID != v.Subject.ID {
					t.Fatalf("record %s of %s shown for %s", r.ID, r.SubjectID, v.Subject.ID)
				}
			}
		}
	})
}
