package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/ui/kioskwidget"
)

// applicationRow puts one of the holder's applications on the records
// screen: its line, and a button that opens its receipt again to reprint
// it (only where a receipt can be printed). The receipt shown is the one
// stored with the application, filed earlier by the same card holder.
func (u *UI) applicationRow(line *widget.Label, open func()) fyne.CanvasObject {
	if !u.svc.CanPrintReceipt() {
		return line
	}
	b := kioskwidget.NewButton(t(u.lang, msgReprint), open)
	u.records.reprintBtns = append(u.records.reprintBtns, b)
	return container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(220, 64), b), line)
}

// reprintObjection shows the receipt of the holder's earlier objection o,
// from which the print button prints it again.
func (u *UI) reprintObjection(o credit.Objection) {
	u.receipt, u.restored, u.printing = &o, nil, printState{}
	u.show(screenReceipt)
}

// reprintRestoration does the same for a restoration application.
func (u *UI) reprintRestoration(r credit.Restoration) {
	u.receipt, u.restored, u.printing = nil, &r, printState{}
	u.show(screenReceipt)
}
