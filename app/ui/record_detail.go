package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
)

// pick returns the text of lang.
func pick(lang Lang, s [2]string) string {
	if lang == English {
		return s[1]
	}
	return s[0]
}

// RecordExtraLine is one line of a record's serious-list statement (Art.
// 36) or change history (Art. 44), as RecordExtraLines builds them.
type RecordExtraLine struct {
	Text       string
	Title      bool // a heading (shown in the subheading size)
	Incomplete bool // the "incomplete" notice (shown as a warning)
}

// RecordExtraLines is the text of a record's serious-list statement (Art.
// 36: designating unit, reasons, basis, removal conditions and procedure,
// remedies) and its change history with reason codes (Art. 44), in lang,
// for the kiosk's record detail and the office's authorised-inquiry view
// alike. A serious-list item the record lacks is shown as "not stated"
// and named in an "incomplete" notice, never left out.
func RecordExtraLines(lang Lang, rec credit.Record) []RecordExtraLine {
	var out []RecordExtraLine
	add := func(text string, title bool) {
		out = append(out, RecordExtraLine{Text: text, Title: title})
	}
	named := func(zh, en string) string { return pick(lang, [2]string{zh, en}) }
	if l := rec.Listing; l != nil {
		add(t(lang, msgSeriousList), true)
		for _, e := range l.Items() {
			text := strings.TrimSpace(e.Text)
			if text == "" {
				text = t(lang, msgListingMissed)
			}
			add(named(e.Item.Label())+t(lang, msgItemSep)+text, false)
		}
		if missing := l.Missing(); len(missing) > 0 {
			names := make([]string, len(missing))
			for i, m := range missing {
				names[i] = named(m.Label())
			}
			out = append(out, RecordExtraLine{Text: tf(lang, msgIncomplete, strings.Join(names, t(lang, msgListSep))), Title: true, Incomplete: true})
		}
	}
	if len(rec.History) > 0 {
		add(t(lang, msgHistory), true)
		for _, c := range rec.History {
			line := tf(lang, msgHistoryEntry, formatDate(c.At), named(c.Reason.Label()), c.Version)
			if c.Note != "" {
				line += "  " + c.Note
			}
			add(line, false)
		}
	}
	return out
}

// RecordExtraLabel is a wrapping label for line: headings in the
// subheading size (not bold: one text style, theme.go), the incomplete
// notice as a warning.
func RecordExtraLabel(line RecordExtraLine) *widget.Label {
	l := widget.NewLabel(line.Text)
	l.Wrapping = fyne.TextWrapWord
	if line.Title {
		l.SizeName = theme.SizeNameSubHeadingText
	}
	if line.Incomplete {
		l.Importance = widget.WarningImportance
	}
	return l
}

// recordExtras shows a record's serious-list statement (Art. 36) and its
// change history with reason codes (Art. 44) below its details
// (RecordExtraLines). The labels join rv.details, so finishing the
// session blanks them too.
func (u *UI) recordExtras(rec credit.Record, rv *recordView) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	for _, line := range RecordExtraLines(u.lang, rec) {
		l := RecordExtraLabel(line)
		if line.Incomplete {
			rv.incomplete = l
		}
		rv.details = append(rv.details, l)
		out = append(out, l)
	}
	return out
}
