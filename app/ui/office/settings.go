package office

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// settingsState is the settings as loaded and the last audit result.
type settingsState struct {
	loaded   bool
	values   app.OfficeSettings
	audit    *app.AuditResult
	printers []string   // detected printers
	printErr error      // why none could be listed; nil: listed
	log      auditState // the audit tab's filter and page (audit.go)
}

// settingsTab is the device settings form and the audit view.
type settingsTab struct {
	port       *widget.Select
	printer    *widget.SelectEntry
	printOpts  []string      // the printer field's choices
	printNote  *widget.Label // "no printers detected"; hidden when some are
	county     *widget.Entry
	saveBtn    *widget.Button
	auditBtn   *widget.Button
	auditLabel *widget.Label
}

// settingsFields names the settings form's fields (for the Art. 18 test).
var settingsFields = []struct {
	name  string
	label msg
}{{"reader_port", msgReaderPort}, {"printer", msgPrinter}, {"county", msgCounty}}

func (u *UI) buildSettings() fyne.CanvasObject {
	s, v := &u.settings, &u.setTab
	*v = settingsTab{}
	ports := append([]string{t(u.lang, msgNoReader)}, u.office.ReaderPorts()...)
	if p := s.values.ReaderPort; p != "" && !slices.Contains(ports, p) {
		ports = append(ports, p) // saved, but not plugged in now
	}
	v.port = widget.NewSelect(ports, func(string) { u.touch() })
	v.port.SetSelectedIndex(max(indexOf(ports, s.values.ReaderPort), 0))
	v.printer, v.printOpts, v.printNote = u.printerChoice()
	v.county = widget.NewEntry()
	v.county.SetText(s.values.County)
	v.county.OnChanged = func(string) { u.touch() }
	if !u.cs.IsSupervisor() {
		v.county.Disable() // the service refuses it too
	}
	v.saveBtn = widget.NewButton(t(u.lang, msgSave), u.saveSettings)
	v.saveBtn.Importance = widget.HighImportance
	note := widget.NewLabel(t(u.lang, msgCountyNote))
	note.Wrapping = fyne.TextWrapWord
	form := container.New(layout.NewFormLayout(),
		widget.NewLabel(t(u.lang, msgReaderPort)), v.port,
		widget.NewLabel(t(u.lang, msgPrinter)), container.NewVBox(v.printer, v.printNote),
		widget.NewLabel(t(u.lang, msgCounty)), v.county,
	)
	objs := []fyne.CanvasObject{form, note, container.NewHBox(v.saveBtn)}
	if u.cs.IsSupervisor() {
		v.auditBtn = widget.NewButton(t(u.lang, msgVerifyAudit), u.verifyAudit)
		v.auditLabel = widget.NewLabel(t(u.lang, msgAuditHint)) // not checked yet: what the button does
		v.auditLabel.Wrapping = fyne.TextWrapWord
		u.showAuditResult(v.auditLabel)
		heading := widget.NewLabelWithStyle(t(u.lang, msgAudit), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, widget.NewSeparator(), heading, container.NewHBox(v.auditBtn), v.auditLabel)
	}
	objs = append(objs, u.buildLocalDays()...) // calendar.go
	return container.NewVScroll(container.NewVBox(objs...))
}

// printerChoice is the printer field: the detected printers to pick
// from, the saved one kept when it is not detected now, and any other name
// typed in; under it, a note when none were detected.
func (u *UI) printerChoice() (*widget.SelectEntry, []string, *widget.Label) {
	s := &u.settings
	opts := slices.Clone(s.printers)
	if p := s.values.Printer; p != "" && !slices.Contains(opts, p) {
		opts = append(opts, p) // saved, but not detected now
	}
	e := widget.NewSelectEntry(opts)
	e.SetPlaceHolder(t(u.lang, msgPrinterHint))
	e.SetText(s.values.Printer)
	e.OnChanged = func(string) { u.touch() }
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.WarningImportance
	switch {
	case s.printErr != nil:
		note.SetText(tf(u.lang, msgPrintersFailed, pick(u.lang, credit.ErrorMessage(s.printErr), credit.ErrorMessageEN(s.printErr))))
	case len(s.printers) == 0:
		note.SetText(t(u.lang, msgNoPrinters))
	default:
		note.Hide()
	}
	return e, opts, note
}

// loadSettings reads the stored settings and the detected printers into
// the tab.
func (u *UI) loadSettings() {
	type loaded struct {
		vals     app.OfficeSettings
		printers []string
		perr     error // the printers could not be listed: a note, not a failure
	}
	run(u, func(ctx context.Context, cs *app.ClerkSession) (loaded, error) {
		vals, err := u.office.Settings(ctx, cs)
		if err != nil {
			return loaded{}, err
		}
		printers, perr := u.office.Printers(ctx)
		return loaded{vals, printers, perr}, nil
	}, func(l loaded) {
		u.settings.values, u.settings.loaded = l.vals, true
		u.settings.printers, u.settings.printErr = l.printers, l.perr
		u.render()
		u.loadLocalDays() // calendar.go
	})
}

// saveSettings stores the form.
func (u *UI) saveSettings() {
	u.touch()
	v := &u.setTab
	vals := app.OfficeSettings{Printer: v.printer.Text, County: v.county.Text}
	if v.port.SelectedIndex() > 0 {
		vals.ReaderPort = v.port.Selected
	}
	run(u, errOnly(func(ctx context.Context, cs *app.ClerkSession) error {
		return u.office.SaveSettings(ctx, cs, vals)
	}), func(struct{}) {
		u.settings.values = vals
		u.lastErr, u.notice = nil, msgSaved
		u.render()
	})
}

// showAuditResult puts the last chain check's result on l, if there is
// one (the settings tab and the audit tab, audit.go).
func (u *UI) showAuditResult(l *widget.Label) {
	a := u.settings.audit
	switch {
	case a == nil:
		return
	case a.OK:
		l.SetText(auditIntact(u.lang, a.Devices, a.Entries)) // audit_i18n.go
		l.Importance = widget.SuccessImportance
	default:
		where := a.FirstBreak
		if where == "" {
			where = t(u.lang, msgAuditNoDetail)
		}
		l.SetText(tf(u.lang, msgAuditBroken, where))
		l.Importance = widget.DangerImportance
	}
}

// verifyAudit runs the inquiry log check (supervisors).
func (u *UI) verifyAudit() {
	u.touch()
	run(u, u.office.VerifyAudit, func(res app.AuditResult) {
		u.settings.audit = &res
		u.clearMessage()
		u.render()
	})
}
