package devicesync

import (
	"bytes"
	"crypto/ed25519"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/store"
)

func TestOpenCalendar(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "kiosk.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.AddLocalDayOff(ctx, credit.LocalDayOff{County: "622901", Date: "2026-12-01", Name: "测试", AddedBy: "S001"}); err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	pem, err := report.MarshalPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	pubPath := filepath.Join(dir, "calendar.pub")
	if err := os.WriteFile(pubPath, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	now := func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China) }
	tue := time.Date(2026, 12, 1, 10, 0, 0, 0, credit.China)
	newYear := time.Date(2027, 1, 1, 10, 0, 0, 0, credit.China)

	// Without keys: the local day counts, no updates are taken.
	c := OpenCalendar(ctx, db, "622901", "", now, log)
	if c.Sink != nil || c.Live.IsWorkingDay(tue) || !c.Live.Provisional(newYear) {
		t.Fatal("calendar without keys")
	}
	if c := OpenCalendar(ctx, db, "", filepath.Join(dir, "missing.pub"), now, log); c.Sink != nil || !c.Live.IsWorkingDay(tue) {
		t.Fatal("missing key file: a sink, or the local day of a county counted nationally")
	}
	if !strings.Contains(logs.String(), "calendar keys unusable") {
		t.Fatalf("unusable keys not logged: %s", logs.String())
	}

	c = OpenCalendar(ctx, db, "622901", pubPath, now, log)
	if c.Sink == nil {
		t.Fatal("no sink with keys")
	}
	y := credit.HolidayYear{Year: 2027, Papers: []string{"x"}, Days: []credit.HolidayDay{{Name: "元旦", Date: "2027-01-01", Off: true}}}
	signed, err := credit.SignCalendar(credit.CalendarUpdate{Kind: credit.CalendarYear, Version: 1, Year: y}, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Sink.ReceiveCalendar(ctx, signed); err != nil {
		t.Fatal(err)
	}
	if c.Live.IsWorkingDay(newYear) || c.Live.Provisional(newYear) || c.Live.IsWorkingDay(tue) {
		t.Fatal("the live calendar did not take 2027, or lost the local day")
	}
	// The next start sees it too.
	if c := OpenCalendar(ctx, db, "622901", "", now, log); c.Live.Provisional(newYear) {
		t.Fatal("2027 not kept")
	}
}
