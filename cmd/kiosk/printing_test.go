package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	creditapp "github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
)

func TestParsePrintFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    PrintConfig
		wantErr string
	}{
		{name: "none", want: PrintConfig{}},
		{name: "all", args: []string{"--printer-receipt", "/dev/ttyS0", "--printer-receipt-baud", "9600", "--printer-receipt-width", "80", "--printer-receipt-chinese", "--printer-receipt-native-qr",
			"--printer", "Office_A4", "--key", "/k", "--office", "城关区", "--region", "620102", "--device-code", "K2", "--trust", "/t", "--root-pub", "/r"},
			want: PrintConfig{ReceiptPrinter: "/dev/ttyS0", ReceiptBaud: 9600, ReceiptWidth: 80, ReceiptChinese: true, ReceiptNative: true, Printer: "Office_A4", SignKey: "/k",
				Office: "城关区", Region: "620102", DevCode: "K2", Trust: "/t", RootPub: "/r"}},
		{name: "key file", args: []string{"--keys", "/keys.txt"}, want: PrintConfig{Keys: "/keys.txt"}},
		{name: "bad width", args: []string{"--printer-receipt-width", "57"}, wantErr: "58 or 80"},
		{name: "trust without root", args: []string{"--trust", "/t"}, wantErr: "needs --root-pub"},
		{name: "trust and keys", args: []string{"--trust", "/t", "--root-pub", "/r", "--keys", "/k"}, wantErr: "not both"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
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
			if m.Config.Print != tt.want {
				t.Errorf("print config %+v, want %+v", m.Config.Print, tt.want)
			}
		})
	}
}

// TestOpenWiresPrinting opens the kiosk with a receipt "printer" (a file
// standing for /dev/usb/lp0), no A4 printer and a key file: a receipt
// prints ESC/POS bytes there, signed with the key --key names, and the
// kiosk checks its own codes.
func TestOpenWiresPrinting(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(t.Context(), dbPath, store.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	subjects, records := apptest.FixtureData()
	if err := db.Load(t.Context(), subjects, records); err != nil {
		t.Fatal(err)
	}
	db.Close()
	lp := filepath.Join(dir, "lp0")
	if err := os.WriteFile(lp, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)

	m := NewMain()
	m.Logger = slog.New(slog.DiscardHandler)
	m.Config.DB = dbPath
	m.Config.Print = PrintConfig{ReceiptPrinter: lp, SignKey: filepath.Join(dir, "sign.key"), Office: "城关区政务服务中心"}
	m.Now = func() time.Time { return now }
	svc, err := m.Open(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !svc.CanPrintReceipt() || svc.CanPrintReport() || !svc.CanVerify() {
		t.Fatalf("receipt %v, report %v, verify %v", svc.CanPrintReceipt(), svc.CanPrintReport(), svc.CanVerify())
	}
	priv, err := report.LoadOrCreateKey(filepath.Join(dir, "sign.key"))
	if err != nil {
		t.Fatal(err)
	}

	sessSvc := creditapp.New(creditapp.Deps{Records: m.db, Inquiries: m.db, Applications: m.db, Card: apptest.NewCard(apptest.PersonCard(), nil), Now: m.Now})
	sess, err := sessSvc.ReadCard(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.FileObjection(t.Context(), sess, apptest.RecUntr, credit.ObjBeyondPeriod, "公示期已满。", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.PrintObjectionReceipt(t.Context(), sess, o); err != nil {
		t.Fatal(err)
	}
	out, err := os.ReadFile(lp)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte{0x1b, '@'}) || !bytes.Contains(out, []byte(o.No)) {
		t.Errorf("the receipt printer got %d bytes without ESC @ or the number", len(out))
	}
	_, err = svc.PrintReport(t.Context(), sess)
	if credit.ErrorCode(err) != credit.EUNAVAILABLE {
		t.Errorf("report without an A4 printer: %v", err)
	}
	// The kiosk's own receipts verify here; the application is found by number.
	rc := report.ObjectionReceipt(o, credit.Record{})
	rc.IssuedAt = now
	signed, err := report.Sign(priv, rc.Claims(1, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if res := svc.VerifyText(signed.Text); res.Status != report.StatusValid || res.Office != "城关区政务服务中心" {
		t.Errorf("own receipt: %s %q", res.Status, res.Office)
	}
	if p, err := svc.ApplicationProgress(t.Context(), o.No); err != nil || p.Status != credit.StatusQueued {
		t.Errorf("progress %+v %v", p, err)
	}
}
