package escpossim

import (
	"errors"
	"io"
	"sync"
)

// State is what a Sim answers to DLE EOT status requests.
type State struct {
	Offline, CoverOpen, PaperNearEnd, PaperOut, Error bool
}

// statusByte encodes the answer to DLE EOT n (Epson bit layout: bits 1
// and 4 always set).
func (st State) statusByte(n byte) byte {
	b := byte(0x12)
	switch n {
	case 1:
		if st.Offline {
			b |= 0x08
		}
	case 2:
		if st.CoverOpen {
			b |= 0x04
		}
		if st.PaperOut {
			b |= 0x20
		}
		if st.Error {
			b |= 0x40
		}
	case 4:
		if st.PaperNearEnd {
			b |= 0x0C
		}
		if st.PaperOut {
			b |= 0x60
		}
	}
	return b
}

// ErrClosed is returned by writes to a closed or unplugged Sim.
var ErrClosed = errors.New("escpossim: printer closed")

// Sim is a simulated printer: an io.WriteCloser that captures every byte.
// Unplug makes later writes fail, as a printer pulled from its USB port
// does. It is safe for concurrent use.
type Sim struct {
	mu      sync.Mutex
	buf     []byte
	closed  bool
	failAt  int // fail writes once this many bytes were taken; <0 never
	unplugd bool
	state   State
	mute    bool
	answers []byte
}

// New returns a connected simulated printer.
func New() *Sim { return &Sim{failAt: -1} }

// Write captures p. After Unplug, Close, or once FailAfter's budget is
// spent it takes what fits and returns ErrClosed.
func (s *Sim) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.unplugd {
		return 0, ErrClosed
	}
	if s.failAt >= 0 && len(s.buf)+len(p) > s.failAt {
		n := max(s.failAt-len(s.buf), 0)
		s.buf = append(s.buf, p[:n]...)
		s.unplugd = true
		return n, ErrClosed
	}
	s.buf = append(s.buf, p...)
	if len(p) == 3 && p[0] == 0x10 && p[1] == 0x04 && !s.mute {
		s.answers = append(s.answers, s.state.statusByte(p[2]))
	}
	return len(p), nil
}

// Read returns pending answers to status requests. Like a serial port
// whose read timed out, it returns (0, io.EOF) when there is none. A
// status request is recognised when it arrives as one 3-byte Write
// (as escpos.QueryStatus sends it).
func (s *Sim) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || s.unplugd {
		return 0, ErrClosed
	}
	if len(s.answers) == 0 {
		return 0, io.EOF
	}
	n := copy(p, s.answers)
	s.answers = s.answers[n:]
	return n, nil
}

// SetState sets what the printer reports; Mute makes it answer nothing,
// as a one-way (write-only) printer.
func (s *Sim) SetState(st State, mute bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state, s.mute = st, mute
}

// Close marks the printer closed.
func (s *Sim) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	return nil
}

// Unplug makes every later write fail.
func (s *Sim) Unplug() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unplugd = true
}

// FailAfter makes the printer take n more bytes and then fail, as a
// printer unplugged in the middle of a receipt.
func (s *Sim) FailAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failAt = len(s.buf) + n
}

// Bytes returns a copy of everything captured.
func (s *Sim) Bytes() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]byte(nil), s.buf...)
}

// Commands parses everything captured.
func (s *Sim) Commands() ([]Command, error) { return Parse(s.Bytes()) }
