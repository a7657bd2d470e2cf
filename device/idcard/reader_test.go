package idcard_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/internal/pty"
)

var _ app.CardReader = (*idcard.Reader)(nil)

var demo = credit.IDCard{Kind: credit.CardResident, Name: "张晓燕", Sex: "2", Ethnic: "01", Birth: "19850312",
	Address: "甘肃省兰州市城关区庆阳路100号", Number: "620102198503120021", Authority: "兰州市公安局城关分局",
	ValidFrom: "20150601", ValidTo: "20350601"}

type rig struct {
	sim    *samsim.Sim
	reader *idcard.Reader
	log    *lockedbuf.Buffer
}

// newRig serves a simulator on a pty master; the Reader opens the slave
// through tarm/serial (transport "serial") or as a raw *os.File ("file").
func newRig(t *testing.T, transport string, cfg idcard.Config) *rig {
	t.Helper()
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	logs := &lockedbuf.Buffer{}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var reader *idcard.Reader
	var closer io.Closer
	switch transport {
	case "serial":
		reader, closer, err = idcard.Open(path, cfg)
	case "file":
		f, ferr := pty.HoldSlave(path)
		reader, closer, err = idcard.New(f, cfg), f, ferr
	}
	if err != nil {
		master.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("simulator: %v", err)
		}
		closer.Close()
		master.Close()
		if out := logs.String(); strings.Contains(out, samsim.PhotoMarker()) ||
			strings.Contains(out, demo.Number) || strings.Contains(out, demo.Name) {
			t.Errorf("log leaks personal data or the photo:\n%s", out)
		}
	})
	return &rig{sim: sim, reader: reader, log: logs}
}

var fast = idcard.Config{StatusTimeout: 300 * time.Millisecond, FindTimeout: 300 * time.Millisecond,
	SelectTimeout: 300 * time.Millisecond, ReadTimeout: 1500 * time.Millisecond}

func TestReadCard(t *testing.T) {
	expired := demo
	expired.ValidTo = "20200101"
	longTerm := demo
	longTerm.ValidTo = credit.LongTerm
	gat := credit.IDCard{Kind: credit.CardGAT, Name: "陈大文", Sex: "1", Birth: "19900101", Address: "香港特别行政区",
		Number: "810000199001010019", Authority: "公安部出入境管理局", ValidFrom: "20200101", ValidTo: "20250101"}
	tests := []struct {
		name      string
		transport string
		card      credit.IDCard
		faults    samsim.Faults
	}{
		{"serial", "serial", demo, samsim.Faults{}},
		{"file", "file", demo, samsim.Faults{}},
		{"split frames", "serial", demo, samsim.Faults{Split: true}},
		{"garbage before frames", "serial", demo, samsim.Faults{Garbage: true}},
		{"garbage and split over a file", "file", demo, samsim.Faults{Garbage: true, Split: true}},
		{"slow answers", "serial", demo, samsim.Faults{Delay: 150 * time.Millisecond}},
		{"card left on the reader is not found but selects", "serial", demo, samsim.Faults{FindFails: true}},
		{"expired card is returned", "serial", expired, samsim.Faults{}},
		{"long-term card", "serial", longTerm, samsim.Faults{}},
		{"hong kong resident", "serial", gat, samsim.Faults{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.transport, fast)
			if err := r.sim.SetCard(tt.card); err != nil {
				t.Fatal(err)
			}
			r.sim.SetFaults(tt.faults)
			got, err := r.reader.ReadCard(t.Context())
			if err != nil {
				t.Fatalf("ReadCard: %v", err)
			}
			if got != tt.card {
				t.Fatalf("ReadCard =\n%+v\nwant\n%+v", got, tt.card)
			}
			if !strings.Contains(r.log.String(), "card read") {
				t.Fatalf("no log of the read:\n%s", r.log.String())
			}
		})
	}
}

