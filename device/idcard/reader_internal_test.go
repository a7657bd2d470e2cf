package idcard

import (
	"bytes"
	"testing"
)

// fakeSAM answers find, select and read in memory.
type fakeSAM struct {
	text, photo []byte
	pending     []byte
}

func (f *fakeSAM) Write(b []byte) (int, error) {
	req, err := DecodeRequest(b)
	if err != nil {
		return 0, err
	}
	switch req.Command {
	case CmdFind:
		f.pending = AppendResponse(f.pending, 0, 0, SW3Found, make([]byte, 4))
	case CmdSelect:
		f.pending = AppendResponse(f.pending, 0, 0, SW3OK, make([]byte, 8))
	case CmdRead:
		f.pending = AppendResponse(f.pending, 0, 0, SW3OK, ReadData(f.text, f.photo))
	}
	return len(b), nil
}

func (f *fakeSAM) Read(b []byte) (int, error) {
	n := copy(b, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// After a read, nothing of the frame (text or photo) is left in the
// Reader's buffers.
func TestReadCardZeroesBuffers(t *testing.T) {
	text, err := EncodeText(demoCard)
	if err != nil {
		t.Fatal(err)
	}
	photo := bytes.Repeat([]byte("PHOTO!"), PhotoLen/6+1)[:PhotoLen]
	r := New(&fakeSAM{text: text, photo: photo}, Config{})
	card, err := r.ReadCard(t.Context())
	if err != nil || card != demoCard {
		t.Fatalf("ReadCard = %+v, %v", card, err)
	}
	buf := r.buf[:cap(r.buf)]
	if bytes.Contains(buf, []byte("PHOTO!")) {
		t.Fatal("photo still in the buffer")
	}
	for i, c := range buf {
		if c != 0 {
			t.Fatalf("receive buffer not zeroed: byte %d is %02X", i, c)
		}
	}
}
