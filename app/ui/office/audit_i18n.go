package office

import (
	"strings"

	"github.com/gansu-credit/credit/app/ui"
)

// counted is a count with its noun: the texts (a %d verb) for one and for
// any other number, of the office's texts (msg) or the sync panel's
// (syncMsg). English has a singular for one and a plural otherwise
// (issue 7: "1 record", never "1 records"); Chinese has one form, the same
// text under both keys.
type counted[M msg | syncMsg] struct{ one, other M }

// The counts the audit view shows.
var (
	countRecords   = counted[msg]{msgRecordsOne, msgRecordsOther}             // records an inquiry showed
	countPageItems = counted[msg]{msgPageItemsOne, msgPageItemsOther}         // entries the filter selects
	countDevices   = counted[msg]{msgDevicesOne, msgDevicesOther}             // devices of the checked chain
	countEntries   = counted[msg]{msgEntriesOne, msgEntriesOther}             // entries of the checked chain
	countDaysLate  = counted[msg]{msgOverdueDayOne, msgOverdueDays}           // working days an application is late (queue.go)
	countApplied   = counted[syncMsg]{syncMsgAppliedOne, syncMsgApplied}      // updates a running round received (sync_progress.go)
	countUpdates   = counted[syncMsg]{syncMsgUpdatesOne, syncMsgUpdatesOther} // updates a round received (sync.go)
	countWaiting   = counted[syncMsg]{syncMsgWaitingOne, syncMsgWaitingOther} // applications waiting to upload (sync.go)
)

// in is n with its noun in lang.
func (c counted[M]) in(lang ui.Lang, n int) string {
	m := c.other
	if n == 1 {
		m = c.one
	}
	switch m := any(m).(type) {
	case msg:
		return tf(lang, m, n)
	case syncMsg:
		return tsf(lang, m, n)
	}
	panic("unreachable: counted of another kind")
}

// auditIntact is the chain check's "intact" line: how many devices'
// chains and entries were checked (settings.go shows it too).
func auditIntact(lang ui.Lang, devices, entries int) string {
	return tf(lang, msgAuditOK, countDevices.in(lang, devices), countEntries.in(lang, entries))
}

// auditPageText says which page is shown and how many entries match.
func auditPageText(lang ui.Lang, page, pages, total int) string {
	return tf(lang, msgAuditPage, page, pages, countPageItems.in(lang, total))
}

// breakAfter marks where a wrapped Chinese cell may break: after an
// enumeration comma or comma, and before an opening bracket, with a hair
// space (U+200A, 1/10 em, in the font). Fyne's word wrap breaks at the
// last white space that fits and drops it at the line start; without one
// it breaks between any two ideographs, so "、" could begin a line.
var breakAfter = strings.NewReplacer("、", "、\u200a", "，", "，\u200a", "（", "\u200a（")

// wrapCJK is s with break points between its Chinese phrases.
func wrapCJK(s string) string { return breakAfter.Replace(s) }