func TestReadCardErrors(t *testing.T) {
	badNumber := demo
	badNumber.Number = "620102198503120022"
	tests := []struct {
		name      string
		transport string
		card      *credit.IDCard
		faults    samsim.Faults
		want      error  // errors.Is target, or nil to check only the code
		code      string // credit.ErrorCode
		msg       string // part of the English message
	}{
		{"no card", "serial", nil, samsim.Faults{}, idcard.ErrNoCard, credit.ENOTFOUND, "Place your ID card"},
		{"no card over a file", "file", nil, samsim.Faults{}, idcard.ErrNoCard, credit.ENOTFOUND, "Place your ID card"},
		{"no card, find fails", "serial", nil, samsim.Faults{FindFails: true}, idcard.ErrNoCard, credit.ENOTFOUND, "Place your ID card"},
		{"bad checksum", "serial", &demo, samsim.Faults{BadChecksum: true}, idcard.ErrChecksum, credit.EDEVICE, "checksum"},
		{"truncated frame", "serial", &demo, samsim.Faults{Truncate: true}, idcard.ErrTruncated, credit.EDEVICE, "incomplete"},
		{"truncated frame over a file", "file", &demo, samsim.Faults{Truncate: true}, idcard.ErrTruncated, credit.EDEVICE, "incomplete"},
		{"no answer", "serial", &demo, samsim.Faults{Delay: 2 * time.Second}, idcard.ErrNoResponse, credit.EUNAVAILABLE, "does not respond"},
		{"invalid number", "serial", &badNumber, samsim.Faults{}, nil, credit.EDEVICE, "check character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, tt.transport, fast)
			if tt.card != nil {
				if err := r.sim.SetCard(*tt.card); err != nil {
					t.Fatal(err)
				}
			}
			r.sim.SetFaults(tt.faults)
			start := time.Now()
			got, err := r.reader.ReadCard(t.Context())
			if elapsed := time.Since(start); elapsed > 3*time.Second {
				t.Fatalf("ReadCard took %v", elapsed)
			}
			if err == nil {
				t.Fatalf("ReadCard = %+v, want an error", got)
			}
			if got != (credit.IDCard{}) {
				t.Fatalf("ReadCard returned fields with an error: %+v", got)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if credit.ErrorCode(err) != tt.code || !strings.Contains(credit.ErrorMessageEN(err), tt.msg) || credit.ErrorMessage(err) == "" {
				t.Fatalf("err %v: code %q, messages %q / %q; want %q containing %q", err,
					credit.ErrorCode(err), credit.ErrorMessage(err), credit.ErrorMessageEN(err), tt.code, tt.msg)
			}
		})
	}
}

// A late answer to a timed-out command must not be taken as the answer to
// the next one: the Reader flushes stale input before each command.
func TestStaleAnswerIsFlushed(t *testing.T) {
	r := newRig(t, "serial", fast)
	r.sim.SetFaults(samsim.Faults{Delay: 500 * time.Millisecond}) // "no card" answer arrives late
	if _, err := r.reader.ReadCard(t.Context()); !errors.Is(err, idcard.ErrNoResponse) {
		t.Fatalf("err = %v, want no response", err)
	}
	if err := r.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	time.Sleep(400 * time.Millisecond) // the stale 80 is now waiting in the line
	r.sim.SetFaults(samsim.Faults{})
	got, err := r.reader.ReadCard(t.Context())
	if err != nil || got != demo {
		t.Fatalf("ReadCard = %+v, %v", got, err)
	}
}

func TestCardChangesWhileRunning(t *testing.T) {
	r := newRig(t, "serial", fast)
	for i, present := range []bool{false, true, false, true} {
		if present {
			if err := r.sim.SetCard(demo); err != nil {
				t.Fatal(err)
			}
		} else {
			r.sim.RemoveCard()
		}
		_, err := r.reader.ReadCard(t.Context())
		if present != (err == nil) {
			t.Fatalf("step %d (card %v): err %v", i, present, err)
		}
	}
}

