package syncserver

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/gansu-credit/credit/sync/protocol"
)

func hello(t *testing.T, c client) protocol.Hello {
	t.Helper()
	resp, b := c.do("GET", protocol.PathHello, nil, nil)
	var h protocol.Hello
	if resp.StatusCode != 200 || json.Unmarshal(b, &h) != nil {
		t.Fatalf("hello: %d %s", resp.StatusCode, b)
	}
	return h
}

// TestBackupRestore: a restore brings back the backup's data, rotates the
// epoch and makes hello announce where the backup ended, so devices can
// tell which receipts were lost (sync.md §3 F10).
func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	path, backup := filepath.Join(dir, "srv.db"), filepath.Join(dir, "backup.db")
	s := openServer(t, path, 0)
	ss, rs := subjectsAndRecords(3)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	c := client{t, hs.URL, tokA}
	before := hello(t, c)
	if before.Epoch == "" || before.RestoredFromSeq != 0 || before.RestoredFromEpoch != "" {
		t.Fatalf("hello of a never restored platform: %+v", before)
	}
	if err := s.Backup(t.Context(), backup); err != nil {
		t.Fatal(err)
	}
	if err := s.Backup(t.Context(), backup); err == nil {
		t.Error("a backup overwrote an existing file")
	}
	// After the backup: an application and a withdrawal the restore loses.
	rc, _, err := s.receive(t.Context(), "kiosk-a", "objection", "app-lost", []byte(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawRecord(t.Context(), "RS001", "withdrawn"); err != nil {
		t.Fatal(err)
	}
	p, _, _ := c.page("", 0)
	hs.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	info, err := Restore(t.Context(), path, backup)
	if err != nil {
		t.Fatal(err)
	}
	if info.FromSeq != before.HeadSeq || info.FromEpoch != before.Epoch || info.Epoch == before.Epoch || rc.ServerSeq <= info.FromSeq {
		t.Fatalf("restore info %+v; hello before %+v; lost receipt seq %d", info, before, rc.ServerSeq)
	}
	if _, err := os.Stat(path + ".restore"); !os.IsNotExist(err) {
		t.Errorf("temporary copy left behind: %v", err)
	}
	s = openServer(t, path, 0)
	hs = httptest.NewServer(s.Handler())
	defer hs.Close()
	c = client{t, hs.URL, tokA}
	after := hello(t, c)
	if after.Epoch != info.Epoch || after.RestoredFromSeq != info.FromSeq || after.RestoredFromEpoch != before.Epoch || after.HeadSeq != before.HeadSeq {
		t.Errorf("hello after the restore: %+v, want epoch %s restored from %d/%s", after, info.Epoch, info.FromSeq, before.Epoch)
	}
	apps, err := s.Applications(t.Context())
	if err != nil || len(apps) != 0 {
		t.Errorf("applications after restoring a backup taken before them: %d, %v", len(apps), err)
	}
	if r := resyncReason(t, c, protocol.PathChanges+"?cursor="+url.QueryEscape(p.Next)); r != protocol.ReasonEpochChanged {
		t.Errorf("a cursor of the lost epoch: reason %q, want %s", r, protocol.ReasonEpochChanged)
	}
	// A cursor reads back as the epoch and seq it was minted with.
	ci, err := protocol.PeekCursor(p.Next)
	if err != nil || ci.Epoch != before.Epoch || ci.Seq < rc.ServerSeq {
		t.Errorf("PeekCursor = %+v, %v; want epoch %s, seq ≥ %d", ci, err, before.Epoch, rc.ServerSeq)
	}

	// Bad input: a missing backup and a file that is not a platform
	// database leave the platform as it is.
	junk := filepath.Join(dir, "junk.db")
	if err := os.WriteFile(junk, []byte("not sqlite"), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	for _, b := range []string{filepath.Join(dir, "missing.db"), junk} {
		if _, err := Restore(t.Context(), other, b); err == nil {
			t.Errorf("restore from %s succeeded", filepath.Base(b))
		}
		if _, err := os.Stat(other); !os.IsNotExist(err) {
			t.Errorf("a failed restore from %s created the database", filepath.Base(b))
		}
	}
}
