package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// china is the time zone times are returned in.
var china = credit.China

// normName folds a name or query for indexing: full-width ASCII to ASCII,
// letters upper-cased, white space, the middle dot and NUL removed (SQLite's
// length and substr, which the name index's SQL uses, stop at a NUL).
func normName(s string) []rune {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch {
		case unicode.IsSpace(r), r == '·', r == '•', r == 0x3000:
			continue
		case r == unicode.ReplacementChar, r == 0:
			continue
		}
		out = append(out, unicode.ToUpper(r))
	}
	return out
}

// nameGrams returns the distinct grams of a name: each character with the
// one after it, and the last character alone. So every bigram of the name
// is a gram (queryGrams), and every character of the name starts one
// (gramRange): one row per character instead of a unigram and a bigram.
func nameGrams(name string) []string {
	rs := normName(name)
	seen := make(map[string]struct{}, len(rs))
	out := make([]string, 0, len(rs))
	for i := range rs {
		g := string(rs[i:min(i+2, len(rs))])
		if _, ok := seen[g]; !ok {
			seen[g] = struct{}{}
			out = append(out, g)
		}
	}
	return out
}

// queryGrams returns the grams a name must all have to contain q (q at
// least 2 characters): its distinct bigrams. A 1-character query has none;
// gramRange answers it.
func queryGrams(q []rune) []string {
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

// gramRange returns the bounds (both included, in name_grams' BINARY
// order, i.e. UTF-8 byte order) of the grams that start with c: c itself
// (c ends a name) and every pair c·x. A name contains c exactly when one
// of its grams lies in the range.
func gramRange(c rune) (lo, hi string) {
	lo = string(c)
	return lo, lo + string(utf8.MaxRune)
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

// sqlGramPositions numbers the characters 1 … length(?1) of the
// normalised name bound as ?1 (at least one row: guard empty names); the
// grams of that name are substr(?1, i, 2) over them, as nameGrams gives.
const sqlGramPositions = `WITH RECURSIVE pos(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM pos WHERE i < length(?1))`

// sqlInsertGrams indexes the normalised name ?1 of the organisation ?2.
const sqlInsertGrams = sqlGramPositions + `
INSERT OR IGNORE INTO name_grams (gram, subject_id)
SELECT substr(?1, i, 2), ?2 FROM pos WHERE length(?1) > 0`

// sqlDeleteGrams removes the index rows of subject ?1 by the grams of its
// stored search_name (primary-key look-ups: name_grams has no index by
// subject), when its stored version is below ?2 (NULL: any version) and
// its search_name is not ?3 (NULL: any name). writer.putSubject runs it
// before the upsert that changes search_name, writer.deleteSubject before
// the delete. Snapshot pages change search_name without touching the
// index, so while a snapshot is open (syncclient applies no change page
// then) rows of a name it replaced would escape this delete; FinishSnapshot
// replaces the whole index from the subjects, so none outlives it.
const sqlDeleteGrams = `WITH RECURSIVE old(name) AS (
	SELECT search_name FROM subjects
	WHERE id = ?1 AND search_name IS NOT NULL AND (?2 IS NULL OR version < ?2) AND search_name IS NOT ?3),
pos(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM pos, old WHERE i < length(old.name))
DELETE FROM name_grams WHERE subject_id = ?1 AND gram IN (SELECT substr(old.name, pos.i, 2) FROM old, pos)`
