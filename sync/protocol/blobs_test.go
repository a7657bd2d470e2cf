package protocol_test

import (
	"strings"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
)

func TestParseContentRange(t *testing.T) {
	const max = 1 << 20
	tests := []struct {
		in   string
		want protocol.ContentRange
		ok   bool
	}{
		{"bytes 0-65535/1000000", protocol.ContentRange{0, 65535, 1000000}, true},
		{"bytes 999999-999999/1000000", protocol.ContentRange{999999, 999999, 1000000}, true},
		{"bytes 0-0/1", protocol.ContentRange{0, 0, 1}, true},
		{"bytes 0-1048575/1048576", protocol.ContentRange{0, 1048575, 1048576}, true},
		{"bytes 0-1048576/1048577", protocol.ContentRange{}, false}, // over max
		{"bytes 10-9/100", protocol.ContentRange{}, false},          // first > last
		{"bytes 0-100/100", protocol.ContentRange{}, false},         // last = total
		{"bytes */100", protocol.ContentRange{}, false},             // unsatisfied form
		{"bytes 0-9/*", protocol.ContentRange{}, false},             // unknown total
		{"bytes -1-9/100", protocol.ContentRange{}, false},
		{"bytes +1-9/100", protocol.ContentRange{}, false},
		{"bytes 0 -9/100", protocol.ContentRange{}, false},
		{"items 0-9/100", protocol.ContentRange{}, false},
		{"bytes=0-9/100", protocol.ContentRange{}, false},
		{"bytes 0-9/100/5", protocol.ContentRange{}, false},
		{"bytes 0-9223372036854775807/9223372036854775807", protocol.ContentRange{}, false}, // 19 digits
		{"", protocol.ContentRange{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := protocol.ParseContentRange(tt.in, max)
			if (err == nil) != tt.ok || got != tt.want {
				t.Fatalf("ParseContentRange(%q) = %+v, %v; want %+v ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "Content-Range") {
				t.Errorf("error %q does not name the header", err)
			}
			if tt.ok && got.String() != tt.in {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-65535/1000000", "bytes 5-5/6", "bytes */10", "bytes 1-0/2", "bytes 00-01/02", "bytes 0-9/", "bytes 9999999999999999999-1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := protocol.ParseContentRange(s, 10<<20)
		if err != nil {
			return
		}
		if c.First < 0 || c.First > c.Last || c.Last >= c.Total || c.Total > 10<<20 || c.Len() < 1 {
			t.Fatalf("%q parsed to an impossible range %+v", s, c)
		}
		again, err := protocol.ParseContentRange(c.String(), 10<<20)
		if err != nil || again != c {
			t.Fatalf("%q → %q does not round-trip: %+v, %v", s, c.String(), again, err)
		}
	})
}

func TestValidSHA256(t *testing.T) {
	good := strings.Repeat("ab", 32)
	for _, tt := range []struct {
		s  string
		ok bool
	}{{good, true}, {strings.ToUpper(good), false}, {good[:62], false}, {good[:63] + "g", false}, {"", false}} {
		if protocol.ValidSHA256(tt.s) != tt.ok {
			t.Errorf("ValidSHA256(%q) != %v", tt.s, tt.ok)
		}
	}
}
