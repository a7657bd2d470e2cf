package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

// port is the simulated reader's end of a pty. Unplugging closes the pty
// (the driver's descriptor then fails with EIO, as with a USB adapter
// pulled out); plugging opens a new one, points --link at it and prints
// its path. The card and faults survive a replug.
type port struct {
	link   string
	stdout io.Writer
	log    *slog.Logger

	mu     sync.Mutex
	master *os.File
	hold   *os.File
	path   string
	sim    *samsim.Sim
	stop   context.CancelFunc
	done   chan struct{} // closed when the current simulator's Run returns
	runErr error         // its result, set before done closes
	card   *credit.IDCard
	faults samsim.Faults
}

// plug opens a pty, serves the simulator on it and announces its path.
func (p *port) plug() error {
	master, path, err := pty.Open()
	if err != nil {
		return err
	}
	// Holding a slave descriptor keeps the master readable between
	// clients (creditctl, then the kiosk, …).
	hold, err := pty.HoldSlave(path)
	if err != nil {
		master.Close()
		return err
	}
	sim := samsim.New(master, p.log)
	p.mu.Lock()
	if p.card != nil {
		if err := sim.SetCard(*p.card); err != nil {
			p.mu.Unlock()
			hold.Close()
			master.Close()
			return err
		}
	}
	sim.SetFaults(p.faults)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	p.master, p.hold, p.path, p.sim, p.stop, p.done = master, hold, path, sim, cancel, done
	p.mu.Unlock()
	go func() {
		err := sim.Run(ctx)
		p.mu.Lock()
		p.runErr = err
		p.mu.Unlock()
		close(done)
	}()
	if p.link != "" {
		if err := relink(path, p.link); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintln(p.stdout, path); err != nil {
		return err
	}
	if f, ok := p.stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	return nil
}

// unplug stops the simulator, removes the link (as udev removes
// /dev/credit-idcard with the device) and closes the pty. A dangling link
// would be worse than wrong: the kernel reuses pts numbers, so it could
// lead the driver to some other program's pty.
func (p *port) unplug() {
	p.mu.Lock()
	stop, done, hold, master := p.stop, p.done, p.hold, p.master
	p.stop, p.done, p.hold, p.master, p.sim = nil, nil, nil, nil, nil
	p.mu.Unlock()
	if stop == nil {
		return
	}
	stop()
	if fi, err := os.Lstat(p.link); p.link != "" && err == nil && fi.Mode()&os.ModeSymlink != 0 {
		_ = os.Remove(p.link)
	}
	hold.Close()
	master.Close() // also ends a Run blocked in Read
	<-done
}

// failed returns a channel closed when the current simulator ends (nil
// while unplugged).
func (p *port) failed() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

// result is the error the simulator behind done ended with, or nil if
// done belongs to an earlier, deliberately unplugged, pty.
func (p *port) result(done <-chan struct{}) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done != done {
		return nil
	}
	return p.runErr
}

// setCard puts c on the reader (nil = take it off).
func (p *port) setCard(c *credit.IDCard) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.card = c
	if p.sim == nil {
		return nil
	}
	if c == nil {
		p.sim.RemoveCard()
		return nil
	}
	return p.sim.SetCard(*c)
}

// hasCard reports whether a card is on the reader.
func (p *port) hasCard() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.card != nil
}

// setFaults replaces the active faults.
func (p *port) setFaults(f samsim.Faults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
	if p.sim != nil {
		p.sim.SetFaults(f)
	}
}
