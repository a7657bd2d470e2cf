package protocol

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
)

var asOf = time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)

func sampleChanges() []credit.Change {
	s := credit.Subject{ID: "620102199001011234", Kind: credit.NaturalPerson, Name: "张三", Region: "620102", Version: 3}
	r := credit.Record{ID: "R-1", SubjectID: s.ID, Category: credit.CategoryUntrustworthy, Title: "行政处罚",
		Content: "罚款 2000 元", SourceUnit: "兰州市市场监督管理局", DocumentNo: "兰市监罚〔2025〕12号",
		LegalBasis: "《食品安全法》", DecisionDate: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		PublicityUntil: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), Tier: credit.TierGeneral, Version: 7}
	st := credit.StatusUpdate{ApplicationID: "0b5e8c1e-2f7a-4c1b-9a7d-3c2b1a0f9e8d", Status: credit.StatusReceived, Note: "ok", At: asOf}
	return []credit.Change{
		{Seq: 1, Op: credit.OpPut, Type: credit.TypeSubject, ID: s.ID, Version: 3, Subject: &s},
		{Seq: 2, Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: 7, Record: &r},
		{Seq: 5, Op: credit.OpDel, Type: credit.TypeRecord, ID: "R-0", Version: 2, Reason: "withdrawn"},
		{Seq: 9, Op: credit.OpPut, Type: credit.TypeApplicationStatus, ID: st.ApplicationID, Version: 1, Status: &st},
	}
}

func TestPageRoundTrip(t *testing.T) {
	tests := []struct {
		name    string
		changes []credit.Change
		more    bool
	}{
		{"empty", nil, false},
		{"mixed", sampleChanges(), true},
		{"one del", sampleChanges()[2:3], false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodePage(tt.changes, "CUR", tt.more, asOf)
			if err != nil {
				t.Fatal(err)
			}
			p, err := DecodePage(bytes.NewReader(b), 0)
			if err != nil {
				t.Fatalf("decode: %v\n%s", err, b)
			}
			if p.Next != "CUR" || p.More != tt.more || !p.AsOf.Equal(asOf) || p.Size != len(b) {
				t.Errorf("trailer = %q %v %v %d", p.Next, p.More, p.AsOf, p.Size)
			}
			if len(p.Changes) != len(tt.changes) {
				t.Fatalf("got %d changes, want %d", len(p.Changes), len(tt.changes))
			}
			for i := range tt.changes {
				if !reflect.DeepEqual(p.Changes[i], tt.changes[i]) {
					t.Errorf("change %d:\n got %+v\nwant %+v", i, p.Changes[i], tt.changes[i])
				}
			}
		})
	}
}

func TestDelLineCarriesNoData(t *testing.T) {
	s := credit.Subject{ID: "X", Name: "李四"}
	b, err := EncodePage([]credit.Change{{Seq: 1, Op: credit.OpDel, Type: credit.TypeSubject, ID: "X", Subject: &s, Reason: "withdrawn"}}, "C", false, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("李四")) || bytes.Contains(b, []byte(`"d"`)) {
		t.Errorf("tombstone leaks data: %s", b)
	}
}

