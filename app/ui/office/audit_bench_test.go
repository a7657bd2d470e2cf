package office

import (
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// BenchmarkAuditPage opens the supervisor's inquiry log tab on a full
// page of app.AuditPageSize entries at 1024×768 and lays the window out,
// as a supervisor's click does (issue 7): the load, the tab's build and
// the layout that measures every label shown.
func BenchmarkAuditPage(b *testing.B) {
	for _, lang := range []ui.Lang{ui.Chinese, ui.English} {
		b.Run(string(lang), func(b *testing.B) {
			d := newDesk(b, lang)
			d.logInquiries(b, app.AuditPageSize+10)
			d.audit = app.AuditResult{OK: true, Devices: 1, Entries: app.AuditPageSize + 10}
			d.logIn(b, "S001", clerkPassword)
			d.ui.tabs.SelectIndex(tabAudit)
			d.pump()
			b.ReportAllocs()
			cpu := cpuTime(b)
			for b.Loop() {
				d.ui.loadAudit() // what selecting the tab does
				d.pump()
				test.LaidOutObjects(d.w.Canvas().Content())
			}
			b.StopTimer()
			b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/1e3/float64(b.N), "cpu-ms/op")
			if got := d.ui.settings.log.page; got == nil || len(got.Entries) != app.AuditPageSize {
				b.Fatalf("the tab shows no full page: %+v", got)
			}
		})
	}
}

// cpuTime is the CPU time the process has used, user and system, on
// every thread (the garbage collector's included): on a shared machine
// it says more than the wall clock.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
