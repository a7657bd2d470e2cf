package idcard_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

// silentPort is a pty nobody answers on (a modem, a GPS, an empty UART).
func silentPort(t *testing.T) string {
	t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { master.Close() })
	go io.Copy(io.Discard, master) // swallow the questions, never answer
	return path
}

// simPort is a pty with a simulated SAM on it.
func simPort(t *testing.T) string {
	t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	hold, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = samsim.New(master, nil).Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; hold.Close(); master.Close() })
	return path
}

// recordingOpen opens through tarm/serial and records the order of opens.
type recordingOpen struct {
	mu    sync.Mutex
	paths []string
}

func (r *recordingOpen) open(_ context.Context, path string) (io.ReadWriteCloser, error) {
	r.mu.Lock()
	r.paths = append(r.paths, path)
	r.mu.Unlock()
	return idcard.OpenSerial(path, idcard.DefaultBaud)
}

func TestDiscover(t *testing.T) {
	silent, sim := silentPort(t), simPort(t)
	dir := t.TempDir()
	missing := filepath.Join(dir, "ttyUSB9")
	notTTY := filepath.Join(dir, "plain")
	if err := writeFile(notTTY); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "idcard-port")
	rec := &recordingOpen{}
	cfg := idcard.DiscoverConfig{StateFile: state, Open: rec.open}
	candidates := []string{missing, notTTY, silent, sim}

	start := time.Now()
	got, err := idcard.Discover(t.Context(), candidates, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got != sim {
		t.Fatalf("Discover = %s, want the simulator %s", got, sim)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("discovery took %v; the silent port should cost about one probe timeout", d)
	}
	if !slices.Equal(rec.paths, candidates) {
		t.Errorf("tried %v, want %v", rec.paths, candidates)
	}
	if b, err := os.ReadFile(state); err != nil || strings.TrimSpace(string(b)) != sim {
		t.Fatalf("state file %q, %v; want %s", b, err, sim)
	}

	// Next time the remembered port is tried first, and only it.
	rec.paths = nil
	if got, err := idcard.Discover(t.Context(), candidates, cfg); err != nil || got != sim {
		t.Fatalf("second Discover = %s, %v", got, err)
	}
	if !slices.Equal(rec.paths, []string{sim}) {
		t.Errorf("second run tried %v, want only %s", rec.paths, sim)
	}
}

func TestDiscoverNoReader(t *testing.T) {
	silent := silentPort(t)
	state := filepath.Join(t.TempDir(), "idcard-port")
	_, err := idcard.Discover(t.Context(), []string{silent, "/dev/does-not-exist"}, idcard.DiscoverConfig{StateFile: state})
	if !errors.Is(err, idcard.ErrNoReader) || !errors.Is(err, idcard.ErrNoResponse) {
		t.Fatalf("err = %v, want ErrNoReader carrying the silent port's ErrNoResponse", err)
	}
	if !strings.Contains(err.Error(), "/dev/does-not-exist") {
		t.Errorf("error does not name the missing port: %v", err)
	}
	if _, err := os.Stat(state); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("state file written without a reader: %v", err)
	}
	if _, err := idcard.Discover(t.Context(), nil, idcard.DiscoverConfig{}); !errors.Is(err, idcard.ErrNoReader) {
		t.Errorf("no candidates: %v", err)
	}
}

func TestPortsListsEachDeviceOnce(t *testing.T) {
	for _, p := range idcard.Ports() {
		if !strings.HasPrefix(p, "/dev/") {
			t.Errorf("Ports() returned %q outside /dev", p)
		}
	}
	if ps := idcard.Ports(); len(ps) != len(slices.Compact(slices.Clone(ps))) {
		t.Errorf("duplicates in %v", ps)
	}
}
