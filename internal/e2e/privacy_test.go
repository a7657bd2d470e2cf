package e2e_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
	"github.com/gansu-credit/credit/internal/lockedbuf"
	"github.com/gansu-credit/credit/internal/pty"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

// recordBodies keeps a copy of every request body sent to the platform.
type recordBodies struct {
	next http.Handler
	mu   sync.Mutex
	all  bytes.Buffer
}

func (h *recordBodies) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.all.WriteString(r.Method + " " + r.URL.String() + "\n")
	h.all.Write(b)
	h.all.WriteByte('\n')
	h.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(b))
	h.next.ServeHTTP(w, r)
}

func (h *recordBodies) Bytes() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return bytes.Clone(h.all.Bytes())
}

// fullReader makes the kiosk read with 30 10 (text, photo and
// fingerprint templates), as a reader that only answers that form would.
type fullReader struct{ *idcard.Reader }

func (f fullReader) ReadCard(ctx context.Context) (credit.IDCard, error) { return f.ReadCardFull(ctx) }

// encodings are the forms in which a leaked block could show up: raw,
// hex (both cases) and base64 at every alignment.
func encodings(block []byte) map[string][]byte {
	chunk := block[:96]
	out := map[string][]byte{
		"raw":       chunk[:24],
		"hex":       []byte(hex.EncodeToString(chunk[:16])),
		"HEX":       bytes.ToUpper([]byte(hex.EncodeToString(chunk[:16]))),
		"base64url": []byte(base64.RawURLEncoding.EncodeToString(chunk[:48])[:32]),
	}
	for off := range 3 {
		out["base64+"+string(rune('0'+off))] = []byte(base64.StdEncoding.EncodeToString(chunk[off : off+48])[4:36])
	}
	return out
}

// TestPhotoAndFingerprintNeverLeave reads a card whose photo and
// fingerprint blocks carry recognisable patterns through the real driver
// on a pty into the real app.Service and store, files an objection and
// syncs it, with every log at debug level captured. Then neither pattern,
// in any common encoding, may appear in the store's files, the logs or
// what was sent to the platform; strings that are stored, logged and sent
// are found by the same scan, which shows it works.
func TestPhotoAndFingerprintNeverLeave(t *testing.T) {
	for _, tt := range []struct {
		name string
		full bool
	}{{"read 30 01", false}, {"read 30 10 with fingerprints", true}} {
		t.Run(tt.name, func(t *testing.T) { privacyRun(t, tt.full) })
	}
}

func privacyRun(t *testing.T, full bool) {
	ctx := t.Context()
	dir := t.TempDir()
	logs := &lockedbuf.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	srv, err := syncserver.Open(ctx, filepath.Join(dir, "server.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ds := synth.Generate(1, 50)
	if err := srv.PutSubjects(ctx, ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	sent := &recordBodies{next: srv.Handler()}
	hs := httptest.NewServer(sent)
	t.Cleanup(hs.Close)

	dbPath := filepath.Join(dir, "kiosk.db")
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	client := syncclient.New(syncclient.Config{BaseURL: hs.URL, Key: enrol(t, srv, hs.URL, dir), DeviceID: deviceID, Outbox: db, Applier: db,
		RetryWaitMin: 10 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond, PageLimit: 100, Logger: logger})
	if _, err := client.SyncOnce(ctx); err != nil {
		t.Fatalf("first sync: %v", err)
	}

	master, slave, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	sim := samsim.New(master, nil)
	if err := sim.SetCard(demoCard()); err != nil {
		t.Fatal(err)
	}
	simCtx, stopSim := context.WithCancel(context.Background())
	simDone := make(chan struct{})
	go func() { defer close(simDone); _ = sim.Run(simCtx) }()
	reader, closer, err := idcard.Open(slave, idcard.Config{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopSim(); closer.Close(); master.Close(); <-simDone })
	var card app.CardReader = reader
	if full {
		card = fullReader{reader}
	}
	svc := app.New(app.Deps{Records: db, Inquiries: db, Applications: db, Card: card, DeviceID: deviceID, Logger: logger})

	sess, err := svc.ReadCard(ctx)
	if err != nil {
		t.Fatalf("ReadCard: %v", err)
	}
	if sess.Subject.ID != synth.DemoID {
		t.Fatalf("session for %q", sess.Subject.ID)
	}
	var recID string
	for _, g := range sess.Records {
		if len(g.Records) > 0 {
			recID = g.Records[0].ID
			break
		}
	}
	if recID == "" {
		t.Fatal("the demo holder has no records")
	}
	obj, err := svc.FileObjection(ctx, sess, recID, credit.ObjWrongInfo, "隐私测试：信息有误。", "13800000000")
	if err != nil {
		t.Fatalf("FileObjection: %v", err)
	}
	if _, err := client.SyncOnce(ctx); err != nil {
		t.Fatalf("sync: %v", err)
	}
	svc.EndSession(sess)
	if err := db.Close(); err != nil { // flush the WAL as the kiosk does on exit
		t.Fatal(err)
	}

	files := map[string][]byte{}
	for _, p := range []string{dbPath, dbPath + "-wal", dbPath + "-shm"} {
		if b, err := os.ReadFile(p); err == nil {
			files[filepath.Base(p)] = b
		} else if !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	var stored []byte
	for _, b := range files {
		stored = append(stored, b...)
	}
	places := map[string][]byte{"store files": stored, "logs": logs.Bytes(), "sent to the platform": sent.Bytes()}

	// The scan works: what must be there is found.
	for place, want := range map[string]string{"store files": deviceID, "logs": "cmd=read", "sent to the platform": obj.ID} {
		if !bytes.Contains(places[place], []byte(want)) {
			t.Fatalf("scan control: %s lack %q; the scan would prove nothing", place, want)
		}
	}
	if full && !bytes.Contains(places["logs"], []byte("cmd=read-full")) {
		t.Fatal("the 30 10 read did not happen")
	}

	// The patterns work: each encoding of a leaked block is caught.
	leaks := map[string]string{"raw": string(samsim.Photo()), "hex": hex.EncodeToString(samsim.Photo()),
		"HEX":       string(bytes.ToUpper([]byte(hex.EncodeToString(samsim.Photo())))),
		"base64url": base64.RawURLEncoding.EncodeToString(samsim.Photo())}
	for off := range 3 {
		leaks["base64+"+string(rune('0'+off))] = `{"photo":"` + base64.StdEncoding.EncodeToString(samsim.Photo()[off:]) + `"}`
	}
	pats := encodings(samsim.Photo())
	for enc, leak := range leaks {
		if !bytes.Contains([]byte(leak), pats[enc]) {
			t.Fatalf("scan control: the %s pattern misses a %s-encoded photo", enc, enc)
		}
	}

	blocks := map[string][]byte{"photo": samsim.Photo()}
	if full {
		blocks["fingerprint"] = samsim.Fingerprint()
	}
	for place, data := range places {
		for block, b := range blocks {
			for enc, pat := range encodings(b) {
				if bytes.Contains(data, pat) {
					t.Errorf("%s carry the %s block (%s)", place, block, enc)
				}
			}
		}
	}
	// Nor the holder's number or name in the logs.
	for _, s := range []string{synth.DemoID, synth.DemoName} {
		if bytes.Contains(places["logs"], []byte(s)) {
			t.Errorf("logs carry %q unmasked", s)
		}
	}
}
