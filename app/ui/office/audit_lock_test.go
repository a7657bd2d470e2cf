package office

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// TestAuditLockBlanksRows: the idle lock and a logout blank every row the
// inquiry log's list made, shown or pooled after scrolling (they carry
// masked subjects, clerks' IDs and authorisation references), and the
// page line and the chain check beside them.
func TestAuditLockBlanksRows(t *testing.T) {
	for _, way := range []string{"logout", "idle"} {
		t.Run(way, func(t *testing.T) {
			d := newDesk(t, ui.English)
			d.logInquiries(t, app.AuditPageSize)
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: app.AuditPageSize}
			d.logIn(t, "S001", clerkPassword)
			d.w.Resize(fyne.NewSize(1024, 768))
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			a := &d.ui.auTab
			a.list.ScrollToBottom() // rows bound again: pooled ones too
			d.pump()
			lines := append([]*auditLine(nil), a.lines...)
			held := []*widget.Label{a.pageLabel, a.chain}
			if len(lines) == 0 || lines[0].cells[4].Text == "" {
				t.Fatalf("setup: %d rows built", len(lines))
			}
			switch way {
			case "logout":
				d.ui.logoutBtn.OnTapped()
			case "idle":
				d.now = d.now.Add(6 * time.Minute)
				d.timers.fire()
			}
			d.pump()
			if d.ui.cs != nil {
				t.Fatal("still logged in")
			}
			for _, l := range lines {
				if s := l.texts(); s != ([auditCols]string{}) {
					t.Fatalf("a row still holds %q", s)
				}
			}
			for _, l := range held {
				if l.Text != "" {
					t.Errorf("a label still holds %q", l.Text)
				}
			}
			if len(d.ui.auTab.rows) != 0 {
				t.Errorf("%d rows kept after the lock", len(d.ui.auTab.rows))
			}
		})
	}
}
