package syncserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
)

func newHTTPServer(t *testing.T, s *Server) string {
	t.Helper()
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// feedLines returns the raw op lines of type typ on a page (the page
// decoder skips types it does not know).
func feedLines(t *testing.T, page []byte, typ string) []protocol.Line {
	t.Helper()
	var out []protocol.Line
	sc := bufio.NewScanner(bytes.NewReader(page))
	sc.Buffer(nil, 8<<20)
	for sc.Scan() {
		var l protocol.Line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		if l.T == typ {
			out = append(out, l)
		}
	}
	return out
}
