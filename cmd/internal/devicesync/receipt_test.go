package devicesync

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncserver"
)

// The loop the kiosk and office run (Start, with --receipt-pub): the
// platform's receipt key stores the signed receipt; another key leaves the
// objection pending, reports the round as failed (offline) in the status
// and logs the refusal; a bad key file keeps sync from starting.
func TestStartReceiptPub(t *testing.T) {
	_, platformKey, _ := ed25519.GenerateKey(nil)
	otherPub, _, _ := ed25519.GenerateKey(nil)
	tests := []struct {
		name      string
		pub       ed25519.PublicKey
		badFile   bool
		delivered bool
	}{
		{"platform's key", platformKey.Public().(ed25519.PublicKey), false, true},
		{"wrong key", otherPub, false, false},
		{"malformed key file", nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			r, closeRig := newRig(t, dir, syncserver.Options{ReceiptKey: platformKey})
			defer closeRig()
			db := r.db
			rec := r.ds.Records[0]
			o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: rec.SubjectID, SubjectName: "测试",
				RecordID: rec.ID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: "kiosk-1", ReceivedAt: time.Now().Truncate(time.Second)})
			if err := db.SaveObjection(t.Context(), o); err != nil {
				t.Fatal(err)
			}
			pubPath := filepath.Join(dir, "receipt.pub")
			b := []byte("-----BEGIN PUBLIC KEY-----\nbad\n-----END PUBLIC KEY-----\n")
			if !tt.badFile {
				var err error
				if b, err = report.MarshalPublicKey(tt.pub); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(pubPath, b, 0o644); err != nil {
				t.Fatal(err)
			}

			logs := &lockedbuf.Buffer{}
			ctx, cancel := context.WithCancel(t.Context())
			var wg gosync.WaitGroup
			last := startRound(t, ctx, &wg, Config{Server: r.url, DeviceID: "kiosk-1", KeyPath: filepath.Join(dir, "kiosk.db.key"), EnrollCode: r.code,
				Store: db, Logger: slog.New(slog.NewTextHandler(logs, nil)), ReceiptPub: pubPath}, 20*time.Second, logs.String)
			cancel()
			wg.Wait()
			entries, err := db.Outbox(t.Context())
			if err != nil || len(entries) != 1 {
				t.Fatalf("outbox %+v %v", entries, err)
			}
			e := entries[0]
			switch {
			case tt.delivered:
				if last.Phase != app.SyncIdle || e.State != store.OutboxDelivered || e.Receipt == nil ||
					protocol.VerifyReceipt([]ed25519.PublicKey{tt.pub}, *e.Receipt) != nil {
					t.Errorf("status %+v, state %s, receipt %+v", last, e.State, e.Receipt)
				}
			case tt.badFile:
				if last.Phase != app.SyncFailed || !strings.Contains(logs.String(), "receipt keys") || e.State != store.OutboxPending || e.Attempts != 0 {
					t.Errorf("bad file: status %+v, state %s, attempts %d\n%s", last, e.State, e.Attempts, logs.String())
				}
			default:
				if last.Phase != app.SyncOffline || last.Err == nil || e.State != store.OutboxPending || e.Receipt != nil ||
					!strings.Contains(e.LastError, "signature") || !strings.Contains(logs.String(), "receipt refused") {
					t.Errorf("wrong key: status %+v, state %s, last error %q\n%s", last, e.State, e.LastError, logs.String())
				}
			}
		})
	}
}
