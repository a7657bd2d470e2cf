package office

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/report"
)

// The "check a printed report" tab: the clerk types or pastes the CR1:
// code, or opens a scan or the PDF, and sees the verifier's outcome
// against the synced trust list (app.Office.VerifyCode, VerifyFile).

// checkState is what the check tab holds across rebuilds.
type checkState struct {
	code   string
	result *report.Result
}

// checkTab is the check form and its outcome.
type checkTab struct {
	code     *widget.Entry
	checkBtn *widget.Button
	openBtn  *widget.Button
	status   *widget.Label
	lines    []*widget.Label
}

func (u *UI) buildCheck() fyne.CanvasObject {
	v, s := &u.chkTab, &u.check
	*v = checkTab{}
	title := widget.NewLabelWithStyle(tp(u.lang, printMsgCheckTitle), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.code = widget.NewMultiLineEntry()
	v.code.Wrapping = fyne.TextWrapBreak
	v.code.SetMinRowsVisible(3)
	v.code.SetPlaceHolder(tp(u.lang, printMsgCodeHint))
	v.code.SetText(s.code)
	v.code.OnChanged = func(text string) { s.code = text; u.touch() }
	v.checkBtn = widget.NewButton(tp(u.lang, printMsgCheck), u.checkCode)
	v.checkBtn.Importance = widget.HighImportance
	v.openBtn = widget.NewButton(tp(u.lang, printMsgOpenFile), u.openCheckFile)
	note := widget.NewLabel(tp(u.lang, printMsgCheckNote))
	note.Wrapping = fyne.TextWrapWord
	objs := []fyne.CanvasObject{title, v.code, container.NewHBox(v.checkBtn, v.openBtn), note, widget.NewSeparator()}
	if res := s.result; res != nil {
		v.status = widget.NewLabelWithStyle(tpf(u.lang, printMsgStatus, pick(u.lang, res.MessageZH, res.MessageEN), res.Status), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		v.status.Wrapping = fyne.TextWrapWord
		switch res.Status {
		case report.StatusValid:
			v.status.Importance = widget.SuccessImportance
		case report.StatusExpired:
			v.status.Importance = widget.WarningImportance
		default:
			v.status.Importance = widget.DangerImportance
		}
		objs = append(objs, v.status)
		add := func(m printMsg, args ...any) {
			l := widget.NewLabel(tpf(u.lang, m, args...))
			l.Wrapping = fyne.TextWrapWord
			v.lines = append(v.lines, l)
			objs = append(objs, l)
		}
		if res.Office != "" {
			add(printMsgOffice, res.Office)
		}
		if c := res.Claims; c != nil { // set only for a signature in good standing
			add(printMsgNo, c.ReportID)
			add(printMsgSubject, c.SubjectName, c.SubjectIDDisplay)
			add(printMsgIssued, formatDateTime(c.IssuedAt))
			add(printMsgExpires, formatDateTime(c.Expires))
		}
		if res.Code != "" {
			add(printMsgVerifyCode, res.Code)
		}
	}
	return container.NewVScroll(container.NewVBox(objs...))
}

// checkCode checks the typed or pasted code.
func (u *UI) checkCode() {
	text := u.check.code
	u.runCheck(func(ctx context.Context, cs *app.ClerkSession) (report.Result, error) {
		return u.office.VerifyCode(ctx, cs, text)
	})
}

// openCheckFile opens a file dialog for a scan (PNG, JPEG) or a PDF.
func (u *UI) openCheckFile() {
	u.openFile("read file to check", app.MaxVerifyFileBytes, []string{".pdf", ".png", ".jpg", ".jpeg", ".gif"},
		func(_ string, data []byte) { u.checkFile(data) })
}

// checkFile checks the QR code on a file's first page.
func (u *UI) checkFile(data []byte) {
	u.runCheck(func(ctx context.Context, cs *app.ClerkSession) (report.Result, error) {
		return u.office.VerifyFile(ctx, cs, data)
	})
}

func (u *UI) runCheck(verify func(ctx context.Context, cs *app.ClerkSession) (report.Result, error)) {
	u.touch()
	runOr(u, verify, func(res report.Result) {
		u.check.result = &res
		u.clearMessage()
		u.render()
	}, func(err error) {
		u.check.result = nil
		u.showError(err)
		u.render()
	})
}

// clearPrintData drops the check outcome and the print notes (they name
// subjects) when the session ends.
func (u *UI) clearPrintData() {
	for _, l := range append(u.chkTab.lines, u.chkTab.status) {
		if l != nil {
			l.SetText("")
		}
	}
	if u.chkTab.code != nil {
		u.chkTab.code.SetText("")
	}
	u.chkTab = checkTab{}
	u.check = checkState{}
	u.prints = printState{}
}