func TestStatusAndSAMID(t *testing.T) {
	r := newRig(t, "serial", fast)
	if err := r.reader.Status(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := r.reader.Reset(t.Context()); err != nil {
		t.Fatal(err)
	}
	id, err := r.reader.SAMID(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if id != "05.02-20261127-0000000001-0000000042" {
		t.Fatalf("SAMID = %q", id)
	}
	r.sim.SetFaults(samsim.Faults{BadChecksum: true})
	if err := r.reader.Status(t.Context()); !errors.Is(err, idcard.ErrChecksum) {
		t.Fatalf("Status with a bad checksum: %v", err)
	}
}

func TestContextCancelStopsWaiting(t *testing.T) {
	r := newRig(t, "serial", idcard.Config{FindTimeout: 10 * time.Second})
	r.sim.SetFaults(samsim.Faults{Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := r.reader.ReadCard(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the context's", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("ReadCard returned %v after the context ended", d)
	}
}

// A port that returns (0, nil) at once (as some drivers do on a timeout)
// must not hang the Reader past the command deadline.
func TestSilentPortHitsDeadline(t *testing.T) {
	r := idcard.New(silent{}, idcard.Config{StatusTimeout: 200 * time.Millisecond})
	start := time.Now()
	err := r.Status(t.Context())
	if !errors.Is(err, idcard.ErrNoResponse) {
		t.Fatalf("err = %v", err)
	}
	if d := time.Since(start); d < 200*time.Millisecond || d > 2*time.Second {
		t.Fatalf("gave up after %v, want about 200ms", d)
	}
}

type silent struct{}

func (silent) Read([]byte) (int, error)    { return 0, nil }
func (silent) Write(b []byte) (int, error) { return len(b), nil }

func TestWriteErrorIsUnavailable(t *testing.T) {
	r := idcard.New(broken{}, idcard.Config{})
	err := r.Status(t.Context())
	if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(err.Error(), "unplugged") {
		t.Fatalf("err = %v", err)
	}
}

type broken struct{}

func (broken) Read([]byte) (int, error)  { return 0, errors.New("unplugged") }
func (broken) Write([]byte) (int, error) { return 0, errors.New("unplugged") }

func TestOpenSerialErrors(t *testing.T) {
	for _, path := range []string{"/nonexistent/ttyUSB9", t.TempDir() + "/regular"} {
		if path != "/nonexistent/ttyUSB9" {
			if err := writeFile(path); err != nil {
				t.Fatal(err)
			}
		}
		_, _, err := idcard.Open(path, idcard.Config{})
		if credit.ErrorCode(err) != credit.EUNAVAILABLE || !strings.Contains(credit.ErrorMessageEN(err), path) {
			t.Errorf("Open(%s) = %v", path, err)
		}
	}
}

// scripted answers every request with reply, then reads as silence.
type scripted struct {
	mu      sync.Mutex
	reply   []byte
	pending []byte
}

func (s *scripted) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = append(s.pending, s.reply...)
	return len(b), nil
}

func (s *scripted) Read(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := copy(b, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}

func TestUnframedAnswers(t *testing.T) {
	tests := []struct {
		name  string
		reply []byte
		want  error
	}{
		{"noise only", []byte("\x00\x13\x11 hello \r\n\xAA\xAA\xAA"), idcard.ErrBadFrame},
		{"header only", []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00}, idcard.ErrTruncated},
		{"impossible length", []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF, 0, 0, 0x90}, idcard.ErrBadFrame},
		{"status ok after noise", append([]byte("noise"), 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0, 4, 0, 0, 0x90, 0x94), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := idcard.New(&scripted{reply: tt.reply}, idcard.Config{StatusTimeout: 150 * time.Millisecond})
			err := r.Status(t.Context())
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

// Concurrent callers are serialised: each whole find-select-read runs alone.
func TestConcurrentReads(t *testing.T) {
	r := newRig(t, "serial", fast)
	if err := r.sim.SetCard(demo); err != nil {
		t.Fatal(err)
	}
	r.sim.SetFaults(samsim.Faults{Split: true})
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() {
			got, err := r.reader.ReadCard(t.Context())
			if err == nil && got != demo {
				err = errors.New("wrong card")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
