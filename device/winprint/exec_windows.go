package winprint

import (
	"context"
	"os/exec"
	"syscall"
)

// createNoWindow is CREATE_NO_WINDOW: SumatraPDF runs without flashing
// a console over the kiosk screen.
const createNoWindow = 0x08000000

// hideWindow starts cmd without a window.
func hideWindow(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true, CreationFlags: createNoWindow}
}

// Submitter is how this OS prints a spooled PDF (device/cups
// Config.Submit): SumatraPDF found next to the executable or in PATH.
func Submitter() func(ctx context.Context, printer, title, file string) (string, error) {
	return Sumatra{}.Submit
}
