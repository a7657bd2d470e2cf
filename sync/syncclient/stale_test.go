package syncclient

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func testCursor(epoch string, seq int64) string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"v":1,"e":%q,"s":%d}`, epoch, seq)) + ".bWFj"
}

func TestCheckNotStale(t *testing.T) {
	ops := func(seqs ...int64) []credit.Change {
		var cs []credit.Change
		for _, s := range seqs {
			cs = append(cs, credit.Change{Op: credit.OpDel, Type: credit.TypeRecord, ID: fmt.Sprint("R", s), Seq: s})
		}
		return cs
	}
	tests := []struct {
		name  string
		cur   string
		page  protocol.Page
		stale bool
	}{
		{"first sync: nothing to compare", "", protocol.Page{Next: testCursor("e1", 5), Changes: ops(1, 5)}, false},
		{"next page", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 20), Changes: ops(11, 20)}, false},
		{"caught up, cursor stays", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 10)}, false},
		{"replayed older page", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 8), Changes: ops(3, 8)}, true},
		{"old empty page", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 9)}, true},
		{"op at the cursor's seq", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 12), Changes: ops(10, 12)}, true},
		{"quarantined op below the cursor", testCursor("e1", 10), protocol.Page{Next: testCursor("e1", 12), Changes: ops(12),
			Quarantined: []protocol.Quarantined{{Seq: 4, Type: "record", ID: "x"}}}, true},
		{"page of another epoch", testCursor("e1", 10), protocol.Page{Next: testCursor("e0", 50), Changes: ops(50)}, true},
		{"unreadable stored cursor is not judged", "opaque", protocol.Page{Next: testCursor("e1", 1), Changes: ops(1)}, false},
		{"unreadable next cursor: ops still checked", testCursor("e1", 10), protocol.Page{Next: "opaque", Changes: ops(9)}, true},
		{"unreadable next cursor, fresh ops", testCursor("e1", 10), protocol.Page{Next: "opaque", Changes: ops(11)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkNotStale(tt.cur, &tt.page)
			if (err != nil) != tt.stale {
				t.Fatalf("checkNotStale = %v, want stale=%v", err, tt.stale)
			}
			if err != nil && !errors.Is(err, errStale) {
				t.Errorf("%v does not wrap errStale", err)
			}
		})
	}
}

func TestLostByRestore(t *testing.T) {
	for reason, want := range map[string]bool{
		protocol.ReasonEpochChanged: true, protocol.ReasonCursorAhead: true, protocol.ReasonSnapshotGone: true,
		protocol.ReasonCursorExpired: false, protocol.ReasonBadCursor: false, "": false,
	} {
		if got := lostByRestore(reason); got != want {
			t.Errorf("lostByRestore(%q) = %v, want %v", reason, got, want)
		}
	}
}
