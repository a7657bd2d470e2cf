package idcard

import (
	"bytes"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// Preamble starts every frame: AA AA AA is frame sync and 96 69 marks the
// start. It is counted neither in the length nor in the checksum.
var Preamble = []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69}

const (
	headerLen = 7 // preamble + two length bytes
	// MaxLen is the largest length field accepted. The biggest real answer
	// (read with a 1024-byte fingerprint, 30 10) has Len 0x090A; anything
	// much larger is line noise that happens to contain a preamble.
	MaxLen = 4096
	// minRequestLen is CMD + Para + CHK; minResponseLen is SW1..SW3 + CHK.
	minRequestLen  = 3
	minResponseLen = 4
)

// Command is a request's CMD and Para bytes.
type Command struct{ Cmd, Para byte }

// The commands the reader uses (all seen in at least two public sources).
var (
	CmdReset    = Command{0x10, 0xFF} // 复位 SAM_A
	CmdStatus   = Command{0x11, 0xFF} // SAM 状态检测
	CmdSAMID    = Command{0x12, 0xFF} // 读 SAM 管理信息
	CmdFind     = Command{0x20, 0x01} // 寻找居民身份证 (success SW3 9F)
	CmdSelect   = Command{0x20, 0x02} // 选取居民身份证
	CmdRead     = Command{0x30, 0x01} // 读机读文字和相片
	CmdReadFull = Command{0x30, 0x10} // 读文字、相片和指纹
	CmdAddress  = Command{0x30, 0x03} // 读最新住址 (SW3 91: none)
)

// CmdBaud is the baud-rate switch 60 nn; see BaudCode.
const CmdBaud byte = 0x60

// String names the command for logs.
func (c Command) String() string {
	switch c {
	case CmdReset:
		return "reset"
	case CmdStatus:
		return "status"
	case CmdSAMID:
		return "sam-id"
	case CmdFind:
		return "find"
	case CmdSelect:
		return "select"
	case CmdRead:
		return "read"
	case CmdReadFull:
		return "read-full"
	case CmdAddress:
		return "address"
	}
	if c.Cmd == CmdBaud {
		return fmt.Sprintf("baud-%02X", c.Para)
	}
	return fmt.Sprintf("cmd-%02X%02X", c.Cmd, c.Para)
}

// Request is a decoded host → SAM frame.
type Request struct {
	Command
	Data []byte
}

// Response is a decoded SAM → host frame. Only SW3 carries the status;
// SW1 and SW2 are forwarded from the card and usually zero. Data aliases
// the decoded buffer.
type Response struct {
	SW1, SW2, SW3 byte
	Data          []byte
}

// Err maps SW3 to nil (90, 9F) or a *credit.Error (see StatusError).
func (r Response) Err() error { return StatusError(r.SW3) }

// Frame errors. They are user-facing (*credit.Error, code EDEVICE) and are
// always returned wrapped with the operation and details; test with
// errors.Is.
var (
	ErrChecksum = &credit.Error{Code: credit.EDEVICE,
		Message:   "读卡器传输的数据校验失败，请重新放置身份证后再试。",
		MessageEN: "The card reader sent corrupted data (checksum mismatch). Please place the card again."}
	ErrTruncated = &credit.Error{Code: credit.EDEVICE,
		Message:   "读卡器传输的数据不完整，请重新放置身份证后再试。",
		MessageEN: "The card reader sent an incomplete frame. Please place the card again."}
	ErrBadFrame = &credit.Error{Code: credit.EDEVICE,
		Message:   "读卡器返回的数据格式错误，请联系工作人员。",
		MessageEN: "The card reader sent a malformed frame. Please ask a member of staff."}
)

