package protocol

import (
	"bytes"
	"testing"
	"time"
)

func trustPage(t testing.TB, d []byte) []byte {
	var buf bytes.Buffer
	enc := NewPageEncoder(&buf)
	for _, l := range []Line{
		{Op: OpPut, T: "record", ID: "R1", Ver: 1, Seq: 1, D: []byte(`{"id":"R1"}`)},
		{Op: OpPut, T: TypeTrustList, ID: TrustListID, Ver: 7, Seq: 2, D: d},
	} {
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := enc.End("next", false, time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDecodePageTrustLists(t *testing.T) {
	good := trustPage(t, TrustListData([]byte{1, 2, 3}))
	_, puts, err := DecodePageTrustLists(bytes.NewReader(good), 0)
	if err != nil || len(puts) != 1 || puts[0].Ver != 7 || !bytes.Equal(puts[0].Signed, []byte{1, 2, 3}) {
		t.Fatalf("%+v %v", puts, err)
	}
	if _, puts, err := DecodePageTrustLists(bytes.NewReader(trustPage(t, []byte(`"%%"`))), 0); err != nil || len(puts) != 0 {
		t.Fatalf("bad data: %+v %v", puts, err)
	}
	tampered := bytes.Replace(good, []byte(`"AQID"`), []byte(`"AQIE"`), 1)
	if _, puts, err := DecodePageTrustLists(bytes.NewReader(tampered), 0); err == nil || puts != nil {
		t.Fatalf("tampered page accepted: %v", err)
	}
}

func FuzzDecodePageTrustLists(f *testing.F) {
	f.Add(trustPage(f, TrustListData([]byte{1, 2, 3})))
	f.Add([]byte("{}\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, puts, err := DecodePageTrustLists(bytes.NewReader(b), 1<<20)
		if err != nil && (p != nil || puts != nil) {
			t.Fatal("results with an error")
		}
		for _, q := range puts {
			if len(q.Signed) == 0 {
				t.Fatal("empty trust list")
			}
		}
	})
}
