//go:build linux

package lazyfs

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeBadInput: a server given a bad configuration or an unknown
// command answers with a clear error, and an unmountable directory is an
// error from Start, not a hang.
func TestServeBadInput(t *testing.T) {
	if err := Available(); err != nil {
		t.Skipf("FUSE cannot be mounted here: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "missing")
	tests := []struct {
		name, env, input string
		code             int
		want             []string // substrings of the replies, in order
	}{
		{"configuration not JSON", "{backing", "", 2, []string{serveEnv}},
		{"backing directory missing", `{"Backing":"` + missing + `","Mnt":"` + t.TempDir() + `"}`, "", 3, []string{"backing directory"}},
		{"unknown command, then quit", `{"Backing":"` + t.TempDir() + `","Mnt":"` + t.TempDir() + `"}`, "reboot\nquit\n", 0,
			[]string{`{}`, `unknown command \"reboot\"`, `{}`}},
		{"end of input unmounts", `{"Backing":"` + t.TempDir() + `","Mnt":"` + t.TempDir() + `"}`, "", 0, []string{`{}`, `{}`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			code := serveMain(tt.env, strings.NewReader(tt.input), &out)
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			if code != tt.code || len(lines) != len(tt.want) {
				t.Fatalf("exit %d, replies %q; want exit %d and %d replies", code, lines, tt.code, len(tt.want))
			}
			for i, w := range tt.want {
				var r reply
				if err := json.Unmarshal([]byte(lines[i]), &r); err != nil || !strings.Contains(lines[i], w) {
					t.Errorf("reply %d = %s (%v), want it to contain %s", i, lines[i], err, w)
				}
			}
		})
	}
	if _, err := Start(t.Context(), missing, t.TempDir(), Options{}); err == nil || !strings.Contains(err.Error(), "backing directory") {
		t.Errorf("Start on a missing backing directory: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Start created the missing backing directory: %v", err)
	}
}
