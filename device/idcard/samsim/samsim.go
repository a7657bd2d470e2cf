// Package samsim simulates a GA 467 SAM (the security module inside a
// resident-ID-card reader) on the device side of a serial line, usually
// the master of a pseudo-terminal. It answers status, reset, SAM ID, find,
// select, read (30 01 and, with fingerprint templates, 30 10), the
// appended address (30 03) and the baud switch (60 nn) from a
// credit.IDCard, and can inject faults.
package samsim

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"
	"unicode/utf16"

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

// fingerprintMarker fills the simulated fingerprint templates.
const fingerprintMarker = "SAMSIM-FINGERPRINT-TEMPLATE-"

// FingerprintLen is the size of the two templates the simulator sends in
// answer to 30 10.
const FingerprintLen = 1024

// Fingerprint returns the 1024-byte fingerprint block (two 512-byte
// templates) the simulator sends for 30 10: fingerprintMarker repeated.
func Fingerprint() []byte {
	b := make([]byte, FingerprintLen)
	for i := range b {
		b[i] = fingerprintMarker[i%len(fingerprintMarker)]
	}
	return b
}

// FingerprintMarker is the recognisable string repeated through
// Fingerprint.
func FingerprintMarker() string { return fingerprintMarker }

// readFullData is the data of a 30 10 answer: three lengths, text, photo,
// fingerprint.
func readFullData(text []byte) []byte {
	photo, fp := Photo(), Fingerprint()
	d := make([]byte, 0, 6+len(text)+len(photo)+len(fp))
	for _, n := range []int{len(text), len(photo), len(fp)} {
		d = binary.BigEndian.AppendUint16(d, uint16(n))
	}
	d = append(d, text...)
	d = append(d, photo...)
	return append(d, fp...)
}

// addressLen is the size of the appended-address block (35 characters).
const addressLen = 70

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

	mu      sync.Mutex
	text    []byte // encoded text block of the card on the reader; nil = none
	address []byte // appended address block (30 03); nil = none
	baud    byte   // last 60 nn code accepted
	faults  Faults
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

// SetAppendedAddress sets the newest appended address the card carries
// (30 03); "" means none (SW3 91). It fails beyond 35 characters.
func (s *Sim) SetAppendedAddress(addr string) error {
	u := utf16.Encode([]rune(addr))
	if 2*len(u) > addressLen {
		return fmt.Errorf("samsim: appended address of %d characters, at most %d fit", len(u), addressLen/2)
	}
	var b []byte
	if addr != "" {
		b = make([]byte, addressLen)
		for i := range addressLen / 2 {
			c := uint16(' ')
			if i < len(u) {
				c = u[i]
			}
			binary.LittleEndian.PutUint16(b[2*i:], c)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.address = b
	return nil
}

// BaudCode returns the Para of the last baud-rate switch (60 nn) the
// simulator accepted (0 = 115200, the default). A pty ignores line speed,
// so the simulator keeps answering.
func (s *Sim) BaudCode() byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baud
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
		return ok(readFullData(s.text))
	case idcard.CmdAddress:
		if s.text == nil {
			return fail(idcard.SW3ReadErr)
		}
		if s.address == nil {
			return fail(idcard.SW3NoItem)
		}
		return ok(append([]byte(nil), s.address...))
	}
	if req.Cmd == idcard.CmdBaud && req.Para <= 4 {
		s.baud = req.Para
		return ok(nil)
	}
	if req.Cmd == 0x61 && req.Para == 0xFF {
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
