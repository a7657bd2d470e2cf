package main

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/synth"
)

func TestKeysCommand(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "receipt.key")
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"no kind", []string{"keys"}, 2, ""},
		{"unknown kind", []string{"keys", "root", "--out", key}, 2, ""},
		{"needs out", []string{"keys", "receipt"}, 2, ""},
		{"pub same as key", []string{"keys", "receipt", "--out", key, "--pub-out", key}, 2, ""},
		{"receipt", []string{"keys", "receipt", "--out", key}, 0, "receipt_pub\t" + filepath.Join(dir, "receipt.pub")},
		{"never overwritten", []string{"keys", "receipt", "--out", key}, 1, ""},
		{"calendar", []string{"keys", "calendar", "--out", filepath.Join(dir, "cal.key"), "--pub-out", filepath.Join(dir, "c.pem")}, 0, "calendar_kid\t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	st, err := os.Stat(key)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	priv, pub := readKeyPair(t, key, filepath.Join(dir, "receipt.pub"))
	if !priv.Public().(ed25519.PublicKey).Equal(pub) {
		t.Error("the .pub file is not the key's public key")
	}
	// The calendar key works with calendar pubkey.
	if code, out, _ := run(t, "calendar", "pubkey", "--key", filepath.Join(dir, "cal.key")); code != 0 || !strings.Contains(out, "PUBLIC KEY") {
		t.Errorf("calendar pubkey: %d %s", code, out)
	}
}

// serve --receipt-key signs the receipts it answers: a device given the
// matching public key stores them; a bad key file stops serve.
func TestServeReceiptKey(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "receipt.key")
	if code, _, errs := run(t, "keys", "receipt", "--out", keyPath); code != 0 {
		t.Fatal(errs)
	}
	_, pub := readKeyPair(t, keyPath, filepath.Join(dir, "receipt.pub"))
	db := seeded(t, dir, 5)
	bad := filepath.Join(dir, "bad.key")
	if err := os.WriteFile(bad, []byte("garbage"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--receipt-key", bad); code != 1 || !strings.Contains(errs, "bad.key") {
		t.Errorf("bad receipt key: exit %d, %s", code, errs)
	}

	base, stop := serve(t, db, "--receipt-key", keyPath)
	defer stop()
	devKey := enrolKey(t, db, base, "KIOSK-1")
	local, err := store.Open(t.Context(), filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	c := syncclient.New(syncclient.Config{BaseURL: base, Key: devKey, DeviceID: "KIOSK-1", Outbox: local, Applier: local,
		RetryMax: -1, ReceiptKeys: []ed25519.PublicKey{pub}})
	rec := synth.Generate(1, 5).Records[0] // what seed --n 5 put
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: rec.SubjectID, SubjectName: "测试",
		RecordID: rec.ID, Type: credit.ObjWrongInfo, Statement: "记录有误，请核查。", Channel: "KIOSK-1", ReceivedAt: time.Now().Truncate(time.Second)})
	if err := local.SaveObjection(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	if res, err := c.SyncOnce(t.Context()); err != nil || res.Pushed != 1 {
		t.Fatalf("sync: %+v %v", res, err)
	}
	entries, err := local.Outbox(t.Context())
	if err != nil || len(entries) != 1 || entries[0].Receipt == nil {
		t.Fatalf("outbox %+v %v", entries, err)
	}
	if err := protocol.VerifyReceipt([]ed25519.PublicKey{pub}, *entries[0].Receipt); err != nil {
		t.Errorf("stored receipt: %v", err)
	}
}

// readKeyPair reads a private key and its public key file.
func readKeyPair(t *testing.T, keyPath, pubPath string) (ed25519.PrivateKey, ed25519.PublicKey) {
	t.Helper()
	b, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := report.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile(pubPath)
	if err != nil {
		t.Fatal(err)
	}
	pubs, err := report.ParsePublicKeys(pb)
	if err != nil || len(pubs) != 1 {
		t.Fatalf("pub file: %v %v", pubs, err)
	}
	return priv, pubs[0]
}
