//go:build linux

package pty

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Open creates a pseudo-terminal pair through /dev/ptmx and returns the
// master and the slave's path (/dev/pts/N). The master is set raw. The
// slave is left unopened, because closing the last slave descriptor makes
// master reads fail: open it with HoldSlave, or with a serial library that
// sets raw termios itself (tarm/serial does). Once both sides are raw (no
// echo, no line editing, no CR/LF or XON/XOFF processing) bytes pass 8-bit
// clean in both directions.
//
// The master is registered with the runtime poller, so SetReadDeadline and
// Close interrupt a pending Read. When every slave descriptor is closed
// after one was opened, reads on the master fail with EIO until a slave is
// opened again; a long-lived server should hold a slave descriptor (see
// HoldSlave).
func Open() (master *os.File, slavePath string, err error) {
	master, err = os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, "", fmt.Errorf("pty: open /dev/ptmx: %w", err)
	}
	defer func() {
		if err != nil {
			master.Close()
		}
	}()
	var n int
	if err = control(master, func(fd int) error {
		if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
			return fmt.Errorf("unlock: %w", err)
		}
		var err error
		if n, err = unix.IoctlGetInt(fd, unix.TIOCGPTN); err != nil {
			return fmt.Errorf("pts number: %w", err)
		}
		return makeRaw(fd)
	}); err != nil {
		return nil, "", fmt.Errorf("pty: master: %w", err)
	}
	slavePath = "/dev/pts/" + strconv.Itoa(n)
	return master, slavePath, nil
}

// HoldSlave opens the slave at path, makes it raw, and returns it. A
// simulator keeps it open so the master does not see a hang-up (EIO)
// between clients.
func HoldSlave(path string) (*os.File, error) {
	slave, err := os.OpenFile(path, os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("pty: open %s: %w", path, err)
	}
	if err := control(slave, makeRaw); err != nil {
		slave.Close()
		return nil, fmt.Errorf("pty: raw %s: %w", path, err)
	}
	return slave, nil
}

// control runs f on f's descriptor without putting it in blocking mode
// (as File.Fd would).
func control(f *os.File, fn func(fd int) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(int(fd)) }); err != nil {
		return err
	}
	return ferr
}

// makeRaw is cfmakeraw(3): 8 data bits, no input, output or line
// processing.
func makeRaw(fd int) error {
	t, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return fmt.Errorf("get termios: %w", err)
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF | unix.IXANY
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, t); err != nil {
		return fmt.Errorf("set termios: %w", err)
	}
	return nil
}
