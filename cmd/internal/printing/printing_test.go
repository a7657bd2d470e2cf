package printing

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/report"
	"github.com/gansu-credit/credit/cmd/internal/devicesync"
)

// printSystem stands for lp: it takes a spooled file (copying it out, as
// CUPS does) or refuses it while down.
type printSystem struct {
	mu     sync.Mutex
	down   bool
	got    []string // printer of each accepted job
	copies [][]byte
}

func (s *printSystem) submit(_ context.Context, printer, _, file string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down {
		return "", credit.Errorf(credit.EUNAVAILABLE, "打印机未就绪。", "The printer is not ready.")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	s.got, s.copies = append(s.got, printer), append(s.copies, b)
	return printer + "-1", nil
}

func spooled(t *testing.T, dir string) int {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	return len(m)
}

func TestChosen(t *testing.T) {
	dir := t.TempDir()
	sys := &printSystem{}
	dest := "Office_A4"
	c := &Chosen{Dest: func(context.Context) (string, error) { return dest, nil }, SpoolDir: dir, Submit: sys.submit, Logger: slog.New(slog.DiscardHandler)}
	first, second := []byte("%PDF-1.4 first"), []byte("%PDF-1.4 second")

	steps := []struct {
		name    string
		down    bool
		dest    string
		title   string
		pdf     []byte
		wantErr bool
		restart bool   // the program restarts after this step
		spool   int    // PDFs left in the spool
		printed []byte // what the print system got last
	}{
		{name: "refused and kept", down: true, dest: "Office_A4", title: "回执 A", pdf: first, wantErr: true, spool: 1},
		{name: "again while down keeps one copy", down: true, dest: "Office_A4", title: "回执 A", pdf: second, wantErr: true, spool: 1},
		{name: "print again sends the kept copy", dest: "Office_A4", title: "回执 A", pdf: second, spool: 0, printed: first},
		{name: "the chosen printer changes at once", dest: "Hall_A4", title: "回执 B", pdf: second, spool: 0, printed: second},
		{name: "not a PDF", dest: "Hall_A4", title: "回执 C", pdf: []byte("text"), wantErr: true, spool: 0},
		{name: "refused before a restart", down: true, dest: "Hall_A4", title: "报告 D", pdf: first, wantErr: true, restart: true, spool: 1},
		{name: "after the restart the kept copy prints", dest: "Hall_A4", title: "报告 D", pdf: second, spool: 0, printed: first},
	}
	for _, st := range steps {
		sys.mu.Lock()
		sys.down = st.down
		sys.mu.Unlock()
		dest = st.dest
		job, err := c.PrintPDF(t.Context(), st.title, st.pdf)
		if (err != nil) != st.wantErr {
			t.Fatalf("%s: job %q err %v", st.name, job, err)
		}
		if n := spooled(t, dir); n != st.spool {
			t.Fatalf("%s: %d PDFs in the spool, want %d", st.name, n, st.spool)
		}
		if st.restart {
			c = &Chosen{Dest: c.Dest, SpoolDir: dir, Submit: sys.submit}
		}
		if st.printed != nil {
			if got := sys.copies[len(sys.copies)-1]; string(got) != string(st.printed) || sys.got[len(sys.got)-1] != st.dest || job != st.dest+"-1" {
				t.Fatalf("%s: printed %q on %q (job %q)", st.name, got, sys.got[len(sys.got)-1], job)
			}
		}
	}
}

// memTrust is a trust store in memory.
type memTrust struct {
	seq    uint64
	signed []byte
}

func (m *memTrust) TrustList(context.Context) (uint64, []byte, error) { return m.seq, m.signed, nil }
func (m *memTrust) SaveTrustList(_ context.Context, seq uint64, b []byte) (bool, error) {
	m.seq, m.signed = seq, b
	return true, nil
}
func (m *memTrust) AddTrustRoot(context.Context, []byte) error   { return nil }
func (m *memTrust) TrustRoots(context.Context) ([][]byte, error) { return nil, nil }

// TestSigner: the key signs until a synced trust list leaves it out.
func TestSigner(t *testing.T) {
	now := time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)
	path := filepath.Join(t.TempDir(), "office.sign.key")
	rootPub, root, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	trust := devicesync.NewTrust(&memTrust{}, []ed25519.PublicKey{rootPub}, report.KeySet{}, nil)
	if err := trust.Open(t.Context()); err != nil {
		t.Fatal(err)
	}
	s, pub, err := Signer(path, trust, func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	claims := report.Claims{ReportID: "X", IssuedAt: now, Expires: now.Add(time.Hour), Type: report.LegalPersonReport, SubjectName: "兰州黄河商贸有限公司", SubjectIDDisplay: "91620102710000001T", Pages: 1}
	if _, err := report.Sign(s, claims); err != nil {
		t.Fatalf("no list held yet: %v", err)
	}
	other, _, _ := ed25519.GenerateKey(nil)
	tl := &report.TrustList{Seq: 1, IssuedAt: now, NextUpdate: now.Add(24 * time.Hour),
		Keys: []report.ListKey{{Public: other, OfficeName: "别处", Status: report.KeyActive, SignFrom: now.Add(-time.Hour), StatusAt: now.Add(-time.Hour)}}}
	signed, err := report.SignTrustList(tl, root)
	if err != nil {
		t.Fatal(err)
	}
	if err := trust.SaveTrustList(t.Context(), signed); err != nil {
		t.Fatal(err)
	}
	if _, err := report.Sign(s, claims); credit.ErrorCode(err) != credit.EUNAUTHORIZED {
		t.Fatalf("key left out of the list: %v", err)
	}
	again, pub2, err := Signer(path, nil, nil)
	if err != nil || !pub.Equal(pub2) {
		t.Fatalf("the key was not kept: %v", err)
	}
	if _, err := report.Sign(again, claims); err != nil {
		t.Fatal(err)
	}
}
