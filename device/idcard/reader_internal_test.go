package idcard

import (
	"bytes"
	"testing"

	credit "github.com/gansu-credit/credit"
)

// fakeSAM answers find, select and read in memory.
type fakeSAM struct {
	text, photo, finger []byte
	pending             []byte
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
	case CmdReadFull:
		d := ReadData(f.text, f.photo)
		d = append(d[:4:4], append([]byte{byte(len(f.finger) >> 8), byte(len(f.finger))}, d[4:]...)...)
		f.pending = AppendResponse(f.pending, 0, 0, SW3OK, append(d, f.finger...))
	}
	return len(b), nil
}

func (f *fakeSAM) Read(b []byte) (int, error) {
	n := copy(b, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// After a read, nothing of the frame (text, photo, fingerprint) is left in
// the Reader's buffers.
func TestReadCardZeroesBuffers(t *testing.T) {
	text, err := EncodeText(demoCard)
	if err != nil {
		t.Fatal(err)
	}
	photo := bytes.Repeat([]byte("PHOTO!"), PhotoLen/6+1)[:PhotoLen]
	finger := bytes.Repeat([]byte("FINGER"), 1024/6+1)[:1024]
	for name, read := range map[string]func(*Reader) (credit.IDCard, error){
		"30 01": func(r *Reader) (credit.IDCard, error) { return r.ReadCard(t.Context()) },
		"30 10": func(r *Reader) (credit.IDCard, error) { return r.ReadCardFull(t.Context()) },
	} {
		t.Run(name, func(t *testing.T) {
			r := New(&fakeSAM{text: text, photo: photo, finger: finger}, Config{})
			card, err := read(r)
			if err != nil || card != demoCard {
				t.Fatalf("read = %+v, %v", card, err)
			}
			buf := r.buf[:cap(r.buf)]
			if bytes.Contains(buf, []byte("PHOTO!")) || bytes.Contains(buf, []byte("FINGER")) {
				t.Fatal("photo or fingerprint still in the buffer")
			}
			for i, c := range buf {
				if c != 0 {
					t.Fatalf("receive buffer not zeroed: byte %d is %02X", i, c)
				}
			}
		})
	}
}
