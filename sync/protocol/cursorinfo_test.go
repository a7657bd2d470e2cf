package protocol

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func cursorOf(payload string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
}

func TestPeekCursor(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want CursorInfo
		ok   bool
	}{
		{"empty is the start", "", CursorInfo{}, true},
		{"well formed", cursorOf(`{"v":1,"e":"ab12","s":42}`), CursorInfo{Epoch: "ab12", Seq: 42}, true},
		{"seq zero", cursorOf(`{"v":1,"e":"ab12","s":0}`), CursorInfo{Epoch: "ab12"}, true},
		{"no signature part", base64.RawURLEncoding.EncodeToString([]byte(`{"v":1,"e":"x","s":1}`)), CursorInfo{}, false},
		{"not base64", "%%%.sig", CursorInfo{}, false},
		{"not json", cursorOf(`hello`), CursorInfo{}, false},
		{"other version", cursorOf(`{"v":2,"e":"x","s":1}`), CursorInfo{}, false},
		{"no epoch", cursorOf(`{"v":1,"s":1}`), CursorInfo{}, false},
		{"negative seq", cursorOf(`{"v":1,"e":"x","s":-1}`), CursorInfo{}, false},
		{"too long", cursorOf(`{"v":1,"e":"` + strings.Repeat("x", 600) + `","s":1}`), CursorInfo{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PeekCursor(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("PeekCursor = %+v, %v; want %+v, ok=%v", got, err, tt.want, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrBadCursor) {
				t.Errorf("error %v does not wrap ErrBadCursor", err)
			}
		})
	}
}

func FuzzPeekCursor(f *testing.F) {
	for _, s := range []string{"", cursorOf(`{"v":1,"e":"ab","s":7}`), "a.b", cursorOf(`{"v":1,"e":"","s":-3}`), "..."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ci, err := PeekCursor(s)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) || ci != (CursorInfo{}) {
				t.Fatalf("error %v with info %+v", err, ci)
			}
			return
		}
		if ci.Seq < 0 || (s != "" && ci.Epoch == "") {
			t.Fatalf("accepted %q as %+v", s, ci)
		}
	})
}
