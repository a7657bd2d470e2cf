package idcard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// PortGlobs are where serial card readers appear on Linux, best first:
// by-id names and the udev symlink are stable across reboots and
// replugging; ttyUSB/ttyACM numbers are not; ttyS are built-in UARTs.
var PortGlobs = []string{"/dev/serial/by-id/*", "/dev/credit-idcard", "/dev/ttyUSB*", "/dev/ttyACM*", "/dev/ttyS*"}

// Ports lists candidate serial ports in PortGlobs order. A device reached
// through a symlink (by-id, /dev/credit-idcard) is listed once, under its
// first, most stable, name.
func Ports() []string { return portsIn(PortGlobs) }

func portsIn(globs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, g := range globs {
		matches, _ := filepath.Glob(g) // constant, valid patterns
		sort.Strings(matches)
		for _, m := range matches {
			target, err := filepath.EvalSymlinks(m)
			if err != nil {
				continue // dangling link
			}
			if seen[target] {
				continue
			}
			seen[target] = true
			out = append(out, m)
		}
	}
	return out
}

// DefaultProbeTimeout bounds the SAM status question per candidate port.
// tarm/serial's read timeout comes in 0.1 s steps, so less is pointless.
const DefaultProbeTimeout = 300 * time.Millisecond

// DiscoverConfig tunes Discover and Probe. The zero value is usable.
type DiscoverConfig struct {
	Config           // Reader settings; StatusTimeout 0 = DefaultProbeTimeout
	Baud      int    // 0 = DefaultBaud
	StateFile string // if set, the port that answered is remembered here and tried first next time
	// Open opens a candidate; nil = OpenSerial at Baud. Tests inject it.
	Open func(ctx context.Context, path string) (io.ReadWriteCloser, error)
}

func (c DiscoverConfig) withDefaults() DiscoverConfig {
	if c.StatusTimeout <= 0 {
		c.StatusTimeout = DefaultProbeTimeout
	}
	if c.Baud <= 0 {
		c.Baud = DefaultBaud
	}
	if c.Open == nil {
		baud := c.Baud
		c.Open = func(_ context.Context, path string) (io.ReadWriteCloser, error) {
			p, err := OpenSerial(path, baud)
			if err != nil {
				return nil, err
			}
			return p, nil
		}
	}
	return c
}

// ErrNoReader is returned (wrapped) by Discover when no candidate answers.
var ErrNoReader = &credit.Error{Code: credit.EUNAVAILABLE,
	Message:   "未找到身份证读卡器，请检查读卡器是否连接（串口版），或联系工作人员。",
	MessageEN: "No ID-card reader found. Check that a serial reader is connected, or ask a member of staff."}

// Probe opens path, asks the SAM for its status (11 FF) and closes the
// port. It returns nil when a SAM answered with a valid frame, even with
// a failure status such as 60 (self-test failed: a reader is there).
func Probe(ctx context.Context, path string, cfg DiscoverConfig) error {
	cfg = cfg.withDefaults()
	port, err := cfg.Open(ctx, path)
	if err != nil {
		return fmt.Errorf("idcard: probe %s: %w", path, err)
	}
	defer port.Close()
	err = New(port, cfg.Config).Status(ctx)
	if err == nil || lastSW3(err) != 0 {
		return nil
	}
	return fmt.Errorf("idcard: probe %s: %w", path, err)
}

// Discover tries each candidate with Probe, the remembered port (from
// cfg.StateFile) first, and returns the first that answers. It remembers
// the answer in cfg.StateFile if set. With no answer it returns
// ErrNoReader wrapped with what each port said.
func Discover(ctx context.Context, candidates []string, cfg DiscoverConfig) (string, error) {
	cfg = cfg.withDefaults()
	order := slices.Clone(candidates)
	if cfg.StateFile != "" {
		if b, err := os.ReadFile(cfg.StateFile); err == nil {
			if last := strings.TrimSpace(string(b)); slices.Contains(order, last) {
				order = slices.DeleteFunc(order, func(p string) bool { return p == last })
				order = append([]string{last}, order...)
			}
		}
	}
	var errs []error
	for _, p := range order {
		if err := ctx.Err(); err != nil {
			return "", fmt.Errorf("idcard: discover: %w", err)
		}
		err := Probe(ctx, p, cfg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if cfg.StateFile != "" {
			if err := writeState(cfg.StateFile, p); err != nil {
				return p, fmt.Errorf("idcard: discover: remember %s: %w", p, err)
			}
		}
		return p, nil
	}
	return "", fmt.Errorf("idcard: discover: %d ports tried: %w: %w", len(order), errors.Join(errs...), ErrNoReader)
}

// writeState replaces file with path atomically.
func writeState(file, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), ".idcard-port-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(path + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
