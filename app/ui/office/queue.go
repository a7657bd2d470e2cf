package office

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// queueCols is the number of columns of the queue table.
const queueCols = 7

// queueWeights share the table's width: number, kind, applicant, status,
// received, due, late. At 1024 wide the application number (20
// characters, the widest hex digits included) fits one line, so do the
// dates; status and lateness wrap between words.
var queueWeights = [queueCols]float32{2.0, 1.2, 0.8, 1.6, 1.1, 1.1, 1.6}

// queueState is the last queue the service returned.
type queueState struct {
	items  []app.QueueItem
	loaded bool
	filter app.QueueFilter
	region string // as typed, kept across rebuilds
}

// queueKinds and queueStatuses are the filter choices after "all".
var (
	queueKinds    = []credit.ApplicationKind{credit.KindObjection, credit.KindRestoration}
	queueStatuses = []credit.ApplicationStatus{credit.StatusQueued, credit.StatusReceived, credit.StatusLabelled, credit.StatusUnderReview}
)

// queueTab is the table of open applications, soonest deadline first.
type queueTab struct {
	refreshBtn *widget.Button
	kind       *widget.Select
	status     *widget.Select
	region     *widget.Entry // township/county: prefix of the division code
	empty      *widget.Label
	header     []*widget.Label
	rows       [][]*widget.Label // one row per item, queueCols labels each
}

func (u *UI) buildQueue() fyne.CanvasObject {
	q := &u.qTab
	*q = queueTab{}
	q.refreshBtn = widget.NewButton(t(u.lang, msgRefresh), u.filterQueue)
	q.region = widget.NewEntry()
	q.region.SetPlaceHolder(t(u.lang, msgRegionHint))
	q.region.SetText(u.queue.region)
	q.region.OnSubmitted = func(string) { u.filterQueue() }
	kinds := []string{t(u.lang, msgAllKinds), t(u.lang, msgKindObjection), t(u.lang, msgKindRestoration)}
	q.kind = widget.NewSelect(kinds, nil)
	q.kind.SetSelectedIndex(indexOf(queueKinds, u.queue.filter.Kind) + 1)
	statuses := []string{t(u.lang, msgAllStatuses)}
	for _, st := range queueStatuses {
		zh, en := st.Label()
		statuses = append(statuses, pick(u.lang, zh, en))
	}
	q.status = widget.NewSelect(statuses, nil)
	q.status.SetSelectedIndex(indexOf(queueStatuses, u.queue.filter.Status) + 1)
	// Set the handlers after the initial selection, so building the tab
	// does not reload it.
	q.kind.OnChanged = func(string) {
		u.queue.filter.Kind = pickAt(queueKinds, q.kind.SelectedIndex()-1)
		u.refreshQueue()
	}
	q.status.OnChanged = func(string) {
		u.queue.filter.Status = pickAt(queueStatuses, q.status.SelectedIndex()-1)
		u.refreshQueue()
	}
	cells := []fyne.CanvasObject{}
	for _, m := range []msg{msgColNo, msgColKind, msgColSubject, msgColStatus, msgColReceived, msgColDue, msgColLate} {
		h := widget.NewLabelWithStyle(t(u.lang, m), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		h.Wrapping = fyne.TextWrapWord // seven columns fit 1024 wide only if they wrap
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
	table := container.New(columnsLayout{weights: queueWeights[:]}, cells...)
	body := []fyne.CanvasObject{table}
	if u.queue.loaded && len(u.queue.items) == 0 {
		q.empty = widget.NewLabel(t(u.lang, msgQueueEmpty))
		if u.queue.filter != (app.QueueFilter{}) {
			q.empty.SetText(t(u.lang, msgQueueEmptyFiltered))
		}
		q.empty.Wrapping = fyne.TextWrapWord
		body = append(body, q.empty)
	}
	region := container.NewBorder(nil, nil, widget.NewLabel(t(u.lang, msgRegion)), nil, q.region)
	bar := container.NewBorder(nil, nil, container.NewHBox(q.refreshBtn, q.kind, q.status), nil, region)
	return container.NewBorder(bar, u.reprintRow(), nil, nil, container.NewVScroll(container.NewVBox(body...)))
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
		late = countDaysLate.in(u.lang, it.DaysLate)
	case it.Overdue:
		late = t(u.lang, msgOverdue)
	}
	texts := [queueCols]string{it.No, kind, credit.MaskName(it.SubjectName), pick(u.lang, zh, en), formatDate(it.ReceivedAt), formatDate(it.Due), late}
	row := make([]*widget.Label, queueCols)
	for i, s := range texts {
		row[i] = widget.NewLabel(s)
		row[i].Wrapping = fyne.TextWrapWord
		if it.Overdue {
			row[i].Importance = widget.DangerImportance
		}
	}
	return row
}

// refreshQueue loads the open applications.
func (u *UI) refreshQueue() {
	u.touch()
	filter := u.queue.filter
	run(u, func(ctx context.Context, cs *app.ClerkSession) ([]app.QueueItem, error) {
		return u.office.OpenApplications(ctx, cs, filter)
	}, func(items []app.QueueItem) {
		u.queue = queueState{items: items, loaded: true, filter: filter, region: u.queue.region}
		u.clearMessage()
		u.render()
	})
}

// saveQueueInputs keeps the typed area across a rebuild.
func (u *UI) saveQueueInputs() {
	if u.qTab.region != nil {
		u.queue.region = u.qTab.region.Text
	}
}

// filterQueue applies the typed area (1 to 6 digits of the division code,
// e.g. 6201 for Lanzhou, 620102 for Chengguan; empty for all) and reloads.
func (u *UI) filterQueue() {
	u.saveQueueInputs()
	r := strings.TrimSpace(u.queue.region)
	if len(r) > 6 || strings.Trim(r, "0123456789") != "" {
		u.lastErr, u.notice = nil, msgRegionBad
		u.renderMessage()
		return
	}
	u.queue.filter.Region = r
	u.refreshQueue()
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

// indexOf is the index of v in list, or -1 (for "all").
func indexOf[T comparable](list []T, v T) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// pickAt is list[i], or the zero value ("all") when i is out of range.
func pickAt[T any](list []T, i int) T {
	var zero T
	if i < 0 || i >= len(list) {
		return zero
	}
	return list[i]
}
