package cli

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestDispatch(t *testing.T) {
	var got []string
	cmds := map[string]Command{
		"b": {"B things", func(_ context.Context, args []string, _, _ io.Writer) int { got = args; return 7 }},
		"a": {"A things", nil},
	}
	tests := []struct {
		args    []string
		code    int
		wantErr string
	}{
		{nil, 2, "usage: prog <command>"},
		{[]string{"--help"}, 0, "  a          A things\n  b          B things"},
		{[]string{"nope"}, 2, `prog: unknown command "nope"`},
		{[]string{"b", "--x", "1"}, 7, ""},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		if code := Dispatch(t.Context(), "prog", cmds, tt.args, io.Discard, &stderr); code != tt.code || !strings.Contains(stderr.String(), tt.wantErr) {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr.String())
		}
	}
	if strings.Join(got, " ") != "--x 1" {
		t.Errorf("command got args %q", got)
	}
}
