package store_test

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/synth"
)

// uscc makes a valid credit code from a 17-character body.
func uscc(body string) string { return body + string(credit.USCCCheckChar(body)) }

// idno makes a valid ID number from a 17-digit body.
func idno(body string) string { return body + string(credit.IDCheckChar(body)) }

func org(id, name string) credit.Subject {
	return credit.Subject{ID: id, Kind: credit.LegalPerson, Name: name, Region: id[2:8], Version: 1}
}

var (
	orgExact    = org(uscc("91620102000000011"), "黄河")
	orgPrefix   = org(uscc("91620102000000022"), "黄河物流有限公司")
	orgContains = org(uscc("91620103000000033"), "兰州黄河商贸有限公司")
	orgRare     = org(uscc("91620602000000044"), "甘肃堃源建材有限公司")
	orgLatin    = org(uscc("91620702000000055"), "ＡＢＣ科技有限公司")
	orgMinority = org(uscc("93623001000000066"), "合作市扎西·多吉农牧专业合作社")
	person      = credit.Subject{ID: idno("62010219850312003"), Kind: credit.NaturalPerson, Name: "黄河", Region: "620102", Version: 1}
)

func TestSearchOrganisations(t *testing.T) {
	db, _ := openTest(t)
	all := []credit.Subject{orgExact, orgPrefix, orgContains, orgRare, orgLatin, orgMinority, person}
	if err := db.Load(t.Context(), all, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		query string
		limit int
		want  []credit.Subject
	}{
		{"one rare char", "堃", 0, []credit.Subject{orgRare}},
		{"one char many", "黄", 0, []credit.Subject{orgExact, orgPrefix, orgContains}},
		{"two chars ranked", "黄河", 0, []credit.Subject{orgExact, orgPrefix, orgContains}},
		{"two chars limit", "黄河", 2, []credit.Subject{orgExact, orgPrefix}},
		{"three chars", "有限公", 0, []credit.Subject{orgPrefix, orgLatin, orgContains, orgRare}},
		{"four chars", "黄河商贸", 0, []credit.Subject{orgContains}},
		{"bigrams present but not adjacent", "黄商", 0, nil},
		{"reversed", "河黄", 0, nil},
		{"not in any name", "敦煌", 0, nil},
		{"full-width latin folded", "abc", 0, []credit.Subject{orgLatin}},
		{"spaces ignored", " 黄河 物流 ", 0, []credit.Subject{orgPrefix}},
		{"across the middle dot", "扎西多吉", 0, []credit.Subject{orgMinority}},
		{"full USCC", orgContains.ID, 0, []credit.Subject{orgContains}},
		{"lower-case USCC", strings.ToLower(orgLatin.ID), 0, []credit.Subject{orgLatin}},
		{"USCC prefix", "91620102", 0, []credit.Subject{orgExact, orgPrefix}},
		{"USCC prefix of 6", "916201", 0, []credit.Subject{orgExact, orgPrefix, orgContains}},
		{"person ID prefix finds no person", person.ID[:8], 0, nil},
		{"person full ID finds no person", person.ID, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := db.SearchOrganisations(t.Context(), tt.query, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 && len(tt.want) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("SearchOrganisations(%q) = %v, want %v", tt.query, names(got), names(tt.want))
			}
		})
	}
}

func names(ss []credit.Subject) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	return out
}

func TestSearchRejectsBadQueries(t *testing.T) {
	db, _ := openTest(t)
	for _, q := range []string{"", "   ", "\u3000", strings.Repeat("黄", 101)} {
		_, err := db.SearchOrganisations(t.Context(), q, 10)
		if credit.ErrorCode(err) != credit.EINVALID || credit.ErrorMessage(err) == "" {
			t.Errorf("SearchOrganisations(%q) = %v, want EINVALID with a message", q, err)
		}
	}
}

