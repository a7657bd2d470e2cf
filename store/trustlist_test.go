package store_test

import (
	"bytes"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
)

func TestSaveTrustList(t *testing.T) {
	db, path := openTest(t)
	ctx := t.Context()
	if seq, b, err := db.TrustList(ctx); err != nil || seq != 0 || b != nil {
		t.Fatalf("empty: %d %x %v", seq, b, err)
	}
	steps := []struct {
		name  string
		seq   uint64
		data  string
		saved bool
		code  string
		held  uint64
	}{
		{"first", 3, "list-3", true, "", 3},
		{"same again", 3, "list-3", false, "", 3},
		{"other bytes, same seq", 3, "list-3b", false, credit.ECONFLICT, 3},
		{"rollback", 2, "list-2", false, credit.ECONFLICT, 3},
		{"empty", 9, "", false, credit.EINVALID, 3},
		{"newer", 4, "list-4", true, "", 4},
	}
	for _, st := range steps {
		saved, err := db.SaveTrustList(ctx, st.seq, []byte(st.data))
		if saved != st.saved || credit.ErrorCode(err) != st.code || (st.code == "" && err != nil) {
			t.Fatalf("%s: %v %v", st.name, saved, err)
		}
		if seq, _, err := db.TrustList(ctx); err != nil || seq != st.held {
			t.Fatalf("%s: held %d %v", st.name, seq, err)
		}
	}
	db.Close()
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if seq, b, err := db2.TrustList(ctx); err != nil || seq != 4 || !bytes.Equal(b, []byte("list-4")) {
		t.Fatalf("after reopen: %d %q %v", seq, b, err)
	}
}

func TestTrustRoots(t *testing.T) {
	db, path := openTest(t)
	ctx := t.Context()
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)
	for _, pub := range [][]byte{a, b, a} {
		if err := db.AddTrustRoot(ctx, pub); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddTrustRoot(ctx, []byte("short")); credit.ErrorCode(err) != credit.EINVALID {
		t.Errorf("short key: %v", err)
	}
	db.Close()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.TrustRoots(ctx)
	if err != nil || len(got) != 2 || !bytes.Equal(got[0], a) || !bytes.Equal(got[1], b) {
		t.Fatalf("roots after reopen: %x, %v", got, err)
	}
}
