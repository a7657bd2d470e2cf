package office

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui"
)

// The printer field offers the detected printers, keeps a saved printer
// that is not detected now, takes a typed name that is not listed, and
// says so in plain words when none are detected or they cannot be
// listed.
func TestSettingsPrinterChoice(t *testing.T) {
	for _, tt := range []struct {
		name     string
		lang     ui.Lang
		detected []string
		err      error
		saved    string
		options  []string
		note     string // "" the note is hidden
	}{
		{"detected", ui.Chinese, []string{"HP_M404", "Office_A4", "HP_M404"}, nil, "", []string{"HP_M404", "Office_A4"}, ""},
		{"saved not detected", ui.Chinese, []string{"Office_A4"}, nil, "Old_Laser", []string{"Office_A4", "Old_Laser"}, ""},
		{"none zh", ui.Chinese, nil, nil, "", nil, "未检测到打印机。可直接输入打印机名称，或留空使用系统默认打印机。"},
		{"none en", ui.English, nil, nil, "", nil, "No printers were found on this computer. Type the printer's name, or leave it empty for the system default."},
		{"fails", ui.English, nil, credit.Errorf(credit.EUNAVAILABLE, "打印服务（CUPS）未运行，请联系工作人员。", "The print service (CUPS) is not running. Please ask a member of staff."), "", nil,
			"The printers cannot be listed: The print service (CUPS) is not running. Please ask a member of staff. Type the printer's name."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			d := newDesk(t, tt.lang, func(o *app.OfficeDeps) {
				o.Printers = func(context.Context) ([]string, error) { return tt.detected, tt.err }
			})
			if tt.saved != "" {
				if err := d.store.SetSetting(t.Context(), app.SettingPrinter, tt.saved, "C001"); err != nil {
					t.Fatal(err)
				}
			}
			d.logIn(t, "C001", clerkPassword)
			d.ui.tabs.SelectIndex(tabSettings)
			v := &d.ui.setTab
			if !slices.Equal(v.printOpts, tt.options) || v.printer.Text != tt.saved {
				t.Fatalf("options %q text %q, want %q %q", v.printOpts, v.printer.Text, tt.options, tt.saved)
			}
			if got := v.printNote.Text; got != tt.note || v.printNote.Visible() != (tt.note != "") || (tt.note != "" && !shows(d.w, tt.note)) {
				t.Fatalf("note %q (visible %v), want %q", got, v.printNote.Visible(), tt.note)
			}
			if len(tt.options) > 0 { // the list drops down with them; pick the first
				test.Tap(v.printer.ActionItem.(fyne.Tappable))
				for _, o := range tt.options {
					if !shows(d.w, o) {
						t.Fatalf("drop-down lacks %q: %q", o, texts(d.w))
					}
				}
				v.printer.SetText(tt.options[0])
				test.Tap(v.saveBtn)
				if vals, _ := d.store.Settings(t.Context()); vals["printer"] != tt.options[0] {
					t.Fatalf("picked: stored %v (%q)", vals, d.ui.message.Text)
				}
			}
			test.Type(v.printer, "Typed_Printer") // not listed: still taken
			v.printer.SetText("Typed_Printer")
			test.Tap(v.saveBtn)
			if vals, _ := d.store.Settings(t.Context()); vals["printer"] != "Typed_Printer" {
				t.Fatalf("typed: stored %v (%q)", vals, d.ui.message.Text)
			}
		})
	}
}
