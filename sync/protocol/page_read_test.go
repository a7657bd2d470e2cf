package protocol

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	credit "github.com/gansu-credit/credit"
)

// snapshotPage is a snapshot page holding every kind of line the decoder
// keeps something from: fast-path puts, a del, a status, a put of an
// unknown type, a put that goes to quarantine, a trust list.
func snapshotPage(t testing.TB, more bool) []byte {
	var buf bytes.Buffer
	e := NewPageEncoder(&buf)
	for _, c := range sampleChanges() {
		if err := e.EncodeChange(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []Line{
		{Op: OpPut, T: "future", ID: "X1", Ver: 1, Seq: 10, D: []byte(`{"a":1}`)},
		{Op: OpPut, T: string(credit.TypeRecord), ID: "R-9", Ver: 1, Seq: 11, D: []byte(`{"id":"R-8"}`)}, // quarantined
		{Op: OpPut, T: TypeTrustList, ID: "tl", Ver: 4, Seq: 12, D: TrustListData([]byte("signed list"))},
	} {
		if err := e.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.EndTrailer(Trailer{Next: "CUR", More: more, AsOf: asOf, SnapshotSeq: 12, Token: "TOK", After: "r/R-9"}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A page decoded from a buffer keeps nothing of it: overwriting the
// buffer afterwards changes nothing in the page, its quarantined puts or
// its trust lists (the snapshot pipeline reuses the buffer).
func TestDecodePageBytesKeepsNoReference(t *testing.T) {
	body := snapshotPage(t, true)
	want, wantPuts, err := DecodePageTrustListsBytes(bytes.Clone(body), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Changes) != 4 || len(want.Quarantined) != 1 || want.Skipped != 2 || len(wantPuts) != 1 {
		t.Fatalf("sample page decoded to %d changes, %d quarantined, %d skipped, %d trust lists", len(want.Changes), len(want.Quarantined), want.Skipped, len(wantPuts))
	}
	work := bytes.Clone(body)
	got, puts, err := DecodePageTrustListsBytes(work, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range work {
		work[i] = 'x'
	}
	if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(puts, wantPuts) {
		t.Errorf("the page changed with its buffer:\n%+v\nwant %+v", got, want)
	}
}

// ReadPage reads a page whole into the buffer it is given (reused when it
// is large enough), refuses a page over the cap, and reports a read error
// as it is, not as a malformed page.
func TestReadPage(t *testing.T) {
	body := snapshotPage(t, false)
	tests := []struct {
		name      string
		r         io.Reader
		max       int64
		buf       []byte
		malformed bool
		readErr   bool
	}{
		{"whole, no buffer", bytes.NewReader(body), 0, nil, false, false},
		{"whole, one byte at a time", iotest.OneByteReader(bytes.NewReader(body)), 0, nil, false, false},
		{"into a buffer large enough", bytes.NewReader(body), 0, make([]byte, 0, 2*len(body)), false, false},
		{"into a small buffer", bytes.NewReader(body), 0, make([]byte, 3, 8), false, false},
		{"exactly the cap", bytes.NewReader(body), int64(len(body)), nil, false, false},
		{"one byte over the cap", bytes.NewReader(body), int64(len(body) - 1), nil, true, false},
		{"read error", io.MultiReader(bytes.NewReader(body[:10]), iotest.ErrReader(io.ErrUnexpectedEOF)), 0, nil, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadPage(tt.r, tt.max, tt.buf)
			switch {
			case tt.malformed || tt.readErr:
				if err == nil || errors.Is(err, ErrMalformedPage) != tt.malformed || errors.Is(err, io.ErrUnexpectedEOF) != tt.readErr {
					t.Fatalf("ReadPage = %v", err)
				}
				return
			case err != nil:
				t.Fatal(err)
			}
			if !bytes.Equal(got, body) {
				t.Fatalf("read %d bytes, want the %d of the page", len(got), len(body))
			}
			if cap(tt.buf) >= len(body) && &got[0] != &tt.buf[:1][0] {
				t.Error("a buffer large enough was not reused")
			}
		})
	}
}

// checkPeek is PeekTrailer's property: it never fails on a page that
// decodes and verifies, and then names exactly what the page says.
func checkPeek(t *testing.T, body []byte) {
	tr, ok := PeekTrailer(body)
	if ok && tr.Op != OpEnd {
		t.Fatalf("peeked a trailer with op %q", tr.Op)
	}
	p, err := DecodePageBytes(body, 0)
	if err != nil {
		return
	}
	if !ok {
		t.Fatalf("no trailer peeked on a page that decodes\n%q", body)
	}
	if tr.Next != p.Next || tr.More != p.More || tr.Token != p.Token || tr.After != p.After || tr.SnapshotSeq != p.SnapshotSeq {
		t.Fatalf("peeked %+v, the page says next %q more %v token %q after %q seq %d", tr, p.Next, p.More, p.Token, p.After, p.SnapshotSeq)
	}
}

func TestPeekTrailer(t *testing.T) {
	page := snapshotPage(t, true)
	tests := []struct {
		name  string
		body  []byte
		ok    bool
		after string
	}{
		{"snapshot page", page, true, "r/R-9"},
		{"no final newline", page[:len(page)-1], false, ""},
		{"cut inside the trailer", page[:len(page)-20], false, ""},
		{"only a trailer", []byte(`{"op":"end","next":"c","more":true,"after":"s/1"}` + "\n"), true, "s/1"},
		{"last line an op line", []byte(`{"op":"del","t":"record","id":"R","ver":1,"seq":1}` + "\n"), false, ""},
		{"not JSON", []byte("end\n"), false, ""},
		{"empty", nil, false, ""},
		{"newline only", []byte("\n"), false, ""},
		{"trailer too long", []byte(`{"op":"end","after":"` + strings.Repeat("a", MaxLineBytes) + `"}` + "\n"), false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, ok := PeekTrailer(tt.body)
			if ok != tt.ok || tr.After != tt.after {
				t.Errorf("PeekTrailer = %+v, %v; want after %q, %v", tr, ok, tt.after, tt.ok)
			}
			checkPeek(t, tt.body)
		})
	}
}

func FuzzPeekTrailer(f *testing.F) {
	f.Add(snapshotPage(f, true))
	f.Add(snapshotPage(f, false))
	if p, err := EncodePage(sampleChanges(), "CUR", true, asOf); err == nil {
		f.Add(p)
	}
	f.Add([]byte(`{"op":"end","next":"c","more":true,"n":0,"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","as_of":"2026-11-27T03:00:00Z","after":"s/1","after":"s/2"}` + "\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkPeek(t, body)
	})
}
