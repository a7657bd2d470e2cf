package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// fastSeeds are op lines in and out of the canonical shape.
func fastSeeds(t testing.TB) [][]byte {
	page, err := EncodePage(sampleChanges(), "CUR", true, asOf)
	if err != nil {
		t.Fatal(err)
	}
	seeds := bytes.Split(bytes.TrimSuffix(page, []byte("\n")), []byte("\n"))
	return append(seeds,
		[]byte(`{"op":"del","t":"record","id":"R1","ver":2,"seq":8}`),
		[]byte(`{"op":"del","t":"record","id":"R1","ver":2,"seq":8,"why":"withdrawn"}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1","kind":"legal_person","name":"兰州"}}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1","kind":"legal_person","name":"x"},"why":"a"}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1"},"d":{"id":"S2"}}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1"}} `),
		[]byte(`{"op":"put","t":"subject","id":"S\u0031","ver":01,"seq":3,"d":{"id":"S1"}}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1","name":"a}"}}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":99999999999999999999,"d":{"id":"S1"}}`),
		[]byte(`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{}}`),
		[]byte(`{"op":"put","t":"future","id":"X","ver":1,"seq":3,"d":{"a":[}}`),
		[]byte(`{"op":"del","t":"record","id":"R1","ver":2,"seq":8}}`),
		[]byte(`{"op":"put"`),
		nil,
		// type names near the known ones
		[]byte(`{"op":"del","t":"recordx","id":"R1","ver":2,"seq":8}`),
		[]byte(`{"op":"del","t":"subjec","id":"S1","ver":2,"seq":8}`),
		[]byte(`{"op":"del","t":"inquiry","id":"Q1","ver":2,"seq":8}`),
		[]byte(`{"op":"del","t":"application_status","id":"A1","ver":2,"seq":8,"why":"x"}`),
		[]byte(`{"op":"put","t":"record","id":"R1","ver":1,"seq":3,"d":{"id":"R1","title":"兰州"}}`),
	)
}

// checkFastLine is the differential check: whenever the fast path takes a
// line, encoding/json reads the same op line from it and the same change.
func checkFastLine(t *testing.T, raw []byte) {
	fl, fc, ok := fastChange(raw)
	if !ok {
		return
	}
	checkPayload(t, fl.D) // the payload's own fast path against encoding/json
	var l anyLine
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatalf("fast path took a line encoding/json refuses: %v\n%s", err, raw)
	}
	if l.Op != OpPut && l.Op != OpDel || l.Next != "" || l.More || l.N != 0 || l.SHA256 != "" || !l.AsOf.IsZero() || l.Token != "" || l.After != "" || l.SnapshotSeq != 0 {
		t.Fatalf("fast path took a line that is not a plain op line: %+v\n%s", l, raw)
	}
	if l.Op != fl.Op || l.T != fl.T || l.ID != fl.ID || l.Ver != fl.Ver || l.Seq != fl.Seq || l.Why != fl.Why || !bytes.Equal(l.D, fl.D) {
		t.Fatalf("lines differ:\nfast %+v\njson %+v\n%s", fl, l.Line, raw)
	}
	c, err := changeFromLine(l.Line)
	if err != nil {
		t.Fatalf("fast path decoded a change encoding/json refuses: %v\n%s", err, raw)
	}
	if !reflect.DeepEqual(c, fc) {
		t.Fatalf("changes differ:\nfast %+v\njson %+v", fc, c)
	}
}

func TestFastLineMatchesEncodingJSON(t *testing.T) {
	taken := 0
	for _, raw := range fastSeeds(t) {
		checkFastLine(t, raw)
		if _, _, ok := fastChange(raw); ok {
			taken++
		}
	}
	// The canonical lines of sampleChanges and the plain seeds above.
	if taken < 4 {
		t.Errorf("fast path took %d lines", taken)
	}
	for _, raw := range []string{
		`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1"},"d":{"id":"S2"}}`,
		`{"op":"put","t":"subject","id":"S1","ver":1,"seq":3,"d":{"id":"S1"}} `,
		`{"op":"put","t":"future","id":"X","ver":1,"seq":3,"d":{"a":[}}`,
		`{"op":"put","t":"subject","id":"S1","ver":1,"seq":99999999999999999999,"d":{"id":"S1"}}`,
	} {
		if _, _, ok := fastChange([]byte(raw)); ok {
			t.Errorf("fast path took %s", raw)
		}
	}
}

// A page goes the same way whichever path its lines take: a page of
// canonical lines decodes to what encoding/json reads from each line.
func TestDecodePageFastAndGeneralAgree(t *testing.T) {
	page, err := EncodePage(sampleChanges(), "CUR", true, asOf)
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePage(bytes.NewReader(page), 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []credit.Change
	for _, raw := range bytes.Split(page, []byte("\n")) {
		var l anyLine
		if len(raw) == 0 || json.Unmarshal(raw, &l) != nil || l.Op == OpEnd || !knownType(l.T) {
			continue
		}
		c, err := changeFromLine(l.Line)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, c)
	}
	if !reflect.DeepEqual(p.Changes, want) {
		t.Fatalf("decoded %+v\nwant %+v", p.Changes, want)
	}
}

