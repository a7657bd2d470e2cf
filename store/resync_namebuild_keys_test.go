package store

import (
	"slices"
	"strings"
	"testing"
)

// The packed gram keys of a name decode to exactly the grams nameGrams
// gives (what ApplyPage indexes), each once, in name_grams' key order
// (gram by its UTF-8 bytes, then subject id).
func FuzzGramKeys(f *testing.F) {
	for _, s := range []string{"", "兰州黄河商贸有限公司", "ａｂｃ 兰州·黄河 商贸", "兰兰兰州", "鑫", "𠀋𠀋記 Gansu co", "a\x00b", "\xff\xfe兰", "AaAa"} {
		f.Add(s, "二号企业")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		orgs := distinctOrgs([]orgName{{id: "2", search: string(normName(b))}, {id: "1", search: string(normName(a))}})
		var got []string
		var prevKey uint64
		var gram string
		var buf []byte
		for _, k := range gramKeys(orgs) {
			gram, buf = gramOf(k, prevKey, gram, buf)
			prevKey = k
			got = append(got, gram+"\t"+orgs[k&(1<<gramIdxBits-1)].id)
		}
		var want []string
		for _, o := range []struct{ id, name string }{{"1", a}, {"2", b}} {
			for _, g := range nameGrams(o.name) {
				want = append(want, g+"\t"+o.id)
			}
		}
		slices.SortFunc(want, byGramThenID) // byte order, as SQLite's BINARY collation
		if !slices.Equal(got, want) {
			t.Fatalf("grams of %q, %q:\n got %q\nwant %q", a, b, got, want)
		}
	})
}

// byGramThenID orders "gram\tid" rows as name_grams' primary key does.
func byGramThenID(x, y string) int {
	i, j := strings.LastIndexByte(x, '\t'), strings.LastIndexByte(y, '\t')
	if c := strings.Compare(x[:i], y[:j]); c != 0 {
		return c
	}
	return strings.Compare(x[i+1:], y[j+1:])
}
