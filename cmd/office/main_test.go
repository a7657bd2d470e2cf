package main

import (
	"flag"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/cmd/internal/devicesync"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/sync/syncserver"
)

func TestParseFlags(t *testing.T) {
	def := DefaultConfig()
	tests := []struct {
		name    string
		args    []string
		env     string
		want    Config
		wantErr string
	}{
		{name: "defaults", want: def},
		{name: "all", args: []string{"--db", "/tmp/o.db", "--device", "office-1", "--lang", "en", "--server", "http://127.0.0.1:8700", "--device-key", "/tmp/o.key", "--enroll-code", "C", "--stale", "24h"},
			want: Config{DB: "/tmp/o.db", DeviceID: "office-1", Lang: "en", Flags: devicesync.Flags{Server: "http://127.0.0.1:8700", DeviceKey: "/tmp/o.key", EnrollCode: "C"}, Stale: 24 * time.Hour}},
		{name: "enrolment code from the environment", args: []string{"--server", "http://x"}, env: "ENVCODE",
			want: Config{DB: "office.db", DeviceID: "office", Lang: "zh", Flags: devicesync.Flags{Server: "http://x", EnrollCode: "ENVCODE"}, Stale: def.Stale}},
		{name: "bad language", args: []string{"--lang", "fr"}, wantErr: "--lang must be zh or en"},
		{name: "enrolment code without server", args: []string{"--enroll-code", "C"}, wantErr: "needs --server"},
		{name: "zero stale", args: []string{"--stale", "0"}, wantErr: "--stale must be"},
		{name: "stray argument", args: []string{"extra"}, wantErr: "unexpected arguments"},
		{name: "unknown flag", args: []string{"--nope"}, wantErr: "flag provided but not defined"},
		{name: "version", args: []string{"--version"}, wantErr: flag.ErrHelp.Error()},
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
			if m.Config != tt.want {
				t.Errorf("config = %+v, want %+v", m.Config, tt.want)
			}
		})
	}
}

// The composition root wires the office service to the store: a clerk
// added to the database logs in, inquires into a business that the sync
// loop brought from the platform, and the inquiry is in the database's log.
func TestOpenSyncAndInquire(t *testing.T) {
	orgID := apptest.OrgID
	srv, err := syncserver.Open(t.Context(), filepath.Join(t.TempDir(), "platform.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if err := srv.PutSubjects(t.Context(), []credit.Subject{{ID: orgID, Kind: credit.LegalPerson, Name: apptest.OrgName, Region: "620102", Version: 1}}, nil); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()

	code, _, err := srv.AddDevice(t.Context(), "office-1", "620102")
	if err != nil {
		t.Fatal(err)
	}
	m, events := openSynced(t, "--db", filepath.Join(t.TempDir(), "office.db"), "--device", "office-1", "--server", hs.URL, "--enroll-code", code)

	// "Sync now": the next round starts at once (not after the 5-minute
	// pause) and fetches what the platform got in between.
	if err := srv.PutSubjects(t.Context(), []credit.Subject{{ID: orgID, Kind: credit.LegalPerson, Name: apptest.OrgName, Region: "620102", Version: 2}}, nil); err != nil {
		t.Fatal(err)
	}
	if !m.Events.CanSyncNow() || m.Events.SyncNow() != nil {
		t.Fatal("sync now not available with --server")
	}
	waitSync(t, events, "sync now started no round", func(s creditapp.SyncInfo) bool {
		return s.Phase == creditapp.SyncIdle && s.Applied > 0
	})
	if rounds := m.Events.SyncRounds(); len(rounds) < 2 || !rounds[0].OK() {
		t.Errorf("sync history %+v", rounds)
	}

	if err := creditapp.NewOffice(creditapp.OfficeDeps{Clerks: m.db, Argon2: apptest.FastArgon2}).AddClerk(t.Context(),
		credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleSupervisor}, "password-1"); err != nil {
		t.Fatal(err)
	}
	cs, err := m.Office.Login(t.Context(), "C001", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	v, err := m.Office.AuthorisedInquiry(t.Context(), cs, orgID, string(credit.PurposeProcurement), "")
	if err != nil || v.Subject.Name != apptest.OrgName {
		t.Fatalf("inquiry: %+v, %v", v, err)
	}
	inq, err := m.db.InquiriesOf(t.Context(), orgID)
	if err != nil || len(inq) != 1 || inq[0].Channel != "office-1" || inq[0].InquirerID != "C001" {
		t.Fatalf("inquiry log %+v, %v", inq, err)
	}
	if _, err := m.Office.Login(t.Context(), "C001", "wrong-pass"); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Errorf("wrong password: %v", err)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// openSynced opens the office with args, starts its sync loop and waits
// for the first successful round; the office and the subscription to its
// events are closed with the test.
func openSynced(t *testing.T, args ...string) (*Main, <-chan creditapp.Event) {
	t.Helper()
	m := NewMain()
	m.Logger, m.Stderr = slog.New(slog.DiscardHandler), io.Discard
	if err := m.ParseFlags(args); err != nil {
		t.Fatal(err)
	}
	if err := m.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	events, stop := m.Events.Subscribe()
	t.Cleanup(stop)
	m.StartSync()
	waitSync(t, events, "no successful sync round reported", func(s creditapp.SyncInfo) bool {
		return s.Phase == creditapp.SyncIdle && !s.LastSuccess.IsZero()
	})
	return m, events
}

// waitSync waits up to 20 s for a sync report that done accepts; a failed
// round fails the test.
func waitSync(t *testing.T, events <-chan creditapp.Event, timeout string, done func(creditapp.SyncInfo) bool) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.Type != creditapp.SyncStatus {
				continue
			}
			if ev.Sync.Phase == creditapp.SyncFailed {
				t.Fatalf("sync failed: %v", ev.Sync.Err)
			}
			if done(ev.Sync) {
				return
			}
		case <-deadline:
			t.Fatal(timeout)
		}
	}
}
