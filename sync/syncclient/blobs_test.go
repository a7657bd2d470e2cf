package syncclient

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/protocol"
	"github.com/gansu-credit/credit/synth"
)

// TestEvidenceOnSlowLink scales "a 1 MB PDF on an 8 KB/s link" down by
// the chunk size: at 8 KB/s the whole file cannot arrive within one
// request timeout, each chunk can, so the upload completes, chunk by
// chunk, and the application follows. (At full scale: a 64 KiB chunk
// takes 8 s at 8 KB/s against the 5 min default request timeout; 1 MB is
// 16 chunks, about 2 minutes.)
func TestEvidenceOnSlowLink(t *testing.T) {
	const (
		rate    = 8 << 10 // bytes per second
		chunk   = 2 << 10 // 0.25 s at 8 KB/s
		timeout = time.Second
	)
	size := int(2*timeout.Seconds()*rate) + 100 // two timeouts' worth: 6 chunks
	defer func(c int64) { blobChunk = c }(blobChunk)
	blobChunk = chunk

	ctx := t.Context()
	f := newFixture(t, 0)
	ds := synth.Generate(1, 10)
	if err := f.srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "office.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := f.client(func(c *Config) { c.Outbox, c.Applier, c.RequestTimeout = db, db, timeout })
	if _, err := c.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	recs, err := db.RecordsOf(ctx, synth.DemoID)
	if err != nil || len(recs) == 0 {
		t.Fatalf("demo records: %v", err)
	}
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: synth.DemoID, SubjectName: synth.DemoName,
		RecordID: recs[0].ID, Type: credit.ObjectionTypes[0], Statement: "该记录有误。", Contact: "13800000000", Channel: "kiosk-1", ReceivedAt: t0})
	if err := db.SaveObjection(ctx, o); err != nil {
		t.Fatal(err)
	}
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("s"), size-9)...)
	e, err := db.AddEvidence(ctx, credit.Evidence{ApplicationID: o.ID, Name: "slow.pdf"}, pdf)
	if err != nil {
		t.Fatal(err)
	}

	// The link: request bodies of blob uploads arrive at 8 KB/s.
	f.setWrap(func(w http.ResponseWriter, r *http.Request, h http.Handler) {
		if r.Method == http.MethodPut && strings.HasPrefix(r.URL.Path, protocol.PathBlobs) {
			var buf bytes.Buffer
			for {
				n, err := io.CopyN(&buf, r.Body, 256)
				time.Sleep(time.Duration(n) * time.Second / rate)
				if err != nil {
					break
				}
			}
			r.Body = io.NopCloser(&buf)
		}
		h.ServeHTTP(w, r)
	})
	start := time.Now()
	res, err := c.SyncOnce(ctx)
	el := time.Since(start)
	if err != nil || res.Pushed != 1 {
		t.Fatalf("sync on the slow link: pushed %d, %v", res.Pushed, err)
	}
	if min := time.Duration(size) * time.Second / rate; el < min {
		t.Errorf("%d bytes in %v: the link was not throttled", size, el)
	}
	puts := 0
	for _, r := range f.requests() {
		if strings.HasPrefix(r, "PUT "+protocol.PathBlobs) {
			puts++
		}
	}
	if want := (size + chunk - 1) / chunk; puts != want {
		t.Errorf("%d chunk PUTs, want %d (none timed out, none repeated)", puts, want)
	}
	got, _, err := f.srv.EvidenceFile(ctx, o.ID, e.SHA256)
	if err != nil || !bytes.Equal(got, pdf) {
		t.Fatalf("the platform holds %d bytes (%v), want the %d attached", len(got), err, len(pdf))
	}
}
