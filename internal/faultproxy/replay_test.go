package faultproxy

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

// TestReplay: a Replay serves an answer recorded earlier for the same
// method and path, picked by ReplayOf, without reaching the server; with
// nothing recorded the request goes through.
func TestReplay(t *testing.T) {
	var hits atomic.Int32
	us := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := hits.Add(1)
		w.Header().Set("X-Answer", fmt.Sprint(n))
		fmt.Fprintf(w, "answer %d to %s", n, r.URL.RawQuery)
	}))
	defer us.Close()
	p := New(us.URL, 1)
	defer p.Close()
	ps := httptest.NewServer(p)
	defer ps.Close()

	// Nothing recorded yet for /other: a Replay forwards.
	p.Script(Rule{Path: "/other", Fault: Fault{Action: Replay}})
	if _, b, err := get(t, ps.URL+"/other?x"); err != nil || string(b) != "answer 1 to x" {
		t.Fatalf("replay without history: %q, %v", b, err)
	}
	p.Script()
	for _, q := range []string{"a", "b", "c"} {
		if _, _, err := get(t, ps.URL+"/page?"+q); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name     string
		replayOf int
		want     string
	}{
		{"latest", 0, "answer 4 to c"},
		{"one before the latest", -1, "answer 3 to b"},
		{"the oldest", 1, "answer 2 to a"},
		{"second", 2, "answer 3 to b"},
		{"beyond the history: forwarded", 9, "answer 5 to d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.Script(Rule{Method: "GET", Path: "/page", Times: 1, Fault: Fault{Action: Replay, ReplayOf: tt.replayOf}})
			resp, b, err := get(t, ps.URL+"/page?d")
			if err != nil || string(b) != tt.want {
				t.Fatalf("got %q, %v; want %q", b, err, tt.want)
			}
			if want := tt.want[len("answer "):][:1]; resp.Header.Get("X-Answer") != want {
				t.Errorf("headers of answer %s, want those of %s", resp.Header.Get("X-Answer"), want)
			}
		})
	}
	if n := hits.Load(); n != 5 {
		t.Errorf("the server saw %d requests, want 5 (replays never reach it)", n)
	}
	replays := 0
	for _, e := range p.Events() {
		if e.Action == Replay {
			replays++
		}
	}
	if replays != 4 {
		t.Errorf("%d replays logged, want 4", replays)
	}
}
