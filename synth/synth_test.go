package synth_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/synth"
)

func TestGenerateDeterministic(t *testing.T) {
	a := synth.Generate(42, 500)
	b := synth.Generate(42, 500)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same seed gave different datasets")
	}
	c := synth.Generate(43, 500)
	if reflect.DeepEqual(a.Subjects[2:], c.Subjects[2:]) {
		t.Fatal("different seeds gave identical subjects")
	}
}

func TestGenerateSizes(t *testing.T) {
	for _, n := range []int{-1, 0, 1, 2, 3, 100} {
		ds := synth.Generate(1, n)
		if want := max(n, 0); len(ds.Subjects) != want {
			t.Errorf("n=%d: %d subjects", n, len(ds.Subjects))
		}
	}
}

func TestGenerateValid(t *testing.T) {
	ds := synth.Generate(7, 5000)
	ids := map[string]credit.Subject{}
	persons := 0
	for _, s := range ds.Subjects {
		if err := s.Validate(); err != nil {
			t.Fatalf("subject %s: %v", s.MaskedID(), err)
		}
		if _, dup := ids[s.ID]; dup {
			t.Fatalf("duplicate subject ID %s", s.MaskedID())
		}
		ids[s.ID] = s
		id, kind, err := credit.ParseSubjectID(s.ID)
		if err != nil || id != s.ID || kind != s.Kind {
			t.Fatalf("ParseSubjectID(%s) = %q %q %v, want kind %q", s.MaskedID(), id, kind, err, s.Kind)
		}
		wantRegion := s.ID[:6]
		if !s.IsPerson() {
			wantRegion = s.ID[2:8]
		}
		if s.Region != wantRegion || !strings.HasPrefix(s.Region, "62") {
			t.Fatalf("subject %s region %q", s.MaskedID(), s.Region)
		}
		if s.IsPerson() {
			persons++
			by := credit.IDNumber(s.ID).Birth().Year()
			if by < 1940 || by > 2006 {
				t.Fatalf("birth year %d", by)
			}
		}
		if s.Version != 1 {
			t.Fatalf("version %d", s.Version)
		}
	}
	if share := float64(persons) / float64(len(ds.Subjects)); share < 0.55 || share > 0.65 {
		t.Errorf("natural-person share %.2f, want about 0.6", share)
	}
	recIDs := map[string]bool{}
	perKind := map[credit.SubjectKind]int{}
	for _, r := range ds.Records {
		if err := r.Validate(); err != nil {
			t.Fatalf("record %s: %v", r.ID, err)
		}
		if recIDs[r.ID] {
			t.Fatalf("duplicate record ID %s", r.ID)
		}
		recIDs[r.ID] = true
		s, ok := ids[r.SubjectID]
		if !ok {
			t.Fatalf("record %s has unknown subject", r.ID)
		}
		perKind[s.Kind]++
		if r.DocumentNo == "" || r.LegalBasis == "" || r.Title == "" || r.DecisionDate.IsZero() {
			t.Fatalf("record %s incomplete: %+v", r.ID, r)
		}
		if y := r.DecisionDate.Year(); y < 2023 || y > 2026 {
			t.Fatalf("record %s decided in %d", r.ID, y)
		}
		if r.Category == credit.CategoryUntrustworthy {
			if r.Tier == credit.TierNone || !r.PublicityUntil.After(r.DecisionDate) {
				t.Fatalf("penalty %s tier %q until %v", r.ID, r.Tier, r.PublicityUntil)
			}
		} else if r.Tier != credit.TierNone || !r.PublicityUntil.IsZero() {
			t.Fatalf("non-penalty %s has tier %q", r.ID, r.Tier)
		}
	}
	// Businesses carry more records per subject than persons.
	biz := len(ds.Subjects) - persons
	if float64(perKind[credit.LegalPerson])/float64(biz) <= float64(perKind[credit.NaturalPerson])/float64(persons) {
		t.Errorf("persons have as many records as businesses: %v", perKind)
	}
}

