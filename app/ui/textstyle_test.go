package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app/apptest"
)

// TestLabelsRegularStyle: every label of the kiosk's own, on every screen
// of a session, is in the regular style; headings stand out by size.
// Fyne parses the font once per text style (the embedded WenQuanYi, ≈ 18
// MB of heap a parse, has no bold weight anyway; issue 7). Fyne's Button
// and Card title still draw bold (RichTextStyleStrong, hard-coded in Fyne
// 2.7), so the bold face is still parsed while those are on screen.
func TestLabelsRegularStyle(t *testing.T) {
	k := newKiosk(t, true)
	k.w.Resize(fyne.NewSize(1024, 1400))
	u := k.ui
	steps := []struct {
		screen string
		do     func(t *testing.T)
	}{
		{"home", func(*testing.T) {}},
		{"records", k.readCard},
		{"objection form with messages", func(*testing.T) {
			test.Tap(u.records.views[apptest.RecUntr].objectBtn)
			test.Tap(u.form.submitBtn)
		}},
		{"receipt", func(*testing.T) {
			u.form.typ.SetSelected("超过公示期限")
			test.Type(u.form.statement, "公示期已满，仍在公示。")
			test.Type(u.form.contact, "13800000000")
			test.Tap(u.form.submitBtn)
		}},
		{"records under objection", func(*testing.T) { test.Tap(u.receiptView.backBtn) }},
		{"home in English", func(*testing.T) {
			test.Tap(u.records.finishBtn)
			test.Tap(u.langBtn)
		}},
	}
	for _, st := range steps {
		st.do(t)
		labels := 0
		for _, o := range test.LaidOutObjects(k.w.Content()) {
			l, ok := o.(*widget.Label)
			if !ok || l.Text == "" {
				continue
			}
			labels++
			if l.TextStyle != (fyne.TextStyle{}) {
				t.Errorf("%s: label %q in style %+v, want the regular style", st.screen, l.Text, l.TextStyle)
			}
		}
		if labels == 0 {
			t.Errorf("%s: no label shown", st.screen)
		}
	}
}
