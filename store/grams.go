package store

import (
	"strings"
	"unicode"

	credit "github.com/gansu-credit/credit"
)

// china is the time zone times are returned in.
var china = credit.China

// normName folds a name or query for indexing: full-width ASCII to ASCII,
// letters upper-cased, white space and the middle dot removed.
func normName(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case unicode.IsSpace(r), r == '·', r == '•', r == 0x3000:
			continue
		case r == unicode.ReplacementChar:
			continue
		}
		out = append(out, unicode.ToUpper(r))
	}
	return out
}

// nameGrams returns the distinct unigrams and bigrams of a name.
func nameGrams(name string) []string {
	rs := normName(name)
	seen := make(map[string]struct{}, 2*len(rs))
	out := make([]string, 0, 2*len(rs))
	add := func(g string) {
		if _, ok := seen[g]; !ok {
			seen[g] = struct{}{}
			out = append(out, g)
		}
	}
	for i := range rs {
		add(string(rs[i]))
		if i+1 < len(rs) {
			add(string(rs[i : i+2]))
		}
	}
	return out
}

// queryGrams returns the grams a name must all have to contain q: the
// single character for a 1-character query, otherwise its distinct bigrams.
func queryGrams(q []rune) []string {
	if len(q) == 1 {
		return []string{string(q)}
	}
	seen := map[string]bool{}
	var out []string
	for i := 0; i+1 < len(q); i++ {
		g := string(q[i : i+2])
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	return out
}

// usccQuery reports whether q (already normalised) should be matched
// against credit codes: at least 6 characters, all from the USCC alphabet.
func usccQuery(q string) bool {
	if len(q) < 6 || len(q) > 18 {
		return false
	}
	for i := 0; i < len(q); i++ {
		if !strings.ContainsRune("0123456789ABCDEFGHJKLMNPQRTUWXY", rune(q[i])) {
			return false
		}
	}
	return true
}
