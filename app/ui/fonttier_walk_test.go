package ui

import "testing"

// TestRareRunesInSharedPointers: a value reached through two pointers is
// read whole whichever comes first — a pointer to a struct's first field
// has the struct's address, and a pointer first met at the depth limit
// has not been read below it.
func TestRareRunesInSharedPointers(t *testing.T) {
	type inner struct{ A string }
	type outer struct {
		In inner // first field: &o.In == &o as addresses
		B  string
	}
	o := &outer{B: "张堃"}
	type link struct {
		Next *link
		P    *outer
	}
	deep := &link{} // six links: the last one's P at maxWalkDepth
	for range maxWalkDepth/2 - 1 {
		deep = &link{Next: deep}
	}
	tail := deep
	for tail.Next != nil {
		tail = tail.Next
	}
	tail.P = o // o first met below the depth limit
	for _, tc := range []struct {
		name string
		v    []any
	}{
		{"first field, then struct", []any{&o.In, o}},
		{"deep first, then shallow", []any{deep, o}},
		{"struct alone", []any{o}},
	} {
		if got := string(rareRunesIn(tc.v...)); got != "堃" {
			t.Errorf("%s: %q, want 堃", tc.name, got)
		}
	}
}
