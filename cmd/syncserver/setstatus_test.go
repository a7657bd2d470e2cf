package main

import (
	"strings"
	"testing"
)

// TestSetStatusCommand: `syncserver set-status` goes through the
// application lifecycle: an illegal move is refused with both statuses
// named and nothing changes; legal moves go one step at a time.
func TestSetStatusCommand(t *testing.T) {
	db, obj, rest, _ := platformWithApplications(t)
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"jump to corrected", []string{"--id", obj, "--status", "corrected"}, 1, "", "This objection is received by the platform; it cannot become corrected."},
		{"close undecided", []string{"--id", obj, "--status", "closed"}, 1, "", "cannot become closed"},
		{"objection status on a restoration", []string{"--id", rest, "--status", "labelled"}, 1, "", "cannot become labelled"},
		{"label", []string{"--id", obj, "--status", "labelled", "--officer", "OFF-2"}, 0, "is now labelled", ""},
		{"label twice", []string{"--id", obj, "--status", "labelled"}, 1, "", "cannot become labelled"},
		{"review", []string{"--id", obj, "--status", "under_review"}, 0, "is now under_review", ""},
		{"not corrected without reasons", []string{"--id", obj, "--status", "not_corrected"}, 1, "", "Written reasons"},
		{"not corrected", []string{"--id", obj, "--status", "not_corrected", "--note", "经核查无误。"}, 0, "is now not_corrected", ""},
		{"accept restoration", []string{"--id", rest, "--status", "accepted"}, 0, "is now accepted", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, append([]string{"set-status", "--db", db}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Fatalf("exit %d (want %d)\nstdout: %s\nstderr: %s", code, tt.code, out, errs)
			}
		})
	}
	_, out, _ := run(t, "status", "--db", db)
	if !strings.Contains(out, obj+"\tobjection\tKIOSK-1\tnot_corrected") || !strings.Contains(out, rest+"\trestoration\tKIOSK-1\taccepted") {
		t.Fatalf("status after the moves:\n%s", out)
	}
}
