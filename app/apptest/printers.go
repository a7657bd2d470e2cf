package apptest

import (
	"context"
	"fmt"
	"sync"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

var (
	_ app.SlipPrinter     = (*SlipPrinter)(nil)
	_ app.DocumentPrinter = (*DocumentPrinter)(nil)
)

// SlipPrinter is a receipt printer that records the slips it was given.
// Set Err to make it fail (out of paper, unplugged).
type SlipPrinter struct {
	mu    sync.Mutex
	Err   error
	slips []credit.Slip
}

// PrintSlip implements app.SlipPrinter.
func (p *SlipPrinter) PrintSlip(_ context.Context, s credit.Slip) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return p.Err
	}
	p.slips = append(p.slips, s)
	return nil
}

// SetErr sets the error the next prints return (nil: they succeed).
func (p *SlipPrinter) SetErr(err error) {
	p.mu.Lock()
	p.Err = err
	p.mu.Unlock()
}

// Slips returns what was printed.
func (p *SlipPrinter) Slips() []credit.Slip {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]credit.Slip(nil), p.slips...)
}

// Document is one job the DocumentPrinter received.
type Document struct {
	Title string
	PDF   []byte
	JobID string
}

// DocumentPrinter is an A4 printer that records its jobs.
type DocumentPrinter struct {
	mu   sync.Mutex
	Err  error
	docs []Document
}

// PrintPDF implements app.DocumentPrinter.
func (p *DocumentPrinter) PrintPDF(_ context.Context, title string, pdf []byte) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Err != nil {
		return "", p.Err
	}
	id := fmt.Sprintf("kiosk-a4-%d", len(p.docs)+1)
	p.docs = append(p.docs, Document{Title: title, PDF: append([]byte(nil), pdf...), JobID: id})
	return id, nil
}

// SetErr sets the error the next prints return (nil: they succeed).
func (p *DocumentPrinter) SetErr(err error) {
	p.mu.Lock()
	p.Err = err
	p.mu.Unlock()
}

// Documents returns the jobs printed.
func (p *DocumentPrinter) Documents() []Document {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Document(nil), p.docs...)
}
