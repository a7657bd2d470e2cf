package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
)

var demoCard = credit.IDCard{Kind: credit.CardResident, Name: defaultName, Sex: "2", Ethnic: "01", Birth: "19850312",
	Address: "甘肃省兰州市城关区庆阳路100号", Number: defaultID, Authority: "兰州市公安局城关分局",
	ValidFrom: "20150601", ValidTo: "20350601"}

func TestParseScript(t *testing.T) {
	src := `# a day at the kiosk
card demo
wait 1.5s   # reading
card id=11010519491231002X name="李 四" to=长期
fault split garbage delay=10ms
card kind=foreign_2017
fault none
remove
unplug 2s
card kind=gat name=陈小文
loop
`
	acts, err := parseScript(strings.NewReader(src), demoCard)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind actionKind
		line int
	}{{actCard, 2}, {actWait, 3}, {actCard, 4}, {actFault, 5}, {actCard, 6}, {actFault, 7}, {actRemove, 8},
		{actUnplug, 9}, {actCard, 10}, {actLoop, 11}}
	if len(acts) != len(want) {
		t.Fatalf("%d actions, want %d: %+v", len(acts), len(want), acts)
	}
	for i, w := range want {
		if acts[i].kind != w.kind || acts[i].line != w.line {
			t.Errorf("action %d: kind %d line %d, want %d line %d", i, acts[i].kind, acts[i].line, w.kind, w.line)
		}
	}
	if acts[0].card != demoCard || acts[1].dur != 1500*time.Millisecond || acts[7].dur != 2*time.Second {
		t.Errorf("card demo / durations wrong: %+v %v %v", acts[0].card, acts[1].dur, acts[7].dur)
	}
	li := acts[2].card
	if li.Name != "李 四" || li.Number != "11010519491231002X" || li.Birth != "19491231" || li.Sex != "2" ||
		li.ValidTo != credit.LongTerm || li.Address != demoCard.Address {
		t.Errorf("card with fields: %+v", li)
	}
	if f := acts[3].faults; !f.Split || !f.Garbage || f.Delay != 10*time.Millisecond || f.BadChecksum {
		t.Errorf("faults %+v", f)
	}
	if acts[4].card.Kind != credit.CardForeign2017 || acts[8].card.Kind != credit.CardGAT || acts[8].card.Name != "陈小文" {
		t.Errorf("kinds: %+v / %+v", acts[4].card, acts[8].card)
	}
	if acts[5].faults != (samsim.Faults{}) {
		t.Errorf("fault none: %+v", acts[5].faults)
	}
}

func TestParseScriptErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"card demo\njump 3\n", "line 2: unknown action \"jump\""},
		{"wait\n", "line 1: wait takes 1 argument"},
		{"\n\nwait soon\n", "line 3: wait: \"soon\" is not a duration"},
		{"wait -1s\n", "line 1: wait"},
		{"wait 25h\n", "line 1: wait"},
		{"card id=620102198503120022\n", "line 1: card: "},
		{"card kind=passport\n", "line 1: card: unknown kind"},
		{"card colour=red\n", "line 1: card: unknown field"},
		{"card name=a name=b\n", "line 1: card: field name given twice"},
		{"card demo extra\n", "line 1: card: \"demo\" is not field=value"},
		{"card name=\"unterminated\n", "line 1: unterminated"},
		{"card name=\"a\"b\n", "line 1: text right after a closing quote"},
		{"card name=" + strings.Repeat("名", 16) + "\n", "line 1: card: "},
		{"fault\n", "line 1: fault needs"},
		{"fault sparks\n", "line 1: unknown fault"},
		{"fault none split\n", "line 1: fault none cannot be combined"},
		{"fault delay=2m\n", "line 1: fault \"delay=2m\""},
		{"remove now\n", "line 1: remove takes 0"},
		{"card demo\nloop\n", "line 2: loop without a wait"},
		{"unplug 0s\nloop\n", "line 2: loop without a wait"},
	}
	for _, tt := range tests {
		_, err := parseScript(strings.NewReader(tt.src), demoCard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want it to contain %q", tt.src, err, tt.want)
		}
	}
}

