package office

import (
	"fmt"
	"strings"

	"github.com/gansu-credit/credit/app/ui"
)

// counted is a count with its noun: Chinese has one form, English a
// singular for one and a plural otherwise (issue 7: "1 record", never
// "1 records").
type counted struct{ zh, one, many string }

// The counts the audit view shows.
var (
	countRecords   = counted{"%d 条", "%d record", "%d records"}   // records an inquiry showed
	countPageItems = counted{"%d 条", "%d entry", "%d entries"}    // entries the filter selects
	countDevices   = counted{"%d 台设备", "%d device", "%d devices"} // devices of the checked chain
	countEntries   = counted{"%d 条记录", "%d entry", "%d entries"}  // entries of the checked chain
)

// in is n with its noun in lang.
func (c counted) in(lang ui.Lang, n int) string {
	f := c.many
	switch {
	case lang != ui.English:
		f = c.zh
	case n == 1:
		f = c.one
	}
	return fmt.Sprintf(f, n)
}

// auditIntact is the chain check's "intact" line: how many devices'
// chains and entries were checked (settings.go shows it too).
func auditIntact(lang ui.Lang, devices, entries int) string {
	return tf(lang, msgAuditOK, countDevices.in(lang, devices), countEntries.in(lang, entries))
}

// auditPageText says which page is shown and how many entries match.
func auditPageText(lang ui.Lang, page, pages, total int) string {
	return fmt.Sprintf(pick(lang, "第 %d / %d 页，共 %s（最新的在前）", "Page %d of %d, %s (newest first)"), page, pages, countPageItems.in(lang, total))
}

// breakAfter marks where a wrapped Chinese cell may break: after an
// enumeration comma or comma, and before an opening bracket, with a hair
// space (U+200A, 1/10 em, in the font). Fyne's word wrap breaks at the
// last white space that fits and drops it at the line start; without one
// it breaks between any two ideographs, so "、" could begin a line.
var breakAfter = strings.NewReplacer("、", "、\u200a", "，", "，\u200a", "（", "\u200a（")

// wrapCJK is s with break points between its Chinese phrases.
func wrapCJK(s string) string { return breakAfter.Replace(s) }
