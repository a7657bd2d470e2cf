package cups

import (
	"strings"
	"testing"
)

func TestSummaryHidesTitle(t *testing.T) {
	for _, tt := range []struct{ stderr, title, want string }{
		{"lp: Error - unable to access \"王小明 的信用报告\" - denied\nsecond line", "王小明 的信用报告",
			`lp: Error - unable to access "<title>" - denied`},
		{"", "x", "no message"},
		{"\x1b[1mlp:\tfail\n", "", "[1mlp: fail"},
	} {
		if got := summary(tt.stderr, tt.title); got != tt.want {
			t.Errorf("summary(%q) = %q, want %q", tt.stderr, got, tt.want)
		}
	}
	if got := summary(strings.Repeat("错", 100), ""); len(got) > 200+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long stderr summarised to %d bytes: %q", len(got), got)
	}
}

func TestLPArgsNoDestination(t *testing.T) {
	got := strings.Join(lpArgs("", "", "/s/f.pdf"), " ")
	if got != "-o print-scaling=none -o media=A4 -- /s/f.pdf" {
		t.Errorf("lpArgs = %q", got)
	}
}
