package office

import (
	"io"
	"strings"

	"fyne.io/fyne/v2/widget"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/ui"
)

// openFile shows a file dialog filtered to exts (either case) and hands the
// chosen file's name and at most limit+1 bytes to use, so the service can
// refuse an oversized file with its own message. op names the read in the
// log; a file that cannot be read gets a plain message.
func (u *UI) openFile(op string, limit int64, exts []string, use func(name string, data []byte)) {
	u.touch()
	if u.win == nil {
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil {
			u.log.Warn(op, "err", err)
			u.showError(credit.Errorf(credit.EINVALID, t(ui.Chinese, msgErrFileUnreadable), t(ui.English, msgErrFileUnreadable)))
			return
		}
		use(rc.URI().Name(), data)
	}, u.win)
	filter := make([]string, 0, 2*len(exts))
	for _, e := range exts {
		filter = append(filter, e, strings.ToUpper(e))
	}
	d.SetFilter(storage.NewExtensionFileFilter(filter))
	d.Show()
}

// labelSelect is a select of items' labels in the UI's language with the
// "choose" placeholder, selected is kept when it is a valid index.
func labelSelect[T interface{ Label() (zh, en string) }](u *UI, items []T, selected int) *widget.Select {
	labels := make([]string, len(items))
	for i, it := range items {
		zh, en := it.Label()
		labels[i] = pick(u.lang, zh, en)
	}
	sel := widget.NewSelect(labels, func(string) { u.touch() })
	sel.PlaceHolder = t(u.lang, msgChoosePurpose)
	if selected >= 0 && selected < len(labels) {
		sel.SetSelectedIndex(selected)
	}
	return sel
}

// relayout lays containers out again at their current sizes, outer ones
// first, after a line in them was shown, hidden or rewrapped: the lines
// under it move, and nothing is redrawn that did not change. Nil ones
// (not built yet) are skipped.
func relayout(cs ...*fyne.Container) {
	for _, c := range cs {
		if c != nil && c.Layout != nil {
			c.Layout.Layout(c.Objects, c.Size())
		}
	}
}
