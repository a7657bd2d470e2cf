package syncclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"
)

func TestPageSize(t *testing.T) {
	type step struct {
		op   string // shrink, grow, server=N
		want int
	}
	tests := []struct {
		name   string
		config int
		steps  []step
	}{
		{"configured: halve on timeouts down to 1, grow back to the ceiling", 20, []step{
			{"shrink", 10}, {"shrink", 5}, {"shrink", 2}, {"shrink", 1}, {"shrink", 1},
			{"grow", 2}, {"grow", 3}, {"grow", 4}, {"grow", 5}, {"grow", 6}, {"grow", 7}, {"grow", 8}, {"grow", 10},
			{"grow", 12}, {"grow", 15}, {"grow", 18}, {"grow", 20}, {"grow", 20},
		}},
		{"server default: nothing asked until a timeout", 0, []step{
			{"grow", 0}, {"shrink", 250}, {"grow", 312}, {"grow", 390}, {"grow", 487}, {"grow", 0},
		}},
		{"hello's limit caps the configured one", 1000, []step{
			{"server=300", 300}, {"grow", 300}, {"shrink", 150}, {"grow", 187},
		}},
		{"hello's limit is the ceiling when none is configured", 0, []step{
			{"server=40", 40}, {"shrink", 20}, {"grow", 25}, {"grow", 31}, {"grow", 38}, {"grow", 40}, {"grow", 40},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := pageSize{cur: tt.config, config: tt.config}
			for i, s := range tt.steps {
				var n int
				switch {
				case s.op == "shrink":
					p.shrink()
				case s.op == "grow":
					p.grow()
				default:
					if _, err := fmt.Sscanf(s.op, "server=%d", &n); err != nil {
						t.Fatalf("bad step %q", s.op)
					}
					p.setServer(n)
				}
				if got := p.get(); got != s.want {
					t.Fatalf("step %d (%s): limit %d, want %d", i, s.op, got, s.want)
				}
			}
		})
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestSlowLinkClassifies(t *testing.T) {
	expired, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	done, stop := context.WithCancel(t.Context())
	stop()
	tests := []struct {
		name     string
		parent   context.Context
		req      context.Context
		err      error
		timedOut bool
		shrunkTo int
	}{
		{"request deadline", t.Context(), expired, context.DeadlineExceeded, true, 50},
		{"network timeout", t.Context(), t.Context(), timeoutErr{}, true, 50},
		{"body cut short", t.Context(), t.Context(), fmt.Errorf("read: %w", io.ErrUnexpectedEOF), false, 50},
		{"connection refused", t.Context(), t.Context(), errors.New("connection refused"), false, 100},
		{"caller gave up", done, expired, context.DeadlineExceeded, false, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := New(Config{BaseURL: "http://127.0.0.1:1", PageLimit: 100})
			if got := c.slowLink(tt.parent, tt.req, tt.err); got != tt.timedOut {
				t.Errorf("timedOut = %v, want %v", got, tt.timedOut)
			}
			if got := c.PageLimit(); got != tt.shrunkTo {
				t.Errorf("page limit %d, want %d", got, tt.shrunkTo)
			}
		})
	}
}
