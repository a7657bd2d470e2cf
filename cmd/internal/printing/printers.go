package printing

import (
	"context"
	"runtime"

	"github.com/gansu-credit/credit/device/cups"
	"github.com/gansu-credit/credit/device/winprint"
)

// Printers lists the printers this computer can print to, for the
// printer choice in the office settings (app.OfficeDeps.Printers): the
// installed Windows printers (winprint.Lister) on Windows, CUPS's
// destinations (`lpstat -e`, lpstat from PATH) elsewhere. None is an
// empty list; a listing that fails is an EUNAVAILABLE *credit.Error.
func Printers(ctx context.Context) ([]string, error) {
	if runtime.GOOS == "windows" {
		return winprint.Lister{}.Printers(ctx)
	}
	return cups.New(cups.Config{}).Printers(ctx)
}
