//go:build linux

package lazyfs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// A process must not use files on a FUSE mount that it serves itself
// through mmap: a page fault waiting on the file system stalls the Go
// runtime's stop-the-world, so the goroutines that would answer it never
// run (SQLite mmaps its -shm file). Proc serves the mount from a child
// process instead, so that the test process can open databases on it.

// serveEnv, set in a process's environment, makes it a lazyfs server
// (serveMain) as soon as this package is initialised: the test binary
// re-executed by Start.
const serveEnv = "CREDIT_LAZYFS_SERVE"

func init() {
	if v := os.Getenv(serveEnv); v != "" {
		os.Exit(serveMain(v, os.Stdin, os.Stdout))
	}
}

// serveConfig is what Start passes to the server in serveEnv.
type serveConfig struct {
	Backing, Mnt string
	Seed         uint64
}

// reply is the server's answer to a command: one JSON line.
type reply struct {
	Err         string       `json:",omitempty"`
	Unavailable bool         `json:",omitempty"`
	Report      *CrashReport `json:",omitempty"`
}

// serveMain mounts and answers commands, one a line: "crash" or "torn"
// (Crash), "quit" (unmount and exit). End of input is "quit".
func serveMain(env string, in io.Reader, out io.Writer) int {
	ctx := context.Background()
	enc := json.NewEncoder(out)
	var cfg serveConfig
	if err := json.Unmarshal([]byte(env), &cfg); err != nil {
		_ = enc.Encode(reply{Err: fmt.Sprintf("lazyfs: serve: %s: %v", serveEnv, err)})
		return 2
	}
	l := New(cfg.Backing, cfg.Mnt, Options{Seed: cfg.Seed})
	if err := l.Mount(ctx); err != nil {
		_ = enc.Encode(reply{Err: err.Error(), Unavailable: errors.Is(err, ErrUnavailable)})
		return 3
	}
	_ = enc.Encode(reply{})
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch cmd := sc.Text(); cmd {
		case "crash", "torn":
			rep, err := l.Crash(ctx, cmd == "torn")
			r := reply{Report: &rep}
			if err != nil {
				r.Err = err.Error()
			}
			_ = enc.Encode(r)
		case "quit":
			return serveQuit(l, enc)
		default:
			_ = enc.Encode(reply{Err: fmt.Sprintf("lazyfs: serve: unknown command %q", cmd)})
		}
	}
	return serveQuit(l, enc)
}

func serveQuit(l *FS, enc *json.Encoder) int {
	if err := l.Unmount(); err != nil {
		// Files still open (a process not killed): detach the mount, so
		// that it does not outlive this server as a dead one.
		if derr := syscall.Unmount(l.mnt, syscall.MNT_DETACH); derr != nil {
			err = fmt.Errorf("%w; detach: %v", err, derr)
		}
		_ = enc.Encode(reply{Err: err.Error()})
		return 1
	}
	_ = enc.Encode(reply{})
	return 0
}

// Proc is a lazy file system served by a child process (this program
// re-executed; see serveEnv).
type Proc struct {
	mnt     string
	cmd     *exec.Cmd
	in      io.WriteCloser
	replies chan string // the server's output lines; closed when it exits
	done    bool
}

// procTimeout bounds each exchange with the server.
const procTimeout = 30 * time.Second

// Start mounts backing at mnt, served by a child process running this
// program's executable (which must import this package). It returns an
// error wrapping ErrUnavailable where FUSE cannot be mounted.
func Start(ctx context.Context, backing, mnt string, opts Options) (*Proc, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	env, err := json.Marshal(serveConfig{Backing: backing, Mnt: mnt, Seed: opts.Seed})
	if err != nil {
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	cmd := exec.Command(exe)
	// Under -race an exiting process sleeps a second first: not needed.
	cmd.Env = append(os.Environ(), serveEnv+"="+string(env),
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	p := &Proc{mnt: mnt, cmd: cmd, in: in, replies: make(chan string, 4)}
	go func() { // exits when the server closes its output (it exited)
		defer close(p.replies)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.replies <- sc.Text()
		}
	}()
	r, err := p.await(ctx, "mount")
	if err == nil && r.Err != "" {
		err = errors.New(r.Err)
		if r.Unavailable {
			err = fmt.Errorf("%w: %s", ErrUnavailable, r.Err)
		}
	}
	if err != nil {
		p.Close()
		return nil, fmt.Errorf("lazyfs: start: %w", err)
	}
	return p, nil
}

// Mountpoint is where the file system is mounted.
func (p *Proc) Mountpoint() string { return p.mnt }

// await reads the server's next reply.
func (p *Proc) await(ctx context.Context, what string) (reply, error) {
	var r reply
	select {
	case line, ok := <-p.replies:
		if !ok {
			return r, fmt.Errorf("%s: the lazyfs server exited", what)
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return r, fmt.Errorf("%s: lazyfs server said %q: %w", what, line, err)
		}
		return r, nil
	case <-ctx.Done():
		return r, fmt.Errorf("%s: %w", what, ctx.Err())
	case <-time.After(procTimeout):
		return r, fmt.Errorf("%s: no answer from the lazyfs server in %v", what, procTimeout)
	}
}

// Crash cuts the power as FS.Crash does, in the server, and returns when
// the file system is mounted again. Processes using the mount must have
// exited before.
func (p *Proc) Crash(ctx context.Context, torn bool) (CrashReport, error) {
	cmd := "crash"
	if torn {
		cmd = "torn"
	}
	if _, err := io.WriteString(p.in, cmd+"\n"); err != nil {
		return CrashReport{}, fmt.Errorf("lazyfs: crash: %w", err)
	}
	r, err := p.await(ctx, "crash")
	if err == nil && r.Err != "" {
		err = errors.New(r.Err)
	}
	if err != nil {
		return CrashReport{}, fmt.Errorf("lazyfs: crash: %w", err)
	}
	if r.Report == nil {
		return CrashReport{}, errors.New("lazyfs: crash: the server sent no report")
	}
	return *r.Report, nil
}

// Close unmounts (unsynced writes are not written) and waits for the
// server to exit. If the server cannot unmount, the mount is detached.
func (p *Proc) Close() error {
	if p.done {
		return nil
	}
	p.done = true
	_, _ = io.WriteString(p.in, "quit\n")
	_ = p.in.Close()
	r, err := p.await(context.Background(), "unmount")
	if err == nil && r.Err != "" {
		err = errors.New(r.Err)
	}
	if err != nil {
		_ = p.cmd.Process.Kill()
		if derr := syscall.Unmount(p.mnt, syscall.MNT_DETACH); derr != nil && !errors.Is(derr, syscall.EINVAL) {
			err = fmt.Errorf("%w; detach: %v", err, derr)
		}
	}
	for range p.replies { // until the server's output ends
	}
	if werr := p.cmd.Wait(); werr != nil && err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("lazyfs: close %s: %w", p.mnt, err)
	}
	return nil
}
