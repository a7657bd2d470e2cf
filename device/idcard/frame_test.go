package idcard

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The request frames of §1.3, byte for byte.
func TestEncodeRequestVectors(t *testing.T) {
	tests := []struct {
		name string
		cmd  Command
		data []byte
		want string
	}{
		{"reset", CmdReset, nil, "AA AA AA 96 69 00 03 10 FF EC"},
		{"status", CmdStatus, nil, "AA AA AA 96 69 00 03 11 FF ED"},
		{"sam id", CmdSAMID, nil, "AA AA AA 96 69 00 03 12 FF EE"},
		{"find", CmdFind, nil, "AA AA AA 96 69 00 03 20 01 22"},
		{"select", CmdSelect, nil, "AA AA AA 96 69 00 03 20 02 21"},
		{"read", CmdRead, nil, "AA AA AA 96 69 00 03 30 01 32"},
		{"read full", CmdReadFull, nil, "AA AA AA 96 69 00 03 30 10 23"},
		{"appended address", Command{0x30, 0x03}, nil, "AA AA AA 96 69 00 03 30 03 30"},
		{"baud 9600", Command{0x60, 0x04}, nil, "AA AA AA 96 69 00 03 60 04 67"},
		{"baud 115200", Command{0x60, 0x00}, nil, "AA AA AA 96 69 00 03 60 00 63"},
		{"max rf frame", Command{0x61, 0xFF}, []byte{0x50}, "AA AA AA 96 69 00 04 61 FF 50 CA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EncodeRequest(tt.cmd, tt.data)
			if want := unhex(t, tt.want); !bytes.Equal(got, want) {
				t.Fatalf("EncodeRequest = % X, want % X", got, want)
			}
			req, err := DecodeRequest(got)
			if err != nil {
				t.Fatal(err)
			}
			if req.Command != tt.cmd || !bytes.Equal(req.Data, tt.data) {
				t.Fatalf("DecodeRequest = %+v, want %v %x", req, tt.cmd, tt.data)
			}
		})
	}
}

// readFrame builds the 1295-byte 30 01 answer with text and photo.
func readFrame(text, photo []byte) []byte {
	return EncodeResponse(0, 0, SW3OK, ReadData(text, photo))
}

