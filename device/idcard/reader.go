package idcard

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Default per-command timeouts, within the range public drivers use (§1.5).
const (
	DefaultStatusTimeout = 1 * time.Second
	DefaultFindTimeout   = 1 * time.Second
	DefaultSelectTimeout = 1 * time.Second
	DefaultReadTimeout   = 3 * time.Second
)

// Config tunes a Reader. The zero value is usable.
type Config struct {
	StatusTimeout time.Duration // status, reset and SAM ID; 0 = DefaultStatusTimeout
	FindTimeout   time.Duration // find card (20 01); 0 = DefaultFindTimeout
	SelectTimeout time.Duration // select card (20 02); 0 = DefaultSelectTimeout
	ReadTimeout   time.Duration // read text and photo (30 01); 0 = DefaultReadTimeout

	Logger *slog.Logger     // nil = discard
	Now    func() time.Time // nil = time.Now; used for the command deadlines
}

// ErrNoResponse is returned (wrapped) when the reader sends nothing at all
// before a command's deadline.
var ErrNoResponse = &credit.Error{Code: credit.EUNAVAILABLE,
	Message:   "读卡器无响应，请检查读卡器连接或联系工作人员。",
	MessageEN: "The card reader does not respond. Check its connection or ask a member of staff."}

// errIO is the user-facing error for a failed read or write on the line.
var errIO = &credit.Error{Code: credit.EUNAVAILABLE,
	Message:   "无法与读卡器通信，请检查读卡器连接。",
	MessageEN: "Cannot talk to the card reader. Check its connection."}

// Reader talks to one SAM over rw. Its methods are safe for concurrent use;
// commands are serialised.
//
// rw's Read should return within about 100 ms when no data arrives (as a
// serial port with a read timeout does): the Reader enforces each command's
// deadline between reads. If rw has SetReadDeadline (an *os.File on a pty
// or pipe), the Reader sets it. If rw has Flush() error, stale input is
// discarded before every command.
type Reader struct {
	rw  io.ReadWriter
	cfg Config
	log *slog.Logger

	mu  sync.Mutex // held for a whole operation (find, select, read)
	req []byte
	buf []byte // receive buffer; zeroed after every command
}