func TestDecodePageRejects(t *testing.T) {
	good, err := EncodePage(sampleChanges(), "CUR", true, asOf)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(good), "\n")
	trailer := lines[len(lines)-2]
	body := strings.Join(lines[:len(lines)-2], "")
	tests := []struct {
		name string
		page string
		max  int64
		want string
	}{
		{"empty body", "", 0, "no trailer"},
		{"truncated mid line", string(good[:len(good)/2]), 0, "truncated"},
		{"truncated at line boundary", body, 0, "no trailer"},
		{"no final newline", strings.TrimSuffix(string(good), "\n"), 0, "truncated"},
		{"line after trailer", string(good) + lines[0], 0, "after the trailer"},
		{"dropped line", strings.Join(lines[1:], ""), 0, "counts 4 ops"},
		{"bad hash", strings.Replace(string(good), "罚款 2000", "罚款 3000", 1), 0, "hash"},
		{"unknown op", `{"op":"patch","t":"record","id":"a","seq":1}` + "\n" + trailer, 0, "unknown op"},
		{"not json", "hello\n" + trailer, 0, "line 1"},
		{"too large", string(good), int64(len(good) - 1), "exceeds"},
		{"blank line", "\n" + trailer, 0, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodePage(strings.NewReader(tt.page), tt.max)
			if err == nil {
				t.Fatalf("accepted: %+v", p)
			}
			if !errors.Is(err, ErrMalformedPage) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestDecodePageChecksOpLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []Line
		want  string
	}{
		{"seq out of order", []Line{{Op: OpDel, T: "record", ID: "a", Seq: 5}, {Op: OpDel, T: "record", ID: "b", Seq: 5}}, "seq 5 not after 5"},
		{"no id", []Line{{Op: OpDel, T: "record", Seq: 1}}, "without id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			e := NewPageEncoder(&buf)
			for _, l := range tt.lines {
				if err := e.Encode(l); err != nil {
					t.Fatal(err)
				}
			}
			if err := e.End("C", false, asOf); err != nil {
				t.Fatal(err)
			}
			_, err := DecodePage(&buf, 0)
			if !errors.Is(err, ErrMalformedPage) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestUnknownTypeSkipped(t *testing.T) {
	var buf bytes.Buffer
	e := NewPageEncoder(&buf)
	_ = e.Encode(Line{Op: OpPut, T: "blob", ID: "x", Seq: 1, D: []byte(`{}`)})
	_ = e.Encode(Line{Op: OpDel, T: "record", ID: "r", Seq: 2, Why: "withdrawn"})
	_ = e.End("C", false, asOf)
	p, err := DecodePage(&buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.Skipped != 1 || len(p.Changes) != 1 || p.Changes[0].ID != "r" {
		t.Errorf("page = %+v", p)
	}
}

func TestEncoderRefuses(t *testing.T) {
	e := NewPageEncoder(&bytes.Buffer{})
	if err := e.Encode(Line{Op: "end"}); err == nil {
		t.Error("encoded an end op as a line")
	}
	if err := e.Encode(Line{Op: OpPut, T: "record", ID: "a", Seq: 1}); err == nil {
		t.Error("encoded a put without data")
	}
	if err := e.EncodeChange(credit.Change{Op: credit.OpPut, Type: credit.TypeRecord, ID: "a"}); err == nil {
		t.Error("encoded a record put without a record")
	}
	_ = e.End("C", false, asOf)
	if err := e.End("C", false, asOf); err == nil {
		t.Error("ended twice")
	}
}

func FuzzDecodePage(f *testing.F) {
	good, _ := EncodePage(sampleChanges(), "CUR", true, asOf)
	empty, _ := EncodePage(nil, "CUR", false, asOf)
	f.Add(good)
	f.Add(empty)
	f.Add(good[:len(good)/2])
	f.Add([]byte("{\"op\":\"end\"}\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePage(bytes.NewReader(b), 1<<20)
		if err != nil {
			if !errors.Is(err, ErrMalformedPage) {
				t.Fatalf("error does not wrap ErrMalformedPage: %v", err)
			}
			return
		}
		// An accepted page re-encodes to a page that decodes the same way.
		again, err := EncodePage(p.Changes, p.Next, p.More, p.AsOf)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		q, err := DecodePage(bytes.NewReader(again), 0)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if len(q.Changes) != len(p.Changes) || q.Next != p.Next || q.More != p.More {
			t.Fatalf("round trip differs")
		}
	})
}

func benchChanges(n int) []credit.Change {
	cs := make([]credit.Change, n)
	for i := range cs {
		r := credit.Record{ID: fmt.Sprintf("R-%06d", i), SubjectID: "620102199001011234", Category: credit.CategoryUntrustworthy,
			Title: "行政处罚决定", Content: strings.Repeat("当事人未按规定履行义务。", 20), SourceUnit: "兰州市市场监督管理局",
			DocumentNo: "兰市监罚〔2025〕12号", LegalBasis: "《甘肃省社会信用条例》第二十条", DecisionDate: asOf, Tier: credit.TierGeneral, Version: 1}
		cs[i] = credit.Change{Seq: int64(i + 1), Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: 1, Record: &r}
	}
	return cs
}

func BenchmarkPage500(b *testing.B) {
	cs := benchChanges(500)
	for b.Loop() {
		page, err := EncodePage(cs, "CUR", true, asOf)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(page)))
		p, err := DecodePage(bytes.NewReader(page), 0)
		if err != nil || len(p.Changes) != 500 {
			b.Fatal(err)
		}
	}
}

// A put this version cannot read is quarantined; the page, and the
// deletions on it, still apply (sync.md F17).
func TestPoisonPutQuarantined(t *testing.T) {
	tests := []struct {
		name string
		line Line
		want string
	}{
		{"wrong field type", Line{Op: OpPut, T: "record", ID: "a", Seq: 1, D: []byte(`{"id":7}`)}, "record"},
		{"id mismatch", Line{Op: OpPut, T: "subject", ID: "a", Seq: 1, D: []byte(`{"id":"b"}`)}, "differs"},
		{"not an object", Line{Op: OpPut, T: "application_status", ID: "a", Seq: 1, D: []byte(`[1,2]`)}, "application status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			e := NewPageEncoder(&buf)
			if err := e.Encode(tt.line); err != nil {
				t.Fatal(err)
			}
			if err := e.Encode(Line{Op: OpDel, T: "record", ID: "gone", Seq: 2, Why: "withdrawn"}); err != nil {
				t.Fatal(err)
			}
			if err := e.End("C", false, asOf); err != nil {
				t.Fatal(err)
			}
			p, err := DecodePage(&buf, 0)
			if err != nil {
				t.Fatalf("page refused: %v", err)
			}
			if len(p.Changes) != 1 || p.Changes[0].Op != credit.OpDel || p.Changes[0].ID != "gone" {
				t.Errorf("changes = %+v", p.Changes)
			}
			if len(p.Quarantined) != 1 {
				t.Fatalf("quarantined = %+v", p.Quarantined)
			}
			q := p.Quarantined[0]
			if q.ID != tt.line.ID || q.Seq != 1 || q.Type != tt.line.T || string(q.Data) != string(tt.line.D) || !strings.Contains(q.Reason, tt.want) {
				t.Errorf("quarantined = %+v", q)
			}
		})
	}
}

func TestSnapshotTrailerRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	e := NewPageEncoder(&buf)
	if err := e.EncodeChange(sampleChanges()[0]); err != nil {
		t.Fatal(err)
	}
	if err := e.EndTrailer(Trailer{Next: "CUR", More: true, AsOf: asOf, SnapshotSeq: 77, Token: "TOK", After: "s/x"}); err != nil {
		t.Fatal(err)
	}
	p, err := DecodePage(&buf, 0)
	if err != nil {
		t.Fatal(err)
	}
	if p.SnapshotSeq != 77 || p.Token != "TOK" || p.After != "s/x" || p.Next != "CUR" || !p.More || len(p.Changes) != 1 {
		t.Errorf("page = %+v", p)
	}
}
