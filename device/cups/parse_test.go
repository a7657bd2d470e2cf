package cups_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gansu-credit/credit/device/cups"
)

var jobIDCases = []struct {
	out, want string
}{
	{"request id is PRN-123 (1 file(s))\n", "PRN-123"},
	{"request id is Office_A4-7 (1 file(s))", "Office_A4-7"},
	{"request id is my-printer-2-45 (1 file(s))", "my-printer-2-45"},
	{"请求 ID 为 PRN-12（1 个文件）", "PRN-12"},
	{"request id is PRN-12(1 file(s))", "PRN-12"},
	{"request id is 办公室-9 (1 file(s))", "办公室-9"},
	{"", ""},
	{"lp: Error - scheduler not responding.", ""},
	{"request id is PRN- (1 file(s))", ""},
	{"request id is -5 (1 file(s))", ""},
	{"request id is PRN-0 (1 file(s))", ""},
	{"request id is PRN-99999999999 (1 file(s))", ""},
	{"request id is a/b-3 (1 file(s))", ""},
}

func TestParseJobID(t *testing.T) {
	for _, tt := range jobIDCases {
		got, err := cups.ParseJobID(tt.out)
		if got != tt.want || (err == nil) != (tt.want != "") {
			t.Errorf("ParseJobID(%q) = %q, %v; want %q", tt.out, got, err, tt.want)
		}
	}
}

func FuzzParseJobID(f *testing.F) {
	for _, tt := range jobIDCases {
		f.Add(tt.out)
	}
	f.Fuzz(func(t *testing.T, out string) {
		id, err := cups.ParseJobID(out)
		if err != nil {
			if id != "" {
				t.Fatalf("error %v with id %q", err, id)
			}
			return
		}
		if !cups.ValidJobID(id) || !strings.Contains(out, id) || !utf8.ValidString(id) && utf8.ValidString(out) {
			t.Fatalf("ParseJobID(%q) = %q: not a job id found in the input", out, id)
		}
	})
}

func TestParseLPStat(t *testing.T) {
	out := "PRN-7                   kiosk             2048   Fri 27 Nov 2026 04:08:05 AM UTC\n" +
		"\tStatus: the printer is busy\n" +
		"\tAlerts: job-printing\n" +
		"Office_A4-12            root                 0   Fri 27 Nov 2026 04:09:00 AM UTC\n" +
		"lpstat: something odd\n" +
		"PRN-8 bob notanumber\n" +
		"PRN-9\n"
	want := []cups.QueueEntry{
		{ID: "PRN-7", User: "kiosk", Size: 2048},
		{ID: "Office_A4-12", User: "root"},
		{ID: "PRN-8", User: "bob"},
		{ID: "PRN-9"},
	}
	if got := cups.ParseLPStat(out); !slices.Equal(got, want) {
		t.Errorf("ParseLPStat = %+v, want %+v", got, want)
	}
	if got := cups.ParseLPStat(""); len(got) != 0 {
		t.Errorf("empty queue: %+v", got)
	}
}

func FuzzParseLPStat(f *testing.F) {
	f.Add("PRN-7 kiosk 2048 Fri 27 Nov 2026 04:08:05 AM UTC\n\tStatus: x\n")
	f.Add("a-1 b -3\r\nc-2\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, out string) {
		for _, e := range cups.ParseLPStat(out) {
			if !cups.ValidJobID(e.ID) || !strings.Contains(out, e.ID) || e.Size < 0 {
				t.Fatalf("ParseLPStat(%q) gave %+v", out, e)
			}
		}
	})
}

func TestCleanTitle(t *testing.T) {
	long := strings.Repeat("报", 100) // 300 bytes
	for _, tt := range []struct{ in, want string }{
		{"信用报告 BG-1", "信用报告 BG-1"},
		{"  a\n\n\tb\r\n", "a b"},
		{"x\x1b[31my\x7f\u0085z", "x [31my z"},
		{"a\u202eb\u200bc", "a b c"},
		{"bad\xffutf8", "bad utf8"},
		{`"; rm -rf / #`, `"; rm -rf / #`},
		{long, strings.Repeat("报", 85)},
	} {
		got := cups.CleanTitle(tt.in)
		if got != tt.want {
			t.Errorf("CleanTitle(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) > 255 || !utf8.ValidString(got) {
			t.Errorf("CleanTitle(%q) = %q: too long or invalid UTF-8", tt.in, got)
		}
	}
}