// New returns a Reader over rw. It does no I/O.
func New(rw io.ReadWriter, cfg Config) *Reader {
	if cfg.StatusTimeout <= 0 {
		cfg.StatusTimeout = DefaultStatusTimeout
	}
	if cfg.FindTimeout <= 0 {
		cfg.FindTimeout = DefaultFindTimeout
	}
	if cfg.SelectTimeout <= 0 {
		cfg.SelectTimeout = DefaultSelectTimeout
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = DefaultReadTimeout
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Reader{rw: rw, cfg: cfg, log: log,
		req: make([]byte, 0, 16),
		buf: make([]byte, 0, 2*(headerLen+MaxLen))}
}

// Status asks the SAM for its status (11 FF); nil means it is ready.
func (r *Reader) Status(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.transact(ctx, CmdStatus, r.cfg.StatusTimeout, nil)
}

// Reset resets the SAM (10 FF).
func (r *Reader) Reset(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.transact(ctx, CmdReset, r.cfg.StatusTimeout, nil)
}

// SAMID reads the SAM's 16-byte management number (12 FF) and renders it
// as AA.BB-CCCCCCCC-DDDDDDDDDD-EEEEEEEEEE (display only).
func (r *Reader) SAMID(ctx context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var id string
	err := r.transact(ctx, CmdSAMID, r.cfg.StatusTimeout, func(resp Response) error {
		d := resp.Data
		if len(d) != 16 {
			return fmt.Errorf("idcard: %s: %d data bytes, want 16: %w", CmdSAMID, len(d), ErrBadFrame)
		}
		le := binary.LittleEndian
		id = fmt.Sprintf("%02d.%02d-%08d-%010d-%010d", le.Uint16(d[0:]), le.Uint16(d[2:]),
			le.Uint32(d[4:]), le.Uint32(d[8:]), le.Uint32(d[12:]))
		return nil
	})
	return id, err
}

// ReadCard finds (20 01), selects (20 02) and reads (30 01) the card on
// the reader. With no card (find answers 80 and select 81) it returns
// ErrNoCard (ENOTFOUND, wrapped). The photo block is zeroed once the frame
// checksum is verified and never leaves this method. The number is
// validated with CheckCard; an expired card is not an error here.
func (r *Reader) ReadCard(ctx context.Context) (credit.IDCard, error) {
	return r.readCard(ctx, CmdRead)
}

// readCard is ReadCard with the read command c (30 01 or 30 10).
func (r *Reader) readCard(ctx context.Context, c Command) (credit.IDCard, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.findAndSelect(ctx); err != nil {
		return credit.IDCard{}, err
	}
	var text [TextLen]byte
	defer clear(text[:])
	err := r.transact(ctx, c, r.cfg.ReadTimeout, func(resp Response) error {
		t, err := textOf(c, resp.Data)
		if err != nil {
			return err
		}
		copy(text[:], t)
		return nil
	})
	if err != nil {
		return credit.IDCard{}, err
	}
	card, err := ParseText(text[:])
	if err != nil {
		return credit.IDCard{}, err
	}
	card, err = CheckCard(card)
	if err != nil {
		r.log.WarnContext(ctx, "card number invalid", logKind, card.Kind)
		return credit.IDCard{}, err
	}
	r.log.DebugContext(ctx, "card read", logCard, card)
	return card, nil
}

// findAndSelect finds and selects the card. A card left on the reader
// after a read is, with some SAMs, not "found" again (SW3 80) although it
// can still be selected and read (design note §4.3), so after a failed
// find the select decides: if it fails too, there is no card.
func (r *Reader) findAndSelect(ctx context.Context) error {
	_, err := r.findSelect(ctx)
	return err
}

// findSelect is findAndSelect that also says whether find itself
// succeeded (9F), which a card resting on the reader since its last read
// may not do.
func (r *Reader) findSelect(ctx context.Context) (found bool, err error) {
	ferr := r.transact(ctx, CmdFind, r.cfg.FindTimeout, nil)
	found = ferr == nil
	if ferr != nil && !errors.Is(ferr, ErrNoCard) {
		return false, ferr
	}
	serr := r.transact(ctx, CmdSelect, r.cfg.SelectTimeout, nil)
	switch {
	case serr == nil:
		return found, nil
	case ferr != nil && credit.ErrorCode(serr) == credit.ENOTFOUND:
		return false, ferr // no card: "请将身份证放在读卡区"
	}
	return false, serr
}

type flusher interface{ Flush() error }

type readDeadliner interface{ SetReadDeadline(time.Time) error }

// transact sends c, waits up to timeout for one response frame, checks
// SW3, and calls handle (if any) while the response data is valid. The
// receive buffer is zeroed before transact returns. The caller holds r.mu.
func (r *Reader) transact(ctx context.Context, c Command, timeout time.Duration, handle func(Response) error) error {
	defer clear(r.buf[:cap(r.buf)])
	start := r.cfg.Now()
	resp, err := r.exchange(ctx, c, start.Add(timeout))
	if err == nil {
		err = statusErr(c, resp.SW3)
	}
	if err == nil && handle != nil {
		err = handle(resp)
	}
	r.log.DebugContext(ctx, "command", logCmd, c.String(), logSW3, fmt.Sprintf("%02X", resp.SW3),
		logElapsed, r.cfg.Now().Sub(start), logErr, errString(err))
	return err
}

// exchange writes the request and reads until one response frame arrives,
// the deadline passes or ctx ends. The response aliases r.buf.
func (r *Reader) exchange(ctx context.Context, c Command, deadline time.Time) (Response, error) {
	if err := ctx.Err(); err != nil {
		return Response{}, fmt.Errorf("idcard: %s: %w", c, err)
	}
	if f, ok := r.rw.(flusher); ok {
		if err := f.Flush(); err != nil {
			return Response{}, fmt.Errorf("idcard: %s: flush: %v: %w", c, err, errIO)
		}
	}
	r.req = AppendRequest(r.req[:0], c, nil)
	if _, err := r.rw.Write(r.req); err != nil {
		return Response{}, fmt.Errorf("idcard: %s: write: %v: %w", c, err, errIO)
	}
	dl, hasDeadline := r.rw.(readDeadliner)
	buf := r.buf[:0]
	received := 0
	for {
		resp, n, ok, err := NextResponse(buf)
		if err != nil {
			return Response{}, fmt.Errorf("idcard: %s: %w", c, err)
		}
		if ok {
			return resp, nil
		}
		buf = buf[:copy(buf, buf[n:])] // drop garbage before the preamble
		now := r.cfg.Now()
		if !now.Before(deadline) {
			switch {
			case received == 0:
				return Response{}, fmt.Errorf("idcard: %s: no answer within the deadline: %w", c, ErrNoResponse)
			case len(buf) < len(Preamble): // what is left is at most a partial preamble
				return Response{}, fmt.Errorf("idcard: %s: %d bytes received, no frame among them: %w", c, received, ErrBadFrame)
			}
			return Response{}, fmt.Errorf("idcard: %s: %d bytes received, %d pending, frame incomplete at the deadline: %w",
				c, received, len(buf), ErrTruncated)
		}
		if err := ctx.Err(); err != nil {
			return Response{}, fmt.Errorf("idcard: %s: %w", c, err)
		}
		if len(buf) == cap(buf) { // cannot happen: a frame fits twice
			return Response{}, fmt.Errorf("idcard: %s: receive buffer full: %w", c, ErrBadFrame)
		}
		if hasDeadline {
			// Real time here: the file's deadline is a wall-clock one.
			_ = dl.SetReadDeadline(time.Now().Add(min(100*time.Millisecond, deadline.Sub(now))))
		}
		m, err := r.rw.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		received += m
		switch {
		case m > 0:
		case err == nil, errors.Is(err, io.EOF), errors.Is(err, os.ErrDeadlineExceeded):
			// No data yet: tarm/serial returns (0, io.EOF) on Linux and
			// (0, nil) on Windows when its read timeout passes.
			if r.cfg.Now().Sub(now) < time.Millisecond {
				time.Sleep(10 * time.Millisecond) // a port that returns at once must not spin
			}
		default:
			return Response{}, fmt.Errorf("idcard: %s: read: %v: %w", c, err, errIO)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
