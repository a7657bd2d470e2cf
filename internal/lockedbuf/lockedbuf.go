// Package lockedbuf holds a byte buffer that goroutines and a test may
// share: a logger or a child's stderr writes to it while the test reads
// what has been written so far.
//
// Usage in a test:
//
//	logs := &lockedbuf.Buffer{}
//	logger := slog.New(slog.NewTextHandler(logs, nil))
//	… run the work …
//	if !strings.Contains(logs.String(), "refused") { … }
package lockedbuf

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer guarded by a mutex. The zero value is ready.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p; it never fails.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Bytes returns a copy of everything written so far.
func (l *Buffer) Bytes() []byte {
	l.mu.Lock()
	defer l.mu.Unlock()
	return bytes.Clone(l.b.Bytes())
}