// checksum XORs b.
func checksum(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// appendFrame appends preamble, length, body and checksum to dst.
func appendFrame(dst []byte, body ...[]byte) []byte {
	n := 1 // CHK
	for _, b := range body {
		n += len(b)
	}
	start := len(dst) + len(Preamble)
	dst = append(dst, Preamble...)
	dst = append(dst, byte(n>>8), byte(n))
	for _, b := range body {
		dst = append(dst, b...)
	}
	return append(dst, checksum(dst[start:]))
}

// AppendRequest appends the request frame for c with optional data to dst.
// It panics if data is longer than MaxLen allows (a programming error:
// requests carry at most one data byte).
func AppendRequest(dst []byte, c Command, data []byte) []byte {
	if len(data)+minRequestLen > MaxLen {
		panic("idcard: request data too long")
	}
	return appendFrame(dst, []byte{c.Cmd, c.Para}, data)
}

// EncodeRequest returns the request frame for c with optional data.
func EncodeRequest(c Command, data []byte) []byte {
	return AppendRequest(make([]byte, 0, headerLen+minRequestLen+len(data)), c, data)
}

// AppendResponse appends a response frame to dst (used by the simulator and
// by tests). It panics if data is longer than MaxLen allows.
func AppendResponse(dst []byte, sw1, sw2, sw3 byte, data []byte) []byte {
	if len(data)+minResponseLen > MaxLen {
		panic("idcard: response data too long")
	}
	return appendFrame(dst, []byte{sw1, sw2, sw3}, data)
}

// EncodeResponse returns a response frame.
func EncodeResponse(sw1, sw2, sw3 byte, data []byte) []byte {
	return AppendResponse(make([]byte, 0, headerLen+minResponseLen+len(data)), sw1, sw2, sw3, data)
}

// NextFrame scans b for the first complete frame. It skips any garbage
// before the preamble and any preamble whose length field is impossible
// (below minLen or above MaxLen).
//
// It returns the frame body (length field excluded, from CMD or SW1 through
// the last data byte, checksum verified; aliasing b) and n, the number of
// bytes of b it consumed. When b holds no complete frame yet, body is nil,
// err is nil and n counts the leading bytes that can be discarded; the
// caller reads more and calls again with b[n:]. When the checksum does not
// match, err wraps ErrChecksum and n covers the bad frame.
func NextFrame(b []byte, minLen int) (body []byte, n int, err error) {
	for {
		i := bytes.Index(b[n:], Preamble)
		if i < 0 {
			// Keep a tail that could be the start of a preamble.
			keep := min(len(b)-n, len(Preamble)-1)
			return nil, len(b) - keep, nil
		}
		n += i
		f := b[n:]
		if len(f) < headerLen {
			return nil, n, nil
		}
		l := int(f[5])<<8 | int(f[6])
		if l < minLen || l > MaxLen {
			n++ // not a real frame start: resynchronise after it
			continue
		}
		if len(f) < headerLen+l {
			return nil, n, nil
		}
		f = f[:headerLen+l]
		if got, want := f[len(f)-1], checksum(f[5:len(f)-1]); got != want {
			return nil, n + len(f), fmt.Errorf("idcard: frame checksum 0x%02X, computed 0x%02X: %w", got, want, ErrChecksum)
		}
		return f[headerLen : len(f)-1], n + len(f), nil
	}
}

// decodeWhole checks that b is exactly one frame and returns its body.
func decodeWhole(b []byte, minLen int) ([]byte, error) {
	if len(b) < len(Preamble) || !bytes.Equal(b[:len(Preamble)], Preamble) {
		return nil, fmt.Errorf("idcard: decode frame: no preamble at start: %w", ErrBadFrame)
	}
	if len(b) < headerLen {
		return nil, fmt.Errorf("idcard: decode frame: %d bytes, header needs %d: %w", len(b), headerLen, ErrTruncated)
	}
	l := int(b[5])<<8 | int(b[6])
	if l < minLen || l > MaxLen {
		return nil, fmt.Errorf("idcard: decode frame: length %d out of range %d..%d: %w", l, minLen, MaxLen, ErrBadFrame)
	}
	if len(b) < headerLen+l {
		return nil, fmt.Errorf("idcard: decode frame: %d of %d bytes: %w", len(b), headerLen+l, ErrTruncated)
	}
	if len(b) > headerLen+l {
		return nil, fmt.Errorf("idcard: decode frame: %d bytes after the frame: %w", len(b)-headerLen-l, ErrBadFrame)
	}
	body, _, err := NextFrame(b, minLen)
	if err != nil {
		return nil, fmt.Errorf("idcard: decode frame: %w", err)
	}
	return body, nil
}

// DecodeResponse decodes b, which must be exactly one response frame.
// Errors wrap ErrBadFrame, ErrTruncated or ErrChecksum.
func DecodeResponse(b []byte) (Response, error) {
	body, err := decodeWhole(b, minResponseLen)
	if err != nil {
		return Response{}, err
	}
	return responseOf(body), nil
}

// DecodeRequest decodes b, which must be exactly one request frame.
func DecodeRequest(b []byte) (Request, error) {
	body, err := decodeWhole(b, minRequestLen)
	if err != nil {
		return Request{}, err
	}
	return requestOf(body), nil
}

// NextResponse is NextFrame for responses, decoding the body.
func NextResponse(b []byte) (r Response, n int, ok bool, err error) {
	body, n, err := NextFrame(b, minResponseLen)
	if err != nil || body == nil {
		return Response{}, n, false, err
	}
	return responseOf(body), n, true, nil
}

// NextRequest is NextFrame for requests, decoding the body.
func NextRequest(b []byte) (r Request, n int, ok bool, err error) {
	body, n, err := NextFrame(b, minRequestLen)
	if err != nil || body == nil {
		return Request{}, n, false, err
	}
	return requestOf(body), n, true, nil
}

func responseOf(body []byte) Response {
	return Response{SW1: body[0], SW2: body[1], SW3: body[2], Data: body[3:]}
}

func requestOf(body []byte) Request {
	return Request{Command: Command{body[0], body[1]}, Data: body[2:]}
}
