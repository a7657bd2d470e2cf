package main

import (
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/cmd/internal/devicesync"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/internal/pty"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     string
		want    Config
		wantErr string
	}{
		{name: "defaults", want: DefaultConfig()},
		{name: "all", args: []string{"--db", "/tmp/k.db", "--port", "/dev/ttyUSB0", "--device", "k1", "--lang", "en", "--server", "http://127.0.0.1:8700", "--device-key", "/tmp/k.key", "--enroll-code", "C", "--fullscreen", "--high-contrast", "--idle", "90s", "--card-poll", "0", "--stale", "24h", "--memory-limit", "96", "--gc-percent", "30"},
			want: Config{DB: "/tmp/k.db", Port: "/dev/ttyUSB0", DeviceID: "k1", Lang: "en", Flags: devicesync.Flags{Server: "http://127.0.0.1:8700", DeviceKey: "/tmp/k.key", EnrollCode: "C"}, Fullscreen: true, HighContrast: true, Idle: 90 * time.Second, Stale: 24 * time.Hour, MemoryLimitMiB: 96, GCPercent: 30}},
		{name: "enrolment code from the environment", args: []string{"--server", "http://x"}, env: "ENVCODE",
			want: Config{DB: "kiosk.db", DeviceID: "kiosk", Lang: "zh", Flags: devicesync.Flags{Server: "http://x", EnrollCode: "ENVCODE"}, Idle: DefaultConfig().Idle, CardPoll: 500 * time.Millisecond, Stale: 72 * time.Hour, MemoryLimitMiB: DefaultMemoryLimitMiB, GCPercent: DefaultGCPercent}},
		{name: "idle off", args: []string{"--idle", "-1s"}, want: Config{DB: "kiosk.db", DeviceID: "kiosk", Lang: "zh", Idle: -time.Second, CardPoll: 500 * time.Millisecond, Stale: 72 * time.Hour, MemoryLimitMiB: DefaultMemoryLimitMiB, GCPercent: DefaultGCPercent}},
		{name: "negative memory limit", args: []string{"--memory-limit", "-1"}, wantErr: "--memory-limit must be 0 or more"},
		{name: "negative gc percent", args: []string{"--gc-percent", "-1"}, wantErr: "--gc-percent must be 0 or more"},
		{name: "idle zero", args: []string{"--idle", "0"}, wantErr: "--idle must be"},
		{name: "bad language", args: []string{"--lang", "fr"}, wantErr: "--lang must be zh or en"},
		{name: "enrolment code without server", args: []string{"--enroll-code", "C"}, wantErr: "needs --server"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unexpected arguments"},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CREDIT_ENROLL_CODE", tt.env)
			m := NewMain()
			m.Logger, m.Stderr = slog.New(slog.DiscardHandler), io.Discard
			err := m.ParseFlags(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Config, tt.want) {
				t.Errorf("config = %+v, want %+v", m.Config, tt.want)
			}
		})
	}
	m := NewMain()
	m.Stderr = io.Discard
	if err := m.ParseFlags([]string{"-h"}); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
}

func TestOpenWithAndWithoutReader(t *testing.T) {
	master, slave, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer master.Close()
	tests := []struct {
		name       string
		port       string
		poll       time.Duration
		wantReader bool
	}{
		{"no port", "", 0, false},
		{"missing device, taps only", filepath.Join(t.TempDir(), "ttyNONE"), 0, false},
		{"pseudo-terminal, taps only", slave, 0, true},
		// The watcher opens the port when it starts and retries a
		// missing one (a reader plugged in later is used).
		{"missing device, watched", filepath.Join(t.TempDir(), "ttyNONE"), time.Second, true},
		{"pseudo-terminal, watched", slave, time.Second, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain()
			m.Logger = slog.New(slog.DiscardHandler)
			m.Config.DB = filepath.Join(t.TempDir(), "kiosk.db")
			m.Config.Port, m.Config.CardPoll = tt.port, tt.poll
			svc, err := m.Open(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if svc.HasCardReader() != tt.wantReader {
				t.Errorf("reader attached = %v, want %v", svc.HasCardReader(), tt.wantReader)
			}
			// The empty cache answers the business search.
			if got, err := svc.SearchOrganisations(t.Context(), "兰州"); err != nil || len(got) != 0 {
				t.Errorf("search on an empty cache: %v %v", got, err)
			}
			if err := m.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
			if err := m.Close(); err != nil {
				t.Errorf("second close: %v", err)
			}
		})
	}
}

func TestOpenBadDatabasePath(t *testing.T) {
	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config.DB = filepath.Join(t.TempDir(), "no", "such", "dir", "kiosk.db")
	if _, err := m.Open(t.Context()); err == nil || !strings.Contains(err.Error(), "open store") {
		t.Errorf("err = %v", err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("close after a failed open: %v", err)
	}
}

// TestSyncReachesTheUIFeed wires the kiosk to the reference platform on
// 127.0.0.1: the first round fills the cache and its progress arrives on
// the service's event feed.
func TestSyncReachesTheUIFeed(t *testing.T) {
	orgID := "91620102710000001" + string(credit.USCCCheckChar("91620102710000001"))
	srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	err = srv.PutSubjects(t.Context(), []credit.Subject{{ID: orgID, Kind: credit.LegalPerson, Name: "兰州黄河商贸有限公司", Region: "620102", Version: 1}},
		[]credit.Record{{ID: "r1", SubjectID: orgID, Category: credit.CategoryBasic, Title: "营业执照", SourceUnit: "市场监管局", DecisionDate: time.Date(2020, 1, 2, 0, 0, 0, 0, credit.China), Version: 1}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	code, _, err := srv.AddDevice(t.Context(), "kiosk-1", "620102")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		code      string
		wantPhase creditapp.SyncPhase
		wantFound int
	}{
		{"enrols and syncs", code, creditapp.SyncIdle, 1},
		{"wrong enrolment code", "WRONG-CODE", creditapp.SyncFailed, 0},
		{"not enrolled", "", creditapp.SyncFailed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewMain()
			m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
			m.Config.DB = filepath.Join(t.TempDir(), "kiosk.db")
			m.Config.Server, m.Config.EnrollCode, m.Config.DeviceID = hs.URL, tt.code, "kiosk-1"
			svc, err := m.Open(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			events, cancel := svc.Subscribe()
			defer cancel()
			m.StartSync(svc)
			var last creditapp.SyncInfo
			timeout := time.After(60 * time.Second)
		wait:
			for {
				select {
				case ev := <-events:
					if ev.Type != creditapp.SyncStatus {
						continue
					}
					last = ev.Sync
					if last.Phase == creditapp.SyncIdle || last.Phase == creditapp.SyncFailed || last.Phase == creditapp.SyncOffline {
						break wait
					}
				case <-timeout:
					t.Fatalf("no end of round on the feed; last %+v", last)
				}
			}
			if last.Phase != tt.wantPhase {
				t.Fatalf("phase %s (err %v), want %s", last.Phase, last.Err, tt.wantPhase)
			}
			got, err := svc.SearchOrganisations(t.Context(), "黄河")
			if err != nil || len(got) != tt.wantFound {
				t.Errorf("after sync, search found %d (%v), want %d", len(got), err, tt.wantFound)
			}
			if err := m.Close(); err != nil {
				t.Errorf("close: %v", err)
			}
		})
	}
}
