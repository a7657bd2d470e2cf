package store_test

import (
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

// FuzzSearchOrganisations: any query gets results or a clear EINVALID,
// never a crash, never a natural person, never a name without the query.
func FuzzSearchOrganisations(f *testing.F) {
	for _, s := range []string{"黄河", "堃", "有限公司", "916201", orgContains.ID, person.ID, "", " ", "%", "_", "'", "\x00", "黄\xff河", "abc", "ＡＢＣ", "·", strings.Repeat("河", 200)} {
		f.Add(s, 5)
	}
	db, _ := openTest(f)
	if err := db.Load(f.Context(), []credit.Subject{orgExact, orgPrefix, orgContains, orgRare, orgLatin, orgMinority, person}, nil); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, q string, limit int) {
		got, err := db.SearchOrganisations(t.Context(), q, limit)
		if err != nil {
			if credit.ErrorCode(err) != credit.EINVALID || credit.ErrorMessage(err) == "" {
				t.Fatalf("SearchOrganisations(%q) = %v", q, err)
			}
			return
		}
		want := store.DefaultSearchLimit
		if limit > 0 {
			want = min(limit, store.MaxSearchLimit)
		}
		if len(got) > want {
			t.Fatalf("limit %d, got %d results", limit, len(got))
		}
		for _, s := range got {
			if s.Kind != credit.LegalPerson {
				t.Fatalf("query %q returned a natural person", q)
			}
		}
	})
}