func TestDecodeResponseVectors(t *testing.T) {
	text := bytes.Repeat([]byte{0x31, 0x00}, 128)
	photo := make([]byte, PhotoLen)
	for i := range photo {
		photo[i] = byte(i * 7)
	}
	read := readFrame(text, photo)
	tests := []struct {
		name     string
		frame    []byte
		sw3      byte
		dataLen  int
		wantCode string // of Response.Err
	}{
		{"status ok", unhex(t, "AA AA AA 96 69 00 04 00 00 90 94"), 0x90, 0, ""},
		{"self test failed", unhex(t, "AA AA AA 96 69 00 04 00 00 60 64"), 0x60, 0, credit.EDEVICE},
		{"find ok", unhex(t, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97"), 0x9F, 4, ""},
		{"no card", unhex(t, "AA AA AA 96 69 00 04 00 00 80 84"), 0x80, 0, credit.ENOTFOUND},
		{"select failed", unhex(t, "AA AA AA 96 69 00 04 00 00 81 85"), 0x81, 0, credit.ENOTFOUND},
		{"read failed", unhex(t, "AA AA AA 96 69 00 04 00 00 41 45"), 0x41, 0, credit.EDEVICE},
		{"select ok", unhex(t, "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C"), 0x90, 8, ""},
		{"read 1295", read, 0x90, 1284, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := DecodeResponse(tt.frame)
			if err != nil {
				t.Fatal(err)
			}
			if r.SW3 != tt.sw3 || len(r.Data) != tt.dataLen {
				t.Fatalf("SW3 %02X with %d data bytes, want %02X with %d", r.SW3, len(r.Data), tt.sw3, tt.dataLen)
			}
			if got := credit.ErrorCode(r.Err()); got != tt.wantCode {
				t.Fatalf("Err code %q (%v), want %q", got, r.Err(), tt.wantCode)
			}
			re := EncodeResponse(r.SW1, r.SW2, r.SW3, r.Data)
			if !bytes.Equal(re, tt.frame) {
				t.Fatalf("re-encoded % X, want % X", re, tt.frame)
			}
		})
	}
	if len(read) != 1295 || !bytes.Equal(read[:14], unhex(t, "AA AA AA 96 69 05 08 00 00 90 01 00 04 00")) {
		t.Fatalf("read frame is %d bytes, head % X", len(read), read[:14])
	}
	// The checksum shortcut of §1.2: fixed bytes XOR to 0x98.
	if want := 0x98 ^ checksum(text) ^ checksum(photo); read[len(read)-1] != want {
		t.Fatalf("read CHK %02X, want %02X", read[len(read)-1], want)
	}
	got, err := textOf(CmdRead, mustDecode(t, read).Data)
	if err != nil || !bytes.Equal(got, text) {
		t.Fatalf("textOf = %x, %v", got, err)
	}
}

func mustDecode(t *testing.T, b []byte) Response {
	t.Helper()
	r, err := DecodeResponse(b)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDecodeResponseErrors(t *testing.T) {
	ok := unhex(t, "AA AA AA 96 69 00 04 00 00 90 94")
	badChk := unhex(t, "AA AA AA 96 69 00 04 00 00 90 95")
	tests := []struct {
		name  string
		frame []byte
		want  error
	}{
		{"bad checksum", badChk, ErrChecksum},
		{"truncated body", ok[:9], ErrTruncated},
		{"truncated header", ok[:6], ErrTruncated},
		{"empty", nil, ErrBadFrame},
		{"no preamble", ok[1:], ErrBadFrame},
		{"trailing bytes", append(append([]byte{}, ok...), 0), ErrBadFrame},
		{"length too small", unhex(t, "AA AA AA 96 69 00 03 00 00 03"), ErrBadFrame},
		{"length too big", unhex(t, "AA AA AA 96 69 FF FF 00 00 90"), ErrBadFrame},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeResponse(tt.frame)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if credit.ErrorCode(err) != credit.EDEVICE || credit.ErrorMessage(err) == "" || credit.ErrorMessageEN(err) == "" {
				t.Fatalf("err %v is not a user-facing device error", err)
			}
			if !strings.HasPrefix(err.Error(), "idcard: decode frame: ") {
				t.Fatalf("err %q does not name the operation", err)
			}
		})
	}
}

