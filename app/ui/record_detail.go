package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
)

// Texts of the record detail's Art. 36 and Art. 44 parts, {zh, en}.
var (
	txtSeriousList   = [2]string{"严重失信主体名单", "Serious untrustworthiness list"}
	txtListingMissed = [2]string{"（未载明）", "(not stated)"}
	txtIncomplete    = [2]string{"信息不完整：未载明%s。", "Incomplete: %s not stated."}
	txtHistory       = [2]string{"变更记录", "Change history"}
	txtHistoryEntry  = [2]string{"%s  %s（第%d版）", "%s  %s (version %d)"}
)

// pick returns the text of lang.
func pick(lang Lang, s [2]string) string {
	if lang == English {
		return s[1]
	}
	return s[0]
}

// named picks the Chinese or English name of a domain label, in the
// kiosk's language.
func (u *UI) named(zh, en string) string {
	if u.lang == English {
		return en
	}
	return zh
}

// recordExtras shows a record's serious-list statement (Art. 36) and its
// change history with reason codes (Art. 44) below its details. A
// serious-list record lacking any of the Art. 36 items is shown, with
// each item it lacks named and an "incomplete" notice, never hidden. The
// labels join rv.details, so finishing the session blanks them too.
func (u *UI) recordExtras(rec credit.Record, rv *recordView) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	add := func(text string, title bool) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		if title {
			l.SizeName = theme.SizeNameSubHeadingText // not bold: one text style (theme.go)
		}
		rv.details = append(rv.details, l)
		out = append(out, l)
		return l
	}
	if l := rec.Listing; l != nil {
		add(pick(u.lang, txtSeriousList), true)
		for _, e := range l.Items() {
			text := strings.TrimSpace(e.Text)
			if text == "" {
				text = pick(u.lang, txtListingMissed)
			}
			add(u.named(e.Item.Label())+"："+text, false)
		}
		if missing := l.Missing(); len(missing) > 0 {
			names := make([]string, len(missing))
			for i, m := range missing {
				names[i] = u.named(m.Label())
			}
			sep := "、"
			if u.lang == English {
				sep = ", "
			}
			rv.incomplete = add(fmt.Sprintf(pick(u.lang, txtIncomplete), strings.Join(names, sep)), true)
			rv.incomplete.Importance = widget.WarningImportance
		}
	}
	if len(rec.History) > 0 {
		add(pick(u.lang, txtHistory), true)
		for _, c := range rec.History {
			line := fmt.Sprintf(pick(u.lang, txtHistoryEntry), formatDate(c.At), u.named(c.Reason.Label()), c.Version)
			if c.Note != "" {
				line += "  " + c.Note
			}
			add(line, false)
		}
	}
	return out
}