func TestDemoSubjects(t *testing.T) {
	for _, seed := range []int64{0, 1, 99} {
		ds := synth.Generate(seed, 10)
		p, b := ds.Subjects[0], ds.Subjects[1]
		if p.ID != synth.DemoID || p.Name != synth.DemoName || p.Kind != credit.NaturalPerson {
			t.Fatalf("Subjects[0] = %+v", p)
		}
		if b.ID != synth.DemoUSCC || b.Name != synth.DemoOrgName || b.Kind != credit.LegalPerson {
			t.Fatalf("Subjects[1] = %+v", b)
		}
		if _, err := credit.ParseIDNumber(synth.DemoID); err != nil {
			t.Fatal(err)
		}
		if credit.IDNumber(synth.DemoID).Male() {
			t.Fatal("demo person should be female")
		}
		if _, err := credit.ParseUSCC(synth.DemoUSCC); err != nil {
			t.Fatal(err)
		}
		cats := map[string]map[credit.Category]int{}
		general := false
		for _, r := range ds.Records {
			if cats[r.SubjectID] == nil {
				cats[r.SubjectID] = map[credit.Category]int{}
			}
			cats[r.SubjectID][r.Category]++
			if r.SubjectID == synth.DemoID && r.Tier == credit.TierGeneral {
				general = true
			}
		}
		for _, id := range []string{synth.DemoID, synth.DemoUSCC} {
			for _, c := range credit.Categories {
				if cats[id][c] == 0 {
					t.Errorf("seed %d: %s has no %s record", seed, id[:6], c)
				}
			}
		}
		if !general {
			t.Error("demo person has no general-tier penalty")
		}
	}
}

func TestPublicityUntil(t *testing.T) {
	d := time.Date(2025, 1, 31, 0, 0, 0, 0, credit.China)
	tests := []struct {
		tier credit.Tier
		want time.Time
	}{
		{credit.TierMinor, d.AddDate(0, 3, 0)},
		{credit.TierGeneral, time.Date(2026, 1, 31, 0, 0, 0, 0, credit.China)},
		{credit.TierSerious, time.Date(2028, 1, 31, 0, 0, 0, 0, credit.China)},
		{credit.TierNone, time.Time{}},
	}
	for _, tt := range tests {
		if got := synth.PublicityUntil(d, tt.tier); !got.Equal(tt.want) {
			t.Errorf("%q: %v, want %v", tt.tier, got, tt.want)
		}
	}
}

func TestNamesLookRealistic(t *testing.T) {
	ds := synth.Generate(3, 20000)
	var rare, minority, org bool
	for _, s := range ds.Subjects {
		if s.IsPerson() {
			n := len([]rune(s.Name))
			if strings.ContainsRune(s.Name, '·') {
				minority = true
			} else if n < 2 || n > 4 {
				t.Fatalf("person name %q has %d characters", s.Name, n)
			}
			if strings.ContainsAny(s.Name, "堃喆镕赟") {
				rare = true
			}
		} else {
			if !strings.HasSuffix(s.Name, "公司") && !strings.HasSuffix(s.Name, "合作社") {
				t.Fatalf("org name %q", s.Name)
			}
			if strings.HasSuffix(s.Name, "合作社") {
				org = true
			}
		}
	}
	if !rare || !minority || !org {
		t.Errorf("rare=%v minority=%v cooperative=%v", rare, minority, org)
	}
}

func BenchmarkGenerate10000(b *testing.B) {
	for b.Loop() {
		synth.Generate(int64(b.N), 10000)
	}
}

// FuzzGenerate: any seed yields valid, unique identifiers.
func FuzzGenerate(f *testing.F) {
	for _, s := range []int64{0, 1, -1, 1 << 62, 20261127} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, seed int64) {
		ds := synth.Generate(seed, 60)
		seen := map[string]bool{}
		for _, s := range ds.Subjects {
			if err := s.Validate(); err != nil || seen[s.ID] {
				t.Fatalf("seed %d: subject %s: %v (dup %v)", seed, s.MaskedID(), err, seen[s.ID])
			}
			seen[s.ID] = true
		}
		for _, r := range ds.Records {
			if err := r.Validate(); err != nil || !seen[r.SubjectID] {
				t.Fatalf("seed %d: record %s: %v", seed, r.ID, err)
			}
		}
	})
}

// TestOrgCodeCheck verifies the GB 11714 check character embedded in
// every generated USCC (positions 9-17).
func TestOrgCodeCheck(t *testing.T) {
	w := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	for _, s := range synth.Generate(5, 2000).Subjects {
		if s.IsPerson() {
			continue
		}
		oc := s.ID[8:17]
		sum := 0
		for i := range 8 {
			sum += int(oc[i]-'0') * w[i]
		}
		want := byte('0' + (11-sum%11)%11)
		if (11 - sum%11) == 10 {
			want = 'X'
		}
		if oc[8] != want {
			t.Fatalf("%s: organisation code %s check %c, want %c", s.Name, oc, oc[8], want)
		}
	}
}

// TestOrgNamesUnique: a name search for the demo business (or any other)
// finds exactly one organisation.
func TestOrgNamesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range synth.Generate(8, 20000).Subjects {
		if s.IsPerson() {
			continue
		}
		if seen[s.Name] {
			t.Fatalf("organisation name %q used twice", s.Name)
		}
		seen[s.Name] = true
	}
}