// NextResponse fed a stream: garbage, a frame split byte by byte, a false
// preamble with an impossible length, then a second frame.
func TestNextResponseStream(t *testing.T) {
	found := unhex(t, "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
	status := unhex(t, "AA AA AA 96 69 00 04 00 00 90 94")
	var stream []byte
	stream = append(stream, 0x00, 0xAA, 0x13, 0xAA, 0xAA) // garbage, incl. a partial preamble
	stream = append(stream, 0xAA, 0xAA, 0xAA, 0x96, 0x69, 0xFF, 0xFF)
	stream = append(stream, found...)
	stream = append(stream, status...)

	var got []Response
	var buf []byte
	for _, c := range stream { // one byte at a time
		buf = append(buf, c)
		for {
			r, n, ok, err := NextResponse(buf)
			if err != nil {
				t.Fatal(err)
			}
			if n > len(buf) {
				t.Fatalf("consumed %d of %d", n, len(buf))
			}
			if ok {
				r.Data = append([]byte{}, r.Data...)
				got = append(got, r)
			}
			buf = buf[n:]
			if !ok {
				break
			}
		}
	}
	if len(got) != 2 || got[0].SW3 != 0x9F || len(got[0].Data) != 4 || got[1].SW3 != 0x90 {
		t.Fatalf("got %+v", got)
	}
	if len(buf) != 0 {
		t.Fatalf("left over % X", buf)
	}
}

func TestNextFrameKeepsPartialPreamble(t *testing.T) {
	tests := []struct {
		in       string
		wantKeep int
	}{
		{"00 01 02 03 04 05 06", 4},
		{"AA", 1},
		{"", 0},
		{"AA AA AA 96 69 00", 6}, // preamble seen, header incomplete: keep all
	}
	for _, tt := range tests {
		b := unhex(t, tt.in)
		body, n, err := NextFrame(b, minResponseLen)
		if body != nil || err != nil || len(b)-n != tt.wantKeep {
			t.Errorf("NextFrame(% X) = %x, n %d, %v; want %d bytes kept", b, body, n, err, tt.wantKeep)
		}
	}
}

func TestNextFrameChecksumConsumesFrame(t *testing.T) {
	b := unhex(t, "AA AA AA 96 69 00 04 00 00 90 95 AA AA AA 96 69 00 04 00 00 90 94")
	_, n, err := NextFrame(b, minResponseLen)
	if !errors.Is(err, ErrChecksum) || n != 11 {
		t.Fatalf("n %d, err %v; want 11, checksum", n, err)
	}
	body, _, err := NextFrame(b[n:], minResponseLen)
	if err != nil || !bytes.Equal(body, []byte{0, 0, 0x90}) {
		t.Fatalf("next frame %x, %v", body, err)
	}
}

func TestStatusError(t *testing.T) {
	tests := []struct {
		sw3  byte
		code string
		zh   string
	}{
		{0x90, "", ""},
		{0x9F, "", ""},
		{0x80, credit.ENOTFOUND, "请将身份证放在读卡区"},
		{0x81, credit.ENOTFOUND, "选取身份证失败"},
		{0x91, credit.ENOTFOUND, "无此项内容"},
		{0x10, credit.EDEVICE, "校验和错误"},
		{0x41, credit.EDEVICE, "请勿移动身份证"},
		{0x60, credit.EDEVICE, "自检失败"},
		{0x66, credit.EDEVICE, "未经授权"},
		{0x5A, credit.EDEVICE, "未知状态（状态码 5A）"},
	}
	for _, tt := range tests {
		err := StatusError(tt.sw3)
		if credit.ErrorCode(err) != tt.code {
			t.Errorf("SW3 %02X: code %q, want %q", tt.sw3, credit.ErrorCode(err), tt.code)
		}
		if err != nil && (!strings.Contains(credit.ErrorMessage(err), tt.zh) || credit.ErrorMessageEN(err) == "") {
			t.Errorf("SW3 %02X: message %q / %q, want it to contain %q", tt.sw3, credit.ErrorMessage(err), credit.ErrorMessageEN(err), tt.zh)
		}
	}
	if StatusError(0x80) != ErrNoCard || credit.ErrorMessageEN(ErrNoCard) != "Place your ID card on the reader" {
		t.Fatal("no card is not ErrNoCard")
	}
}

func TestTextOfErrors(t *testing.T) {
	text := make([]byte, TextLen)
	tests := []struct {
		name string
		data []byte
	}{
		{"short header", []byte{1, 0}},
		{"text len 255", ReadData(text[:255], make([]byte, PhotoLen))},
		{"photo missing", ReadData(text, make([]byte, PhotoLen))[:4+TextLen+10]},
		{"extra byte", append(ReadData(text, make([]byte, PhotoLen)), 0)},
	}
	for _, tt := range tests {
		if _, err := textOf(CmdRead, tt.data); !errors.Is(err, ErrBadFrame) {
			t.Errorf("%s: err %v, want bad frame", tt.name, err)
		}
	}
	full := append([]byte{1, 0, 4, 0, 0, 0}, append(text, make([]byte, PhotoLen)...)...)
	if got, err := textOf(CmdReadFull, full); err != nil || len(got) != TextLen {
		t.Fatalf("30 10 without fingerprint: %d bytes, %v", len(got), err)
	}
}
