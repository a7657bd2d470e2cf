package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// verifyResult is what checking a printed code found, kept so that a
// language switch shows it again.
type verifyResult struct {
	valid     bool
	zh, en    string // the outcome
	hasClaims bool   // the signed fields below are trustworthy
	no        string
	typeZH    string
	typeEN    string
	name, id  string // as printed (masked for persons)
	office    string
	issued    time.Time
	expires   time.Time
	pages     int
	warnZH    []string
	warnEN    []string
}

// verifyScreen checks a report's or receipt's CR1: code offline.
type verifyScreen struct {
	entry     *widget.Entry
	verifyBtn *kioskwidget.Button
	noTrust   *widget.Label
	status    *widget.Label // large outcome
	fields    []*widget.Label
}

// statusScreen looks an application up by its number.
type statusScreen struct {
	entry     *widget.Entry
	lookupBtn *kioskwidget.Button
	kind      *widget.Label
	fields    []*widget.Label
	overdue   *widget.Label // the platform missed its deadline (overdue.go); nil when not

	provisional *widget.Label // why the dates are marked provisional; nil when not
}

// progressResult is a found application (no personal data).
type progressResult struct{ p app.Progress }

func (u *UI) buildVerify() fyne.CanvasObject {
	v := &u.verifyView
	*v = verifyScreen{}
	v.entry = widget.NewMultiLineEntry()
	v.entry.Wrapping = fyne.TextWrapBreak
	v.entry.SetMinRowsVisible(3)
	v.entry.SetPlaceHolder(t(u.lang, msgVerifyHint))
	v.entry.SetText(u.verifyText)
	v.entry.OnChanged = u.fontForText
	v.verifyBtn = kioskwidget.NewButton(t(u.lang, msgVerify), u.runVerify)
	v.verifyBtn.Importance = widget.HighImportance
	items := []fyne.CanvasObject{heading(t(u.lang, msgVerifyReport)), v.entry, container.NewHBox(container.NewGridWrap(fyne.NewSize(220, 72), v.verifyBtn))}
	if !u.svc.CanVerify() {
		v.noTrust = widget.NewLabel(t(u.lang, msgNoTrust))
		v.noTrust.Wrapping = fyne.TextWrapWord
		v.noTrust.Importance = widget.WarningImportance
		items = append(items, v.noTrust)
	}
	if r := u.verified; r != nil {
		text := r.zh
		if u.lang == English {
			text = r.en
		}
		v.status = widget.NewLabel(text)
		v.status.SizeName = theme.SizeNameHeadingText
		v.status.Wrapping = fyne.TextWrapWord
		v.status.Importance = widget.DangerImportance
		if r.valid {
			v.status.Importance = widget.SuccessImportance
		}
		items = append(items, v.status)
		add := func(s string) {
			l := widget.NewLabel(s)
			l.Wrapping = fyne.TextWrapWord
			v.fields = append(v.fields, l)
			items = append(items, l)
		}
		if r.hasClaims {
			typ := r.typeZH
			if u.lang == English {
				typ = r.typeEN
			}
			add(tf(u.lang, msgVerifiedNo, r.no))
			add(tf(u.lang, msgVerifiedType, typ))
			add(tf(u.lang, msgVerifiedSubject, r.name, r.id))
			add(tf(u.lang, msgVerifiedIssued, formatDateTime(r.issued)))
			add(tf(u.lang, msgVerifiedExpires, formatDate(r.expires)))
			if r.office != "" {
				add(tf(u.lang, msgVerifiedOffice, r.office))
			}
			if r.pages > 0 {
				add(tf(u.lang, msgVerifiedPages, r.pages))
			}
		}
		warns := r.warnZH
		if u.lang == English {
			warns = r.warnEN
		}
		for _, w := range warns {
			add(w)
		}
	}
	return container.NewVScroll(container.NewVBox(items...))
}

// runVerify checks the typed code (offline, no I/O: on the UI thread).
func (u *UI) runVerify() {
	u.touch()
	u.verifyText = u.verifyView.entry.Text
	res := u.svc.VerifyText(u.verifyText)
	r := &verifyResult{valid: res.Status == "VALID", zh: res.MessageZH, en: res.MessageEN, office: res.Office}
	if c := res.Claims; c != nil {
		r.hasClaims = true
		r.no, r.name, r.id = c.ReportID, c.SubjectName, c.SubjectIDDisplay
		r.typeZH, r.typeEN = c.Type.Label()
		r.issued, r.expires, r.pages = c.IssuedAt, c.Expires, c.Pages
	}
	for _, w := range res.Warnings {
		r.warnZH, r.warnEN = append(r.warnZH, w.MessageZH), append(r.warnEN, w.MessageEN)
	}
	u.log.Info("report checked", "status", string(res.Status))
	u.verified = r
	u.render()
}

func (u *UI) buildStatus() fyne.CanvasObject {
	s := &u.statusView
	*s = statusScreen{}
	s.entry = widget.NewEntry()
	s.entry.SetPlaceHolder(t(u.lang, msgStatusHint))
	s.entry.SetText(u.statusNo)
	s.entry.OnChanged = u.fontForText
	s.entry.OnSubmitted = func(string) { u.runStatus() }
	s.lookupBtn = kioskwidget.NewButton(t(u.lang, msgSearch), u.runStatus)
	s.lookupBtn.Importance = widget.HighImportance
	items := []fyne.CanvasObject{heading(t(u.lang, msgAppStatus)), s.entry, container.NewHBox(container.NewGridWrap(fyne.NewSize(220, 72), s.lookupBtn))}
	if pr := u.progress; pr != nil {
		p := pr.p
		kind := msgKindObjection
		first, second := msgLabelDue, msgDecisionDue
		if p.Kind == credit.KindRestoration {
			kind, first, second = msgKindRestoration, msgAcceptDue, msgFeedbackDue
		}
		s.kind = heading(t(u.lang, kind))
		s.kind.SizeName = theme.SizeNameSubHeadingText
		zh, en := p.Status.Label()
		st := zh
		if u.lang == English {
			st = en
		}
		items = append(items, s.kind)
		mark := u.dueMark(p.Kind, p.ReceivedAt) // provisional.go
		for _, text := range []string{tf(u.lang, msgApplicationNo, p.No), tf(u.lang, msgProgressStatus, st),
			tf(u.lang, msgReceivedAt, formatDateTime(p.ReceivedAt)), tf(u.lang, first, formatDateTime(p.FirstDue)) + mark,
			tf(u.lang, second, formatDateTime(p.SecondDue)) + mark} {
			l := widget.NewLabel(text)
			s.fields = append(s.fields, l)
			items = append(items, l)
		}
		if mark != "" {
			s.provisional = u.provisionalNote()
			items = append(items, s.provisional)
		}
		if s.overdue = overdueLabel(u.lang, p.Overdue, p.DaysLate); s.overdue != nil {
			items = append(items, s.overdue)
		}
	}
	return container.NewVScroll(container.NewVBox(items...))
}

// runStatus looks the typed number up.
func (u *UI) runStatus() {
	u.touch()
	u.statusNo = u.statusView.entry.Text
	no := u.statusNo
	u.call(func(ctx context.Context) func() {
		p, err := u.svc.ApplicationProgress(ctx, no)
		return func() {
			if u.screen != screenStatus {
				return
			}
			if err != nil {
				u.progress = nil
				u.render()
				u.showError(err)
				return
			}
			u.progress = &progressResult{p: p}
			u.lastErr = nil
			u.render()
		}
	})
}
