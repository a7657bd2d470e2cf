package report

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.key")
	k1, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	k2, err := LoadOrCreateKey(path)
	if err != nil {
		t.Fatal(err)
	}
	if !k1.Equal(k2) {
		t.Fatal("second load returned a different key")
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(path, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadOrCreateKey(path); err == nil || !strings.Contains(err.Error(), "chmod 600") {
			t.Errorf("world-readable key accepted: %v", err)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.key")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateKey(bad); err == nil {
		t.Error("garbage key file accepted")
	}
	if _, err := LoadOrCreateKey(filepath.Join(t.TempDir(), "no", "such", "dir", "k")); err == nil {
		t.Error("key created in a missing directory")
	}
}

func TestKeySetFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "keys.txt")
	a, b := testKey(t, 1), testKey(t, 2)
	pubA, pubB := a.Public().(ed25519.PublicKey), b.Public().(ed25519.PublicKey)
	for _, step := range []struct {
		pub    ed25519.PublicKey
		office string
	}{{pubA, "兰州市 城关区  发改局"}, {pubB, ""}, {pubA, "again"}} {
		if err := AppendPublicKey(path, step.pub, step.office); err != nil {
			t.Fatal(err)
		}
	}
	ks, err := LoadKeySet(path)
	if err != nil {
		t.Fatal(err)
	}
	if ks.Len() != 2 {
		t.Fatalf("%d keys, want 2 (no duplicates)", ks.Len())
	}
	got := ks.Keys()
	if !got[0].Public.Equal(pubA) || got[0].Office != "兰州市 城关区 发改局" || got[1].Office != "" {
		t.Errorf("keys %+v", got)
	}
	s, err := Sign(b, fixtureReport(t).Claims(1, 3600e9))
	if err != nil {
		t.Fatal(err)
	}
	if r := Verify(s.Text, ks, issued); r.Status != StatusValid {
		t.Errorf("key from file does not verify: %s", r.Status)
	}
}

func TestParseKeySetRejects(t *testing.T) {
	line := FormatKeyLine(testKey(t, 1).Public().(ed25519.PublicKey), "office")
	f := strings.Fields(line)
	otherKid := FormatKeyLine(testKey(t, 2).Public().(ed25519.PublicKey), "")[:16]
	tests := map[string]string{
		"one field":    f[0],
		"bad kid hex":  "zz" + f[0][2:] + " " + f[1],
		"short kid":    f[0][:8] + " " + f[1],
		"bad base64":   f[0] + " !!!!",
		"short key":    f[0] + " AAAA",
		"kid mismatch": otherKid + " " + f[1],
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseKeySet(strings.NewReader("# comment\n\n" + in + "\n")); err == nil || !strings.Contains(err.Error(), "line 3") {
				t.Fatalf("err = %v, want a line-3 error", err)
			}
		})
	}
	if ks, err := ParseKeySet(strings.NewReader("# only comments\n" + line + "\n")); err != nil || ks.Len() != 1 {
		t.Fatalf("good file: %v", err)
	}
}

func FuzzParseKeySet(f *testing.F) {
	f.Add(FormatKeyLine(testKey(f, 1).Public().(ed25519.PublicKey), "兰州市 城关区") + "\n# c\n\n")
	f.Add("zz AAAA\n")
	f.Add("0011223344556677 " + strings.Repeat("A", 44) + "\n")
	f.Fuzz(func(t *testing.T, s string) {
		ks, err := ParseKeySet(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, k := range ks.Keys() {
			if KeyID(k.Public) != k.KID || len(k.Public) != ed25519.PublicKeySize {
				t.Fatalf("accepted an inconsistent key %+v", k)
			}
		}
	})
}