func FuzzDecodeLineFast(f *testing.F) {
	for _, s := range fastSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(checkFastLine)
}

func TestEncodeStoredSameBytes(t *testing.T) {
	lines := []Line{
		{Op: OpPut, T: "subject", ID: "S1", Ver: 3, Seq: 9, D: json.RawMessage(`{"id":"S1","kind":"legal_person","name":"兰州\u003c"}`)},
		{Op: OpPut, T: "record", ID: "R-000001", Ver: 1, Seq: 1, D: json.RawMessage(`{"id":"R-000001"}`)},
		{Op: OpPut, T: "record", ID: "R<1", Ver: 1, Seq: 1, D: json.RawMessage(`{"id":"R<1"}`)},        // escaped: via Encode
		{Op: OpPut, T: "record", ID: "R1", Ver: 1, Seq: 1, D: json.RawMessage("{\"id\":\n\"R1\"}")},    // not compact: via Encode
		{Op: OpDel, T: "record", ID: "R1", Ver: 2, Seq: 2, Why: "withdrawn", D: json.RawMessage(`{}`)}, // del: via Encode
	}
	for _, l := range lines {
		var a, b bytes.Buffer
		if err := NewPageEncoder(&a).Encode(l); err != nil {
			t.Fatal(err)
		}
		if err := NewPageEncoder(&b).EncodeStored(l); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("EncodeStored wrote\n%s\nEncode wrote\n%s", b.String(), a.String())
		}
	}
	e := NewPageEncoder(new(bytes.Buffer))
	if err := e.EncodeStored(Line{Op: OpPut, T: "record", ID: "R1", Seq: 1}); err == nil {
		t.Error("encoded a put without data")
	}
	_ = e.End("C", false, asOf)
	if err := e.EncodeStored(lines[0]); err == nil {
		t.Error("encoded after the end")
	}
}

// FuzzEncodeStored: for a payload json.Marshal wrote, EncodeStored writes
// the bytes Encode writes, and the line decodes back to the same fields.
func FuzzEncodeStored(f *testing.F) {
	f.Add("record", "R1", "兰州", int64(1), int64(2))
	f.Add("subject", "S<1>&", "a\"b\n", int64(-1), int64(0))
	f.Fuzz(func(t *testing.T, typ, id, name string, ver, seq int64) {
		d, err := json.Marshal(map[string]string{"id": id, "name": name})
		if err != nil {
			t.Skip()
		}
		l := Line{Op: OpPut, T: typ, ID: id, Ver: ver, Seq: seq, D: d}
		var a, b bytes.Buffer
		errA := NewPageEncoder(&a).Encode(l)
		errB := NewPageEncoder(&b).EncodeStored(l)
		if (errA == nil) != (errB == nil) || a.String() != b.String() {
			t.Fatalf("EncodeStored %q (%v), Encode %q (%v)", b.String(), errB, a.String(), errA)
		}
		checkFastLine(t, bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	})
}

// BenchmarkDecodeLines500: a page of 500 records read by DecodePage (fast
// paths) and line by line through encoding/json as before them (line, then
// payload; no hash).
func BenchmarkDecodeLines500(b *testing.B) {
	page, err := EncodePage(benchChanges(500), "CUR", true, asOf)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("DecodePage", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		for b.Loop() {
			if p, err := DecodePage(bytes.NewReader(page), 0); err != nil || len(p.Changes) != 500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		lines := bytes.Split(page, []byte("\n"))
		for b.Loop() {
			for _, raw := range lines[:500] {
				var l anyLine
				if err := json.Unmarshal(raw, &l); err != nil {
					b.Fatal(err)
				}
				var w RecordV1
				if err := json.Unmarshal(l.D, &w); err != nil {
					b.Fatal(err)
				}
				_ = RecordFromWire(w, l.Ver)
			}
		}
	})
}

// BenchmarkEncodeStored500: 500 stored record bodies onto a page.
func BenchmarkEncodeStored500(b *testing.B) {
	var lines []Line
	for _, c := range benchChanges(500) {
		l, err := LineFromChange(c)
		if err != nil {
			b.Fatal(err)
		}
		lines = append(lines, l)
	}
	for _, bc := range []struct {
		name string
		enc  func(*PageEncoder, Line) error
	}{{"EncodeStored", (*PageEncoder).EncodeStored}, {"Encode", (*PageEncoder).Encode}} {
		b.Run(bc.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				e := NewPageEncoder(&buf)
				for _, l := range lines {
					if err := bc.enc(e, l); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