func FuzzParseScript(f *testing.F) {
	for _, s := range []string{"card demo\nwait 1s\nremove\nloop\n", "card id=11010519491231002X name=\"李 四\" to=长期",
		"fault split garbage delay=5ms", "unplug 2s", "# only a comment", "card kind=gat", "card name=\"\\u4e00\"",
		"card kind=foreign_2023 name=\"A, B\"", "wait 1h\nloop", "\"\"\"", "card =", "fault delay="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		acts, err := parseScript(strings.NewReader(src), demoCard)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "script") {
				t.Fatalf("error without a line number: %v", err)
			}
			return
		}
		waited := false
		for _, a := range acts {
			if a.line < 1 || a.kind < actCard || a.kind > actLoop {
				t.Fatalf("bad action %+v", a)
			}
			switch a.kind {
			case actCard:
				if _, err := idcard.CheckCard(a.card); err != nil {
					t.Fatalf("line %d: card that the reader would refuse: %v", a.line, err)
				}
				if _, err := idcard.EncodeText(a.card); err != nil {
					t.Fatalf("line %d: card that does not fit: %v", a.line, err)
				}
			case actWait, actUnplug:
				waited = waited || a.dur > 0
			case actLoop:
				if !waited {
					t.Fatal("loop that spins")
				}
			}
		}
	})
}

// TestScriptDrivesTheDriver runs a script in cardsim against the real
// driver (tarm/serial on the pty, through --link) and checks what the
// Watcher sees: insert, read, removal, an unplug (lost, back) and reads
// after it, split frames and garbage on the line included.
func TestScriptDrivesTheDriver(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "credit-idcard")
	script := filepath.Join(dir, "day.cardsim")
	src := `fault split garbage
wait 200ms
card demo
wait 500ms
remove
wait 400ms
card kind=gat
wait 400ms
unplug 400ms
wait 500ms
card id=11010519491231002X name=李四
`
	if err := os.WriteFile(script, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	startSim(t, "--script", script, "--link", link)

	ev := make(chan idcard.Event, 64)
	w := idcard.NewWatcher(idcard.WatchConfig{
		Open:   idcard.SerialOpener(link, idcard.DefaultBaud),
		Reader: idcard.Config{StatusTimeout: 300 * time.Millisecond, FindTimeout: 300 * time.Millisecond, SelectTimeout: 300 * time.Millisecond},
		Poll:   20 * time.Millisecond, BackoffMin: 20 * time.Millisecond, BackoffMax: 100 * time.Millisecond,
	}, func(e idcard.Event) { ev <- e })
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	defer func() { cancel(); <-done }()

	gat := defaultCards[credit.CardGAT]
	want := []struct {
		kind   idcard.EventKind
		number string
	}{
		{idcard.CardInserted, ""}, {idcard.CardRead, defaultID}, {idcard.CardRemoved, ""},
		{idcard.CardInserted, ""}, {idcard.CardRead, gat.Number},
		{idcard.CardRemoved, ""}, {idcard.ReaderLost, ""}, {idcard.ReaderBack, ""},
		{idcard.CardInserted, ""}, {idcard.CardRead, gat.Number},
		{idcard.CardRemoved, ""}, {idcard.CardInserted, ""}, {idcard.CardRead, "11010519491231002X"},
	}
	for i, w := range want {
		var e idcard.Event
		select {
		case e = <-ev:
			for e.Kind == idcard.WatchError { // a card taken off mid-read (SW3 41): timing, not a fault
				select {
				case e = <-ev:
				case <-ctx.Done():
					t.Fatalf("event %d: none within the bound, want %v", i, w.kind)
				}
			}
			if e.Kind != w.kind || e.Card.Number != w.number {
				t.Fatalf("event %d: %v %q (err %v), want %v %q", i, e.Kind, e.Card.Number, e.Err, w.kind, w.number)
			}
		case <-ctx.Done():
			t.Fatalf("event %d: none within the bound, want %v", i, w.kind)
		}
	}
	t.Logf("script played through in %v", time.Since(start).Round(time.Millisecond))
}

func TestScriptFlagErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad")
	if err := os.WriteFile(bad, []byte("card demo\nexplode\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	noLink := filepath.Join(dir, "unplug")
	if err := os.WriteFile(noLink, []byte("unplug 10ms\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args  []string
		stdin string
		code  int
		msg   string
	}{
		{[]string{"--script", bad}, "", 2, "line 2: unknown action \"explode\""},
		{[]string{"--script", filepath.Join(dir, "missing")}, "", 2, "--script"},
		{[]string{"--script", "-"}, "wait\n", 2, "-: script line 1: wait takes 1 argument"},
		{[]string{"--script", noLink}, "", 1, "unplug needs --link"},
	}
	for _, tt := range tests {
		var out, errb strings.Builder
		code := run(t.Context(), tt.args, strings.NewReader(tt.stdin), &out, &errb, nil)
		if code != tt.code || !strings.Contains(errb.String(), tt.msg) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, errb.String(), tt.code, tt.msg)
		}
	}
}
