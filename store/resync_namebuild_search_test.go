package store

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// bruteSearch is SearchOrganisations by a scan of orgs: every organisation
// whose normalised name contains the normalised q, in the search's order
// (exact, prefix, then contains; shorter names first; then by name, id).
func bruteSearch(orgs []credit.Subject, q string, limit int) []string {
	nq := string(normName(q))
	type hit struct{ id, search string }
	var hits []hit
	for _, s := range orgs {
		if n := string(normName(s.Name)); strings.Contains(n, nq) {
			hits = append(hits, hit{s.ID, n})
		}
	}
	rank := func(h hit) int {
		switch {
		case h.search == nq:
			return 0
		case strings.HasPrefix(h.search, nq):
			return 1
		}
		return 2
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)),
			cmp.Compare(utf8.RuneCountInString(a.search), utf8.RuneCountInString(b.search)),
			strings.Compare(a.search, b.search), strings.Compare(a.id, b.id))
	})
	out := []string{}
	for _, h := range hits[:min(len(hits), limit)] {
		out = append(out, h.id)
	}
	return out
}

// The leaner index (bigrams and a name's last character; a 1-character
// query scans the grams starting with it) answers exactly as a brute-force
// substring search, in the same order: random names of CJK, full-width,
// mixed-case ASCII, digits, spaces, middle dots and a character outside
// the BMP; queries of 1, 2 and 3+ characters taken from the names, and
// random ones. The index is written by ApplyPage (renames included) and
// by a bootstrap's snapshot.
func TestSearchMatchesBruteForceRandom(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(11, 3))
	var orgs []credit.Subject
	for i := range 150 {
		orgs = append(orgs, credit.Subject{ID: usccOf(fmt.Sprintf("916201020001%05d", i)), Kind: credit.LegalPerson,
			Name: randomName(rng), Region: "620102", Version: 1})
	}
	var queries []string
	for range 300 {
		name := []rune(orgs[rng.IntN(len(orgs))].Name)
		from := rng.IntN(len(name))
		queries = append(queries, string(name[from:from+1+rng.IntN(min(4, len(name)-from))]))
	}
	for range 100 {
		queries = append(queries, string(nameRunes[rng.IntN(len(nameRunes))]), randomName(rng))
	}
	queries = append(queries, "𠀋", "𠀋記", "記", "ｃ", "C", "·", string(utf8.MaxRune), "兰\U0010FFFF")
	byPage := func(t *testing.T) *DB {
		d, _ := openInternal(t, "p.db")
		var page []credit.Change
		for i, s := range orgs {
			old := s
			old.Name = randomName(rng) // renamed below: the old name must not be found
			page = append(page, subjectPut(int64(2*i+1), old))
			s.Version = 2
			page = append(page, subjectPut(int64(2*i+2), s))
		}
		if err := d.ApplyPage(ctx, page, "c", fixedAsOf); err != nil {
			t.Fatal(err)
		}
		return d
	}
	bySnapshot := func(t *testing.T) *DB {
		d, _ := openInternal(t, "s.db")
		var page []credit.Change
		for i, s := range orgs {
			page = append(page, subjectPut(int64(i+1), s))
		}
		if err := d.BeginSnapshot(ctx); err != nil {
			t.Fatal(err)
		}
		if err := d.ApplySnapshotPage(ctx, page, "T", orgs[len(orgs)-1].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := d.FinishSnapshot(ctx, "c", 1, fixedAsOf); err != nil {
			t.Fatal(err)
		}
		return d
	}
	for name, open := range map[string]func(*testing.T) *DB{"ApplyPage": byPage, "snapshot": bySnapshot} {
		t.Run(name, func(t *testing.T) {
			d := open(t)
			if err := NameIndexMismatch(ctx, d); err != nil {
				t.Fatal(err)
			}
			lens := map[int]int{}
			for _, q := range queries {
				if n := len(normName(q)); n == 0 || usccQuery(string(normName(q))) {
					continue
				}
				got, err := d.SearchOrganisations(ctx, q, MaxSearchLimit)
				if err != nil {
					t.Fatalf("%q: %v", q, err)
				}
				ids := []string{}
				for _, s := range got {
					ids = append(ids, s.ID)
				}
				want := bruteSearch(orgs, q, MaxSearchLimit)
				if !slices.Equal(ids, want) {
					t.Fatalf("search %q:\n got %q\nwant %q", q, ids, want)
				}
				if len(want) > 0 {
					lens[min(len(normName(q)), 3)]++
				}
			}
			if lens[1] < 20 || lens[2] < 20 || lens[3] < 20 {
				t.Errorf("queries with hits by length (1, 2, 3+): %v; the test proves little", lens)
			}
		})
	}
}

// FuzzGramRange checks what a 1-character search relies on: a name
// contains c exactly when one of its grams lies in gramRange(c).
func FuzzGramRange(f *testing.F) {
	for _, s := range []string{"兰州黄河商贸有限公司", "ａｂｃ 兰州·黄河", "鑫", "𠀋𠀋記", "a\x00b", "\U0010FFFF兰\U0010FFFF", "\ud7ff\ue000"} {
		f.Add(s, '兰')
		f.Add(s, 'B')
	}
	f.Fuzz(func(t *testing.T, name string, c rune) {
		if c < 0 || c > utf8.MaxRune || !utf8.ValidRune(c) {
			return
		}
		q := normName(string(c))
		if len(q) != 1 {
			return
		}
		lo, hi := gramRange(q[0])
		in := false
		for _, g := range nameGrams(name) {
			in = in || (lo <= g && g <= hi)
		}
		if want := strings.ContainsRune(string(normName(name)), q[0]); in != want {
			t.Fatalf("name %q, char %q: a gram in range %v, contains %v", name, q[0], in, want)
		}
	})
}
