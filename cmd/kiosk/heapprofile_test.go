package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/internal/lockedbuf"
)

func TestHeapProfileConfig(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		wantPath  string
		wantAfter time.Duration
		wantErr   string
	}{
		{"off", nil, "", 0, ""},
		{"delay without a path stays off", map[string]string{heapProfileAfterEnv: "1s"}, "", 0, ""},
		{"default delay", map[string]string{heapProfileEnv: "/tmp/h.pprof"}, "/tmp/h.pprof", defaultHeapProfileAfter, ""},
		{"own delay", map[string]string{heapProfileEnv: "h.pprof", heapProfileAfterEnv: "12s"}, "h.pprof", 12 * time.Second, ""},
		{"not a duration", map[string]string{heapProfileEnv: "h.pprof", heapProfileAfterEnv: "soon"}, "", 0, "want a duration"},
		{"negative", map[string]string{heapProfileEnv: "h.pprof", heapProfileAfterEnv: "-1s"}, "", 0, "want a duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, after, err := heapProfileConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), heapProfileAfterEnv) {
					t.Fatalf("err %v, want one naming %s and %q", err, heapProfileAfterEnv, tt.wantErr)
				}
				return
			}
			if err != nil || path != tt.wantPath || after != tt.wantAfter {
				t.Errorf("got %q %v %v, want %q %v", path, after, err, tt.wantPath, tt.wantAfter)
			}
		})
	}
}

// TestStartHeapProfile runs the hook on an opened kiosk: it writes a
// gzip-compressed pprof profile after its delay and logs the runtime's
// figures; a Close before the delay writes nothing; a path it cannot
// write is logged, not fatal.
func TestStartHeapProfile(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name      string
		path      string
		after     string
		wait      bool // wait for the log line before closing
		wantFile  bool
		wantInLog string
	}{
		{"written", filepath.Join(dir, "heap.pprof"), "1ms", true, true, "heap profile written"},
		{"closed first", filepath.Join(dir, "never.pprof"), "1h", false, false, ""},
		{"unwritable", filepath.Join(dir, "no-such-dir", "heap.pprof"), "1ms", true, false, "level=ERROR msg=\"heap profile\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs lockedbuf.Buffer
			m := NewMain()
			m.Logger = slog.New(slog.NewTextHandler(&logs, nil))
			m.Config.DB = filepath.Join(t.TempDir(), "kiosk.db")
			if _, err := m.Open(t.Context()); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{heapProfileEnv: tt.path, heapProfileAfterEnv: tt.after}
			if err := m.StartHeapProfile(func(k string) string { return env[k] }); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(10 * time.Second)
			for tt.wait && !strings.Contains(logs.String(), tt.wantInLog) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(tt.path)
			if tt.wantFile != (err == nil) {
				t.Fatalf("profile file: %v, want written %v", err, tt.wantFile)
			}
			if tt.wantFile && (len(b) < 100 || b[0] != 0x1f || b[1] != 0x8b) {
				t.Errorf("profile of %d bytes is not a gzip-compressed pprof profile", len(b))
			}
			if tt.wantInLog != "" && !strings.Contains(logs.String(), tt.wantInLog) {
				t.Errorf("log lacks %q:\n%s", tt.wantInLog, logs.String())
			}
		})
	}
}
