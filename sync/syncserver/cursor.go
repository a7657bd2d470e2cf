package syncserver

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// cursorVersion is the format version inside a cursor.
const cursorVersion = 1

// maxCursorLen bounds what decodeCursor will look at.
const maxCursorLen = 512

// cursor is the plain content of an opaque cursor: the change-log position
// a device has applied, in the server's current epoch, for its scope.
type cursor struct {
	V     int    `json:"v"`
	Epoch string `json:"e"`
	Seq   int64  `json:"s"`
	// Scope is the hash of the device's scope the cursor was minted for
	// (scope.go); empty for the whole province.
	Scope string `json:"sc,omitempty"`
}

var (
	errBadCursor    = errors.New("bad cursor")
	errEpochChanged = errors.New("cursor from another epoch")
)

// cursorMAC binds the payload to this server's key and to the device, so a
// cursor minted for another device or by another server is refused.
func cursorMAC(key []byte, device, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("credit-sync-cursor\x00"))
	m.Write([]byte(device))
	m.Write([]byte{0})
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

// encodeCursor returns base64url(JSON) "." base64url(HMAC).
func encodeCursor(key []byte, device string, c cursor) string {
	b, _ := json.Marshal(c) // a struct of ints and a string always marshals
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(cursorMAC(key, device, payload))
}

// decodeCursor verifies and opens a cursor. A well-signed cursor of
// another epoch wraps errEpochChanged; every other failure wraps
// errBadCursor.
func decodeCursor(key []byte, device, epoch, s string) (cursor, error) {
	var c cursor
	if len(s) > maxCursorLen {
		return c, fmt.Errorf("cursor longer than %d bytes: %w", maxCursorLen, errBadCursor)
	}
	payload, sig, ok := strings.Cut(s, ".")
	if !ok {
		return c, fmt.Errorf("cursor has no signature: %w", errBadCursor)
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, cursorMAC(key, device, payload)) {
		return c, fmt.Errorf("cursor signature does not verify: %w", errBadCursor)
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return c, fmt.Errorf("cursor payload: %w: %w", err, errBadCursor)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("cursor payload: %w: %w", err, errBadCursor)
	}
	switch {
	case c.V != cursorVersion:
		return c, fmt.Errorf("cursor version %d: %w", c.V, errBadCursor)
	case c.Seq < 0:
		return c, fmt.Errorf("cursor seq %d: %w", c.Seq, errBadCursor)
	case c.Epoch != epoch:
		return c, errEpochChanged
	}
	return c, nil
}
