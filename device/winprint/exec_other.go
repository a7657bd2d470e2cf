//go:build !windows

package winprint

import (
	"context"
	"os/exec"
)

// hideWindow does nothing outside Windows.
func hideWindow(*exec.Cmd) {}

// Submitter is how this OS prints a spooled PDF (device/cups
// Config.Submit): nil, so device/cups runs lp.
func Submitter() func(ctx context.Context, printer, title, file string) (string, error) {
	return nil
}