// TestSearchMatchesBruteForce compares the index with a scan of the data.
func TestSearchMatchesBruteForce(t *testing.T) {
	db, ds := openSynth(t, 11, 3000)
	for _, q := range []string{"兰", "祁连", "黄河商", "敦煌飞天", "专业合作社", "酒泉", "堃", "州"} {
		var want []string
		for _, s := range ds.Subjects {
			if s.Kind == credit.LegalPerson && strings.Contains(s.Name, q) {
				want = append(want, s.ID)
			}
		}
		got, err := db.SearchOrganisations(t.Context(), q, store.MaxSearchLimit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != min(len(want), store.MaxSearchLimit) {
			t.Errorf("%q: %d results, brute force finds %d", q, len(got), len(want))
		}
		for i, s := range got {
			if s.Kind != credit.LegalPerson || !strings.Contains(s.Name, q) || !slices.Contains(want, s.ID) {
				t.Errorf("%q: unexpected result %v", q, s)
			}
			if i > 0 && strings.HasPrefix(s.Name, q) && !strings.HasPrefix(got[i-1].Name, q) {
				t.Errorf("%q: prefix match %q ranked after contains match %q", q, s.Name, got[i-1].Name)
			}
		}
	}
}

func TestSubjectAndRecordsOf(t *testing.T) {
	db, ds := openSynth(t, 5, 300)
	ctx := t.Context()
	for _, s := range ds.Subjects[:40] {
		got, err := db.Subject(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got != s {
			t.Fatalf("Subject = %+v, want %+v", got, s)
		}
		var want []credit.Record
		for _, r := range ds.Records {
			if r.SubjectID == s.ID {
				want = append(want, r)
			}
		}
		order := map[credit.Category]int{credit.CategoryBasic: 0, credit.CategoryUntrustworthy: 1, credit.CategoryOther: 2}
		sort.SliceStable(want, func(i, j int) bool {
			a, b := want[i], want[j]
			if order[a.Category] != order[b.Category] {
				return order[a.Category] < order[b.Category]
			}
			if !a.DecisionDate.Equal(b.DecisionDate) {
				return a.DecisionDate.After(b.DecisionDate)
			}
			return a.ID < b.ID
		})
		recs, err := db.RecordsOf(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(want) || (len(want) > 0 && !reflect.DeepEqual(recs, want)) {
			t.Fatalf("RecordsOf(%s):\n got %+v\nwant %+v", s.MaskedID(), recs, want)
		}
	}
	if _, err := db.Subject(ctx, idno("62010219990101001")); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown subject: %v", err)
	}
	recs, err := db.RecordsOf(ctx, "nobody")
	if err != nil || len(recs) != 0 {
		t.Fatalf("RecordsOf(unknown) = %v, %v", recs, err)
	}
	// The demo person has one record in each category, in display order.
	recs, err = db.RecordsOf(ctx, synth.DemoID)
	if err != nil {
		t.Fatal(err)
	}
	var cats []credit.Category
	for _, r := range recs {
		cats = append(cats, r.Category)
	}
	if fmt.Sprint(cats) != fmt.Sprint(credit.Categories) {
		t.Fatalf("demo categories %v", cats)
	}
}

func TestLoadIsIdempotentAndValidates(t *testing.T) {
	db, ds := openSynth(t, 9, 50)
	ctx := t.Context()
	if err := db.Load(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	got, err := db.SearchOrganisations(ctx, synth.DemoOrgName, 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("after reload: %v %v", names(got), err)
	}
	bad := credit.Subject{ID: "620102198503120022", Kind: credit.NaturalPerson, Name: "李四", Region: "620102", Version: 1}
	err = db.Load(ctx, []credit.Subject{bad}, nil)
	if credit.ErrorCode(err) != credit.EINVALID {
		t.Fatalf("bad check digit loaded: %v", err)
	}
	if _, err := db.Subject(ctx, bad.ID); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("invalid subject stored: %v", err)
	}
}
