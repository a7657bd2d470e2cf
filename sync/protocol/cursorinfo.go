package protocol

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxCursorBytes bounds a cursor a client or server will look into.
const MaxCursorBytes = 512

// CursorInfo is the readable part of a change cursor: the epoch it was
// minted in and the change-log seq it stands at. The platform signs the
// cursor; a client can read these fields but never verify them, so it
// uses them only to refuse what cannot be right (a page that would move
// its cursor back, or one from another epoch), never to trust a page.
type CursorInfo struct {
	Epoch string
	Seq   int64
}

// ErrBadCursor is wrapped by PeekCursor's errors.
var ErrBadCursor = errors.New("protocol: unreadable cursor")

// PeekCursor reads the epoch and seq of a cursor, base64url(JSON
// {"v":1,"e":epoch,"s":seq}) "." base64url(MAC), without checking the MAC.
// The empty cursor (before the first sync) is the zero CursorInfo.
func PeekCursor(c string) (CursorInfo, error) {
	if c == "" {
		return CursorInfo{}, nil
	}
	if len(c) > MaxCursorBytes {
		return CursorInfo{}, fmt.Errorf("%w: longer than %d bytes", ErrBadCursor, MaxCursorBytes)
	}
	payload, _, ok := strings.Cut(c, ".")
	if !ok {
		return CursorInfo{}, fmt.Errorf("%w: no signature part", ErrBadCursor)
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return CursorInfo{}, fmt.Errorf("%w: %w", ErrBadCursor, err)
	}
	var w struct {
		V     int    `json:"v"`
		Epoch string `json:"e"`
		Seq   int64  `json:"s"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return CursorInfo{}, fmt.Errorf("%w: %w", ErrBadCursor, err)
	}
	if w.V != 1 || w.Epoch == "" || w.Seq < 0 {
		return CursorInfo{}, fmt.Errorf("%w: version %d, epoch %q, seq %d", ErrBadCursor, w.V, w.Epoch, w.Seq)
	}
	return CursorInfo{Epoch: w.Epoch, Seq: w.Seq}, nil
}
