package protocol

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseRemaining(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{"", -1}, {"0", 0}, {" 42 ", 42}, {"-1", -1}, {"+3", -1}, {"1.5", -1}, {"x", -1},
		{"99999999999999999999", -1}, {FormatRemaining(123456), 123456}, {FormatRemaining(-5), 0},
	}
	for _, tt := range tests {
		if got := ParseRemaining(tt.in); got != tt.want {
			t.Errorf("ParseRemaining(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func FuzzParseRemaining(f *testing.F) {
	for _, s := range []string{"", "0", "17", "-1", "+1", "1e3", "00012", "１２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := ParseRemaining(s)
		if n < -1 || n > maxRemaining {
			t.Fatalf("ParseRemaining(%q) = %d", s, n)
		}
		if n >= 0 && ParseRemaining(FormatRemaining(n)) != n {
			t.Fatalf("%d does not round-trip", n)
		}
	})
}

// TestAckReplyDeletionLag: the lag is additive — an older server's answer
// decodes with no lag, a newer one with its count and age.
func TestAckReplyDeletionLag(t *testing.T) {
	var old AckReplyV1
	if err := json.Unmarshal([]byte(`{"acked_seq":7}`), &old); err != nil || old.DeletionLag != nil || old.AckedSeq != 7 {
		t.Fatalf("old answer: %+v %v", old, err)
	}
	b, _ := json.Marshal(AckReplyV1{AckedSeq: 9, DeletionLag: &DeletionLagV1{Waiting: 2, OldestS: 7200}})
	var r AckReplyV1
	if err := json.Unmarshal(b, &r); err != nil || r.DeletionLag == nil || r.DeletionLag.Waiting != 2 || r.DeletionLag.Age() != 2*time.Hour {
		t.Fatalf("%s → %+v %v", b, r, err)
	}
}
