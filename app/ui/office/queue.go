package office

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// queueCols is the number of columns of the queue table.
const queueCols = 7

// queueState is the last queue the service returned.
type queueState struct {
	items  []app.QueueItem
	loaded bool
}

// queueTab is the table of open applications, soonest deadline first.
type queueTab struct {
	refreshBtn *widget.Button
	empty      *widget.Label
	header     []*widget.Label
	rows       [][]*widget.Label // one row per item, queueCols labels each
}

func (u *UI) buildQueue() fyne.CanvasObject {
	q := &u.qTab
	*q = queueTab{}
	q.refreshBtn = widget.NewButton(t(u.lang, msgRefresh), u.refreshQueue)
	cells := []fyne.CanvasObject{}
	for _, m := range []msg{msgColNo, msgColKind, msgColSubject, msgColStatus, msgColReceived, msgColDue, msgColLate} {
		h := widget.NewLabelWithStyle(t(u.lang, m), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		q.header = append(q.header, h)
		cells = append(cells, h)
	}
	for _, it := range u.queue.items {
		row := u.queueRow(it)
		q.rows = append(q.rows, row)
		for _, l := range row {
			cells = append(cells, l)
		}
	}
	table := container.NewGridWithColumns(queueCols, cells...)
	body := []fyne.CanvasObject{table}
	if u.queue.loaded && len(u.queue.items) == 0 {
		q.empty = widget.NewLabel(t(u.lang, msgQueueEmpty))
		body = append(body, q.empty)
	}
	return container.NewBorder(container.NewHBox(q.refreshBtn), nil, nil, nil, container.NewVScroll(container.NewVBox(body...)))
}

// queueRow is the labels of one item; an overdue item is shown in red
// with its working days late.
func (u *UI) queueRow(it app.QueueItem) []*widget.Label {
	kind := t(u.lang, msgKindObjection)
	if it.Kind == credit.KindRestoration {
		kind = t(u.lang, msgKindRestoration)
	}
	zh, en := it.Status.Label()
	late := t(u.lang, msgOnTime)
	switch {
	case it.Overdue && it.DaysLate > 0:
		late = tf(u.lang, msgOverdueDays, it.DaysLate)
	case it.Overdue:
		late = t(u.lang, msgOverdue)
	}
	texts := [queueCols]string{it.No, kind, credit.MaskName(it.SubjectName), pick(u.lang, zh, en), formatDate(it.ReceivedAt), formatDate(it.Due), late}
	row := make([]*widget.Label, queueCols)
	for i, s := range texts {
		row[i] = widget.NewLabel(s)
		if it.Overdue {
			row[i].Importance = widget.DangerImportance
		}
	}
	return row
}

// refreshQueue loads the open applications.
func (u *UI) refreshQueue() {
	u.touch()
	cs := u.cs
	u.call(func(ctx context.Context) func() {
		items, err := u.office.OpenApplications(ctx, cs, app.QueueFilter{})
		return func() {
			if u.cs != cs {
				return
			}
			if err != nil {
				if cs.Ended() {
					u.lock(msgIdleLocked)
					return
				}
				u.showError(err)
				return
			}
			u.queue = queueState{items: items, loaded: true}
			u.clearMessage()
			u.render()
		}
	})
}

// clearQueueWidgets blanks the rows (they carry applicants' names).
func (u *UI) clearQueueWidgets() {
	for _, row := range u.qTab.rows {
		for _, l := range row {
			l.SetText("")
		}
	}
	u.qTab.rows = nil
}
