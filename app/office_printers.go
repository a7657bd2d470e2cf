package app

import (
	"context"
	"slices"
)

// PrinterLister lists the printers this computer can print to (cmd/office:
// printing.Printers — CUPS's `lpstat -e`, or Windows's printers).
type PrinterLister func(ctx context.Context) ([]string, error)

// Printers lists the detected printers, sorted and without duplicates,
// for the printer choice in settings. An office built without discovery
// detects none; a listing that fails is an error whose message says why
// (print service not running, lpstat missing…), so the settings can say
// so and still take a typed name.
func (o *Office) Printers(ctx context.Context) ([]string, error) {
	if o.printers == nil {
		return nil, nil
	}
	names, err := o.printers(ctx)
	if err != nil {
		return nil, o.unavailable(ctx, "list printers", err)
	}
	names = slices.Clone(names)
	slices.Sort(names)
	return slices.Compact(names), nil
}
