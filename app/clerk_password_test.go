package app_test

import (
	"strings"
	"testing"

	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

func TestHashPasswordRoundTrip(t *testing.T) {
	h, err := app.HashPassword(apptest.FastArgon2, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("not a PHC argon2id string: %s", h)
	}
	h2, _ := app.HashPassword(apptest.FastArgon2, "correct horse")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		pw   string
		want bool
	}{
		{"correct horse", true},
		{"correct hors", false},
		{"Correct horse", false},
		{"", false},
	}
	for _, tt := range tests {
		ok, err := app.VerifyPassword(h, tt.pw)
		if err != nil || ok != tt.want {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", tt.pw, ok, err, tt.want)
		}
	}
	p, salt, key, err := app.ParsePasswordHash(h)
	if err != nil || p != apptest.FastArgon2 || len(salt) != 16 || len(key) != 32 {
		t.Errorf("ParsePasswordHash = %+v, %d, %d, %v", p, len(salt), len(key), err)
	}
}

func TestDefaultArgon2IsRFC9106Second(t *testing.T) {
	p := app.DefaultArgon2
	if p.Memory != 64*1024 || p.Time != 3 || p.Threads != 4 || p.SaltLen != 16 || p.KeyLen != 32 {
		t.Errorf("DefaultArgon2 = %+v", p)
	}
}

var badHashes = []string{
	"",
	"plain",
	"$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=16$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=0,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=1,p=300$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=1,p=1,x=2$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=+64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=1,p=1$c2Fsd$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5",
	"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5",
	"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$!!!",
	"$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5$",
}

func TestBadHashNeverMatches(t *testing.T) {
	for _, h := range badHashes {
		ok, err := app.VerifyPassword(h, "anything")
		if ok || err == nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want an error", h, ok, err)
		}
	}
}

func FuzzParsePasswordHash(f *testing.F) {
	good, _ := app.HashPassword(apptest.FastArgon2, "seed password")
	f.Add(good)
	for _, h := range badHashes {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := app.ParsePasswordHash(s)
		if err != nil {
			return
		}
		if p.Memory > 1<<20 || p.Time == 0 || p.Time > 64 || p.Threads == 0 || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("accepted out-of-range hash %q: %+v", s, p)
		}
	})
}

// BenchmarkVerifyPasswordDefault is the cost of one login check at the
// production parameters (RFC 9106 second option).
func BenchmarkVerifyPasswordDefault(b *testing.B) {
	h, err := app.HashPassword(app.DefaultArgon2, "correct horse")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _ := app.VerifyPassword(h, "correct horse"); !ok {
			b.Fatal("no match")
		}
	}
}
