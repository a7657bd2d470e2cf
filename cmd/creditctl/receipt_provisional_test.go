package main

import (
	"path/filepath"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/assets"
	"github.com/gansu-credit/credit/store"
)

// TestReceiptProvisional: creditctl receipt marks the due dates
// provisional (issue #5) when the store's recount marked them so, or when
// they reach into a year whose holiday notice is not out, and not else.
func TestReceiptProvisional(t *testing.T) {
	setNow(t, testNow)
	const lateID = "5d6e7f80-1a2b-4c3d-8e9f-a0b1c2d3e4f5"
	tests := []struct {
		name string
		prep func(t *testing.T, db *store.DB)
		id   string
		want string
	}{
		{"counted on a known year", func(*testing.T, *store.DB) {}, objectionID, "false"},
		{"recounted without the year's notice", func(t *testing.T, db *store.DB) {
			base, err := credit.ReadHolidayYears(assets.Holidays())
			if err != nil {
				t.Fatal(err)
			}
			var old []credit.HolidayYear
			for _, y := range base {
				if y.Year < 2026 {
					old = append(old, y)
				}
			}
			cal, err := credit.CalendarSources{Base: old}.Build()
			if err != nil {
				t.Fatal(err)
			}
			if rc, err := db.RecountDeadlines(t.Context(), cal, testNow); err != nil || rc.Provisional == 0 {
				t.Fatalf("recount = %+v, %v", rc, err)
			}
		}, objectionID, "true"},
		{"reaching past the last notice", func(t *testing.T, db *store.DB) {
			at := time.Date(2027, 12, 28, 10, 0, 0, 0, credit.China) // the built-in notices end with 2027
			o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: lateID, SubjectID: personNo, SubjectName: "王堃", RecordID: "r2",
				Type: credit.ObjWrongInfo, Statement: "表彰名称有误。", Contact: "13800000000", Channel: "620102K1", ReceivedAt: at})
			if err := db.SaveObjection(t.Context(), o); err != nil {
				t.Fatal(err)
			}
		}, lateID, "true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, _, _ := seedApplications(t)
			db, err := store.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			tt.prep(t, db)
			db.Close()
			dir := t.TempDir()
			out, _ := run(t, 0, "receipt", "--db", path, "--application", tt.id, "--key", filepath.Join(dir, "device.key"), "--out", filepath.Join(dir, "r.pdf"))
			if got := field(t, out, "provisional"); got != tt.want {
				t.Errorf("provisional = %q, want %q:\n%s", got, tt.want, out)
			}
		})
	}
}
