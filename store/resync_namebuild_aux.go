package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxBuildOrgs is how many organisations a packed gram key can number
// (gramIdxBits); a bigger snapshot takes FinishSnapshot's own rebuild.
const maxBuildOrgs = 1<<gramIdxBits - 1

// A gram key packs one name-index row into a uint64 whose order is the
// order of name_grams' primary key (gram, subject_id): the gram's first
// rune (21 bits), its second rune plus one (21 bits, 0 for a name's last
// character alone: a character sorts before the pairs it starts, as its
// UTF-8 bytes do) and the organisation's position in id order
// (gramIdxBits bits).
const (
	gramIdxBits = 22
	runeBits    = 21
)

func gramKey(r1, r2 rune, idx int) uint64 {
	return (uint64(r1)<<runeBits|uint64(r2))<<gramIdxBits | uint64(idx)
}

// gramKeys returns the sorted, distinct keys of every organisation's
// grams, the rows nameGrams gives for each; orgs must be sorted by id
// without repeats.
func gramKeys(orgs []orgName) []uint64 {
	keys := make([]uint64, 0, 15*len(orgs))
	var rs []rune
	for i, o := range orgs {
		rs = append(rs[:0], []rune(o.search)...)
		for j, r := range rs {
			var next rune // 0: the last character alone
			if j+1 < len(rs) {
				next = rs[j+1] + 1
			}
			keys = append(keys, gramKey(r, next, i))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys) // a character or pair repeated in one name
}

// gramOf returns the gram a key holds, reusing prev when it is the same.
func gramOf(key uint64, prevKey uint64, prev string, buf []byte) (string, []byte) {
	code := key >> gramIdxBits
	if prev != "" && code == prevKey>>gramIdxBits {
		return prev, buf
	}
	buf = utf8.AppendRune(buf[:0], rune(code>>runeBits))
	if r2 := rune(code & (1<<runeBits - 1)); r2 != 0 {
		buf = utf8.AppendRune(buf, r2-1)
	}
	return string(buf), buf
}

// auxSchema is name_grams exactly as migration 001 creates it (013 drops
// its only index): the transfer optimisation needs the same columns,
// constraints and indexes on both sides.
const auxSchema = `CREATE TABLE name_grams (
	gram       TEXT NOT NULL,
	subject_id TEXT NOT NULL,
	PRIMARY KEY (gram, subject_id)
) WITHOUT ROWID`

// buildAuxNameIndex writes the name index of orgs into a new scratch
// database at path: rows in key order, so the table grows at its end. The file is disposable (no journal, no
// fsync): a crash loses nothing FinishSnapshot cannot rebuild. It returns
// how many distinct organisations it indexed and the total length of
// their normalised names.
func buildAuxNameIndex(ctx context.Context, path string, orgs []orgName) (n int, runes int64, err error) {
	orgs = distinctOrgs(orgs)
	keys := gramKeys(orgs)
	removeAux(path)
	aux, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+
		"?_pragma=journal_mode(OFF)&_pragma=synchronous(OFF)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-131072)")
	if err != nil {
		return 0, 0, fmt.Errorf("name index scratch: %w", err)
	}
	defer aux.Close()
	aux.SetMaxOpenConns(1)
	if _, err := aux.ExecContext(ctx, auxSchema); err != nil {
		return 0, 0, fmt.Errorf("name index scratch: %w", err)
	}
	tx, err := aux.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("name index scratch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit it is a no-op
	rows := newRowBatch(tx, "name index scratch", 2, sqlSnapGrams)
	defer rows.close()
	var prevKey uint64
	var gram string
	var buf []byte
	for _, k := range keys {
		gram, buf = gramOf(k, prevKey, gram, buf)
		prevKey = k
		if err := rows.add(ctx, gram, orgs[k&(1<<gramIdxBits-1)].id); err != nil {
			return 0, 0, err
		}
	}
	if err := rows.flush(ctx); err != nil {
		return 0, 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, fmt.Errorf("name index scratch: %w", err)
	}
	if err := aux.Close(); err != nil {
		return 0, 0, fmt.Errorf("name index scratch: %w", err)
	}
	for _, o := range orgs {
		runes += int64(utf8.RuneCountInString(o.search))
	}
	return len(orgs), runes, nil
}

// distinctOrgs sorts orgs by id and keeps the last of each id (a page
// applied twice hands its organisations twice).
func distinctOrgs(orgs []orgName) []orgName {
	slices.SortStableFunc(orgs, func(a, b orgName) int { return strings.Compare(a.id, b.id) })
	out := orgs[:0]
	for _, o := range orgs {
		if len(out) > 0 && out[len(out)-1].id == o.id {
			out[len(out)-1] = o
			continue
		}
		out = append(out, o)
	}
	return out
}
