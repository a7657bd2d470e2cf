package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/pty"
)

func TestCardWatch(t *testing.T) {
	master, path, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	hold, err := pty.HoldSlave(path)
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done; hold.Close(); master.Close() })
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = sim.SetCard(simCard)
		time.Sleep(500 * time.Millisecond)
		sim.RemoveCard()
	}()

	var out, errb bytes.Buffer
	code := Main(t.Context(), []string{"card", "watch", "--port", path, "--poll", "30ms", "--for", "1500ms"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var events []string
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var l watchLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON line: %q: %v", sc.Text(), err)
		}
		if l.Event == "card-read" && (l.Card == nil || *l.Card != simCard) {
			t.Fatalf("card-read carries %+v", l.Card)
		}
		if l.Event != "error" { // a read racing the removal may fail (SW3 41)
			events = append(events, l.Event)
		}
	}
	if got := strings.Join(events, " "); got != "card-inserted card-read card-removed" {
		t.Fatalf("events %q\n%s", got, out.String())
	}
	if strings.Contains(out.String(), samsim.PhotoMarker()) || strings.Contains(errb.String(), simCard.Number) {
		t.Fatal("photo on stdout or number in the log")
	}
}

func TestCardWatchUsage(t *testing.T) {
	for _, args := range [][]string{
		{"card", "watch"},
		{"card", "watch", "--port", "/x", "--poll", "0s"},
		{"card", "watch", "--port", "/x", "--remove-after", "0"},
		{"card", "watch", "--port", "/x", "extra"},
	} {
		var out, errb bytes.Buffer
		if code := Main(t.Context(), args, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage: creditctl card watch") {
			t.Errorf("%q: exit %d, %q", args, code, errb.String())
		}
	}
	// A port that does not exist: reader-lost with the zh/en message, then
	// it keeps retrying until --for passes.
	var out, errb bytes.Buffer
	if code := Main(t.Context(), []string{"card", "watch", "--port", "/nonexistent/ttyUSB7", "--for", "300ms"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), `"event":"reader-lost"`) || !strings.Contains(out.String(), "Cannot open the card reader port /nonexistent/ttyUSB7") ||
		strings.Count(out.String(), "reader-lost") != 1 {
		t.Fatalf("output %s", out.String())
	}
}
