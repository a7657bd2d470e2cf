package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// homeScreen has the two big entry buttons.
type homeScreen struct {
	hint        *widget.Label
	readCardBtn *kioskwidget.Button
	searchBtn   *kioskwidget.Button
	verifyBtn   *kioskwidget.Button
	statusBtn   *kioskwidget.Button
}

func (u *UI) buildHome() fyne.CanvasObject {
	h := &u.home
	h.hint = widget.NewLabelWithStyle(t(u.lang, msgHomeHint), fyne.TextAlignCenter, fyne.TextStyle{})
	h.hint.Wrapping = fyne.TextWrapWord
	h.readCardBtn = kioskwidget.NewButton(t(u.lang, msgReadCard), u.readCard)
	h.readCardBtn.Importance = widget.HighImportance
	h.searchBtn = kioskwidget.NewButton(t(u.lang, msgSearchBusiness), func() { u.show(screenSearch) })
	h.verifyBtn = kioskwidget.NewButton(t(u.lang, msgVerifyReport), func() { u.verified, u.verifyText = nil, ""; u.show(screenVerify) })
	h.statusBtn = kioskwidget.NewButton(t(u.lang, msgAppStatus), func() { u.progress, u.statusNo = nil, ""; u.show(screenStatus) })
	big := func(b *kioskwidget.Button) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(360, 120), b)
	}
	small := func(b *kioskwidget.Button) fyne.CanvasObject {
		return container.NewGridWrap(fyne.NewSize(360, 80), b)
	}
	return container.NewVBox(
		layout.NewSpacer(),
		h.hint,
		container.NewCenter(container.NewHBox(big(h.readCardBtn), big(h.searchBtn))),
		container.NewCenter(container.NewHBox(small(h.verifyBtn), small(h.statusBtn))),
		layout.NewSpacer(),
	)
}

// readCard asks the service for the holder's session.
func (u *UI) readCard() {
	u.lastErr, u.notice = nil, msgReading
	u.renderMessage()
	u.call(func(ctx context.Context) func() {
		sess, err := u.svc.ReadCard(ctx)
		return func() {
			if err != nil {
				u.showError(err)
				return
			}
			if u.session != nil && u.session != sess {
				u.svc.EndSession(u.session) // the card watch was quicker
			}
			u.session = sess
			u.show(screenRecords)
		}
	})
}

// goHome leaves the business search for the home screen.
func (u *UI) goHome() {
	u.org, u.results, u.searched, u.query = nil, nil, false, ""
	u.verified, u.verifyText, u.progress, u.statusNo = nil, "", nil, ""
	u.show(screenHome)
}
