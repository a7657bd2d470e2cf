package escpossim

import (
	"errors"
	"sync"
)

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
	return len(p), nil
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
