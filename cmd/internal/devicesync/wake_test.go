package devicesync

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestWake(t *testing.T) {
	w := NewWake()
	w.Now()
	w.Now() // a second request while one waits: still one
	start := time.Now()
	if err := w.Sleep(t.Context(), time.Hour); err != nil || time.Since(start) > 10*time.Second {
		t.Fatalf("woken sleep: %v after %v", err, time.Since(start))
	}
	if err := w.Sleep(t.Context(), time.Millisecond); err != nil {
		t.Errorf("plain sleep: %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := w.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled sleep: %v", err)
	}
	// The request was consumed: a short sleep now runs to its end.
	done := make(chan struct{})
	go func() { _ = w.Sleep(t.Context(), 20*time.Millisecond); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sleep did not end")
	}
}

func TestClientConfigWake(t *testing.T) {
	if cc := ClientConfig(Config{}, nil); cc.Sleep != nil {
		t.Error("Sleep set without a Wake")
	}
	w := NewWake()
	cc := ClientConfig(Config{Wake: w}, nil)
	if cc.Sleep == nil {
		t.Fatal("Wake not used as Sleep")
	}
	w.Now()
	if err := cc.Sleep(t.Context(), time.Hour); err != nil {
		t.Error(err)
	}
}
