package main

import (
	"crypto/ed25519"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// creditctl sync --receipt-pub stores a receipt only when the platform
// signed it with the matching receipt key; with another key the objection
// stays pending, the attempt is counted and the refusal is on stderr.
func TestSyncReceiptPub(t *testing.T) {
	_, platformKey, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name      string
		pub       ed25519.PublicKey // nil: no --receipt-pub
		delivered bool
	}{
		{"platform's key", platformKey.Public().(ed25519.PublicKey), true},
		{"wrong key", otherPub, false},
		{"no key: not checked", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), syncserver.Options{ReceiptKey: platformKey})
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			ds := synth.Generate(5, 20)
			if err := srv.PutSubjects(t.Context(), ds.Subjects, ds.Records); err != nil {
				t.Fatal(err)
			}
			hs := httptest.NewServer(srv.Handler())
			defer hs.Close()
			local := filepath.Join(dir, "kiosk.db")
			enrolDevice(t, srv, hs.URL, "kiosk-1", "--db", local)
			id := captureObjection(t, local, ds)

			args := []string{"sync", "--db", local, "--server", hs.URL, "--device", "kiosk-1", "--retries", "0"}
			if tt.pub != nil {
				b, err := report.MarshalPublicKey(tt.pub)
				if err != nil {
					t.Fatal(err)
				}
				pubPath := filepath.Join(dir, "receipt.pub")
				if err := os.WriteFile(pubPath, b, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, "--receipt-pub", pubPath)
			}
			code, out, errs := runMain(t, args...)
			if (code == 0) != tt.delivered {
				t.Fatalf("exit %d\n%s\n%s", code, out, errs)
			}
			if refused := strings.Contains(errs, "receipt refused"); refused == tt.delivered {
				t.Errorf("refusal on stderr %v:\n%s", refused, errs)
			}
			entry := outboxEntry(t, local, id)
			switch {
			case tt.delivered && (entry.State != store.OutboxDelivered || entry.Receipt == nil):
				t.Fatalf("state %s, receipt %v", entry.State, entry.Receipt)
			case tt.delivered && protocol.VerifyReceipt([]ed25519.PublicKey{platformKey.Public().(ed25519.PublicKey)}, *entry.Receipt) != nil:
				t.Errorf("stored receipt not signed by the platform: %+v", entry.Receipt)
			case !tt.delivered && (entry.State != store.OutboxPending || entry.Receipt != nil || entry.Attempts < 1 || !strings.Contains(entry.LastError, "signature")):
				t.Errorf("wrong key: state %s, receipt %v, attempts %d, last error %q", entry.State, entry.Receipt, entry.Attempts, entry.LastError)
			}
		})
	}
}

// TestSyncReceiptPubBadFile: an unreadable or malformed --receipt-pub
// stops the command before any sync, with the flag named.
func TestSyncReceiptPubBadFile(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.pub")
	if err := os.WriteFile(bad, []byte("not a key"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{bad, filepath.Join(dir, "missing.pub")} {
		code, _, errs := runMain(t, "sync", "--db", filepath.Join(dir, "k.db"), "--server", "http://127.0.0.1:1", "--device", "k", "--receipt-pub", path)
		if code != 1 || !strings.Contains(errs, "--receipt-pub") {
			t.Errorf("%s: exit %d, stderr %q", path, code, errs)
		}
	}
}

// captureObjection saves an objection against an in-scope (620102)
// record into the local store's outbox and returns its ID.
func captureObjection(t *testing.T, dbPath string, ds synth.Dataset) string {
	t.Helper()
	region := map[string]string{}
	for _, s := range ds.Subjects {
		region[s.ID] = s.Region
	}
	var rec credit.Record
	for _, r := range ds.Records {
		if region[r.SubjectID] == "620102" {
			rec = r
			break
		}
	}
	if rec.ID == "" {
		t.Fatal("no record in scope 620102")
	}
	db, err := store.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: rec.SubjectID, SubjectName: "测试",
		RecordID: rec.ID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: "kiosk-1", ReceivedAt: time.Now().Truncate(time.Second)})
	if err := db.SaveObjection(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

// outboxEntry reads the outbox item id from the store at dbPath.
func outboxEntry(t *testing.T, dbPath, id string) store.OutboxEntry {
	t.Helper()
	db, err := store.Open(t.Context(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	entries, err := db.Outbox(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("outbox has no %s", id)
	return store.OutboxEntry{}
}
