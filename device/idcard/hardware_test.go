package idcard_test

import (
	"errors"
	"flag"
	"testing"

	"github.com/gansu-credit/credit/device/idcard"
)

var hwPort = flag.String("idcard.port", "", "serial port of a real reader for TestHardware (e.g. /dev/ttyUSB0)")

// TestHardware talks to a real reader when -idcard.port is given:
//
//	go test ./device/idcard -run Hardware -idcard.port=/dev/ttyUSB0 -v
//
// It checks the SAM's status and ID, then reads the card if one is on the
// reader (no card is a pass). It logs only masked card fields.
func TestHardware(t *testing.T) {
	if *hwPort == "" {
		t.Skip("no -idcard.port given")
	}
	r, closer, err := idcard.Open(*hwPort, idcard.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer closer.Close()
	if err := r.Status(t.Context()); err != nil {
		t.Fatalf("status: %v", err)
	}
	id, err := r.SAMID(t.Context())
	if err != nil {
		t.Fatalf("SAM ID: %v", err)
	}
	t.Logf("SAM %s", id)
	card, err := r.ReadCard(t.Context())
	switch {
	case errors.Is(err, idcard.ErrNoCard):
		t.Log("no card on the reader")
	case err != nil:
		t.Fatalf("read: %v", err)
	default:
		t.Logf("read %v card %v, valid to %s", card.Kind, card.LogValue(), card.ValidTo)
	}
}
