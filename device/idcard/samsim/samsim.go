// Package samsim simulates a GA 467 SAM (the security module inside a
// resident-ID-card reader) on the device side of a serial line, usually
// the master of a pseudo-terminal. It answers status, reset, SAM ID, find,
// select and read from a credit.IDCard, and can inject faults.
package samsim

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
)

// photoMarker fills the simulated photo block. Tests search every output
// for it: the photo must never leave the reader.
const photoMarker = "SAMSIM-PHOTO-BLOCK-"

// Photo returns the 1024-byte photo block the simulator sends: photoMarker
// repeated. It stands in for the encrypted WLT image of a real card.
func Photo() []byte {
	b := make([]byte, idcard.PhotoLen)
	for i := range b {
		b[i] = photoMarker[i%len(photoMarker)]
	}
	return b
}

// PhotoMarker is the recognisable string repeated through Photo.
func PhotoMarker() string { return photoMarker }

// Faults switches on deliberate misbehaviour; it applies to every response
// while set.
type Faults struct {
	BadChecksum bool          // flip the checksum byte
	Truncate    bool          // send only the first half of the frame
	Split       bool          // write the frame in small pieces with pauses
	Garbage     bool          // send noise (with a partial preamble) first
	Delay       time.Duration // wait this long before answering
	// FindFails makes find answer 80 (no card) although a card is
	// present, as some SAMs do for a card left on the reader after a read;
	// select and read still work.
	FindFails bool
}

// Sim is a simulated SAM. Its setters are safe to call while Run runs.
type Sim struct {
	rw  io.ReadWriter
	log *slog.Logger

	mu     sync.Mutex
	text   []byte // encoded text block of the card on the reader; nil = none
	faults Faults
}

// New returns a simulator serving rw, with no card on the reader. It does
// no I/O. logger may be nil.
func New(rw io.ReadWriter, logger *slog.Logger) *Sim {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Sim{rw: rw, log: logger}
}

// SetCard puts c on the reader. It fails if c's fields do not fit a card.
func (s *Sim) SetCard(c credit.IDCard) error {
	text, err := idcard.EncodeText(c)
	if err != nil {
		return fmt.Errorf("samsim: set card: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.text)
	s.text = text
	return nil
}

// RemoveCard takes the card off the reader.
func (s *Sim) RemoveCard() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.text)
	s.text = nil
}

// HasCard reports whether a card is on the reader.
func (s *Sim) HasCard() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.text != nil
}

// SetFaults replaces the active faults.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// samID is the 16-byte management number; it renders as
// 05.02-20261127-0000000001-0000000042.
var samID = []byte{5, 0, 2, 0, 0x07, 0x29, 0x35, 0x01, 0x01, 0, 0, 0, 0x2A, 0, 0, 0}

// Run answers requests until ctx ends (it then returns nil) or reading or
// writing rw fails (it returns that error; on a pty master this is EIO
// once the last slave descriptor closes). A request with a bad checksum
// gets SW3 10, an unknown command SW3 21, as from a real SAM.
//
// To stop promptly when ctx ends, rw should have SetReadDeadline (an
// *os.File master does); otherwise Run returns after its next Read.
func (s *Sim) Run(ctx context.Context) error {
	type deadliner interface{ SetReadDeadline(time.Time) error }
	if d, ok := s.rw.(deadliner); ok {
		stop := context.AfterFunc(ctx, func() { _ = d.SetReadDeadline(time.Now()) })
		defer stop()
	}
	buf := make([]byte, 0, 4096)
	for {
		if len(buf) == cap(buf) {
			buf = buf[:0] // only noise fills the buffer; drop it
		}
		n, err := s.rw.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if ctx.Err() != nil {
			return nil
		}
		if n == 0 && err != nil {
			return fmt.Errorf("samsim: read: %w", err)
		}
		for {
			req, used, ok, rerr := idcard.NextRequest(buf)
			var resp []byte
			switch {
			case rerr != nil:
				resp = idcard.EncodeResponse(0, 0, 0x10, nil)
			case ok:
				resp = s.answer(req)
			}
			buf = buf[:copy(buf, buf[used:])]
			if resp == nil {
				break
			}
			if err := s.send(ctx, resp); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// answer builds the response frame to req.
func (s *Sim) answer(req idcard.Request) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.Debug("request", "cmd", req.Command.String(), "card", s.text != nil)
	ok := func(data []byte) []byte { return idcard.EncodeResponse(0, 0, idcard.SW3OK, data) }
	fail := func(sw3 byte) []byte { return idcard.EncodeResponse(0, 0, sw3, nil) }
	switch req.Command {
	case idcard.CmdReset, idcard.CmdStatus:
		return ok(nil)
	case idcard.CmdSAMID:
		return ok(samID)
	case idcard.CmdFind:
		if s.text == nil || s.faults.FindFails {
			return fail(idcard.SW3NoCard)
		}
		return idcard.EncodeResponse(0, 0, idcard.SW3Found, make([]byte, 4))
	case idcard.CmdSelect:
		if s.text == nil {
			return fail(idcard.SW3SelectErr)
		}
		return ok(make([]byte, 8))
	case idcard.CmdRead:
		if s.text == nil {
			return fail(idcard.SW3ReadErr)
		}
		return ok(idcard.ReadData(s.text, Photo()))
	case idcard.CmdReadFull:
		if s.text == nil {
			return fail(idcard.SW3ReadErr)
		}
		d := idcard.ReadData(s.text, Photo())
		return ok(append(d[:4:4], append([]byte{0, 0}, d[4:]...)...)) // fingerprint length 0
	case idcard.Command{Cmd: 0x30, Para: 0x03}:
		return fail(idcard.SW3NoItem)
	}
	if req.Cmd == 0x60 && req.Para <= 4 || req.Cmd == 0x61 && req.Para == 0xFF {
		return ok(nil)
	}
	return fail(0x21)
}

// garbage precedes frames under Faults.Garbage: noise with a partial
// preamble and a preamble followed by an impossible length.
var garbage = []byte{0x00, 0x13, 0x11, 0x0D, 0x0A, 0xAA, 0xAA, 0x96, 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF}

// send writes frame with the active faults applied, then zeroes it.
func (s *Sim) send(ctx context.Context, frame []byte) error {
	defer clear(frame)
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if f.Delay > 0 && !sleep(ctx, f.Delay) {
		return ctx.Err()
	}
	if f.BadChecksum {
		frame[len(frame)-1] ^= 0xFF
	}
	if f.Truncate {
		frame = frame[:len(frame)/2]
	}
	if f.Garbage {
		if _, err := s.rw.Write(garbage); err != nil {
			return fmt.Errorf("samsim: write: %w", err)
		}
	}
	if !f.Split {
		if _, err := s.rw.Write(frame); err != nil {
			return fmt.Errorf("samsim: write: %w", err)
		}
		return nil
	}
	sizes := []int{1, 4, 2, 64, 9, 200}
	for i := 0; len(frame) > 0; i++ {
		n := min(sizes[i%len(sizes)], len(frame))
		if _, err := s.rw.Write(frame[:n]); err != nil {
			return fmt.Errorf("samsim: write: %w", err)
		}
		frame = frame[n:]
		if !sleep(ctx, 2*time.Millisecond) {
			return ctx.Err()
		}
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
