package e2e_test

// Evidence files reach the platform (issues #3 and #7; protocol/blobs.go):
// attached at the office window, uploaded as resumable blobs before the
// application, held by the platform byte for byte, fetched by an officer.

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/gansu-credit/credit/internal/faultproxy"
	"github.com/gansu-credit/credit/sync/protocol"
)

func TestEvidenceReachesPlatform(t *testing.T) {
	r := newEvidenceRig(t, 0)
	ctx := t.Context()
	o := r.intake(0)
	pdf, png := fakePDF(1, 200<<10), fakePNG(2)
	files := map[string][]byte{}
	for _, f := range []struct {
		name string
		data []byte
	}{{"处罚决定书.pdf", pdf}, {"缴款凭证.png", png}} {
		e := r.attach(o.ID, f.name, f.data)
		files[e.SHA256] = f.data
	}
	from := len(r.proxy.Events())
	res := r.sync()
	if res.Pushed != 1 || res.Rejected != 0 {
		t.Fatalf("pushed %d, rejected %d; want the application delivered", res.Pushed, res.Rejected)
	}
	if state, msg := r.outboxState(o.ID); state != "delivered" {
		t.Fatalf("outbox %s (%s)", state, msg)
	}

	// Blobs, then the manifest, then the application.
	var order []string
	for _, e := range r.proxy.Events()[from:] {
		switch {
		case e.Method == "PUT" && strings.HasPrefix(e.Path, protocol.PathBlobs):
			order = append(order, "blob")
		case e.Method == "PUT" && strings.HasSuffix(e.Path, "/evidence"):
			order = append(order, "manifest")
		case strings.HasPrefix(e.Path, protocol.PathApplications) || e.Path == protocol.PathApplicationsBatch:
			order = append(order, "application")
		}
	}
	if got := strings.Join(order, ","); got != "blob,blob,blob,blob,blob,manifest,application" {
		t.Errorf("request order %s; want the 4 chunks of the PDF and the PNG, the manifest, then the application", got)
	}

	list, err := r.srv.Evidence(ctx, o.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("platform evidence = %+v, %v", list, err)
	}
	for _, e := range list {
		want := files[e.SHA256]
		if got := r.fetch(o.ID, e.SHA256); !bytes.Equal(got, want) {
			t.Errorf("%s: the platform holds %d bytes, not the %d attached", e.Name, len(got), len(want))
		}
		if sum := sha256.Sum256(want); hex.EncodeToString(sum[:]) != e.SHA256 || e.Size != int64(len(want)) {
			t.Errorf("%s: listed as %s, %d bytes", e.Name, e.SHA256, e.Size)
		}
	}
	if p, err := r.db.PendingEvidence(ctx, 10); err != nil || len(p) != 0 {
		t.Fatalf("pending after delivery: %+v, %v", p, err)
	}

	// A later round sends nothing again; a file attached after the
	// application was delivered still goes, once.
	from = len(r.proxy.Events())
	r.sync()
	if n := r.events("PUT", protocol.PathBlobs, from) + r.events("POST", protocol.PathBlobsMissing, from); n != 0 {
		t.Errorf("%d evidence requests in a round with nothing to send", n)
	}
	late := fakePDF(3, 1000)
	r.attach(o.ID, "补充说明.pdf", late)
	r.sync()
	r.sync()
	if list, _ = r.srv.Evidence(ctx, o.ID); len(list) != 3 || !bytes.Equal(r.fetch(o.ID, list[2].SHA256), late) {
		t.Fatalf("after a late attachment the platform lists %+v", list)
	}
	if n := r.serverCount(`SELECT count(*) FROM blobs`); n != 3 {
		t.Errorf("the platform holds %d blobs, want 3", n)
	}
	if n := r.serverCount(`SELECT count(*) FROM applications WHERE id = ?`, o.ID); n != 1 {
		t.Errorf("the platform holds the application %d times", n)
	}
}

// A connection cut in the middle of a blob: the upload resumes from the
// platform's offset; no chunk the platform kept is sent again.
func TestEvidenceUploadResumes(t *testing.T) {
	const size = 5*protocol.BlobChunk - 100 // five chunks
	tests := []struct {
		name     string
		fault    faultproxy.Fault
		wantPUTs int
	}{
		// The platform kept the 3rd chunk, the answer never came.
		{"answer lost after the platform kept a chunk", faultproxy.Fault{Action: faultproxy.Lose, Status: -1}, 5},
		// The 3rd chunk never reached the platform.
		{"connection refused mid-blob", faultproxy.Fault{Action: faultproxy.Refuse}, 6},
		// The 3rd chunk arrived cut short: refused, nothing of it kept.
		{"chunk truncated in transit", faultproxy.Fault{Action: faultproxy.TruncateRequest}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newEvidenceRig(t, 0)
			o := r.intake(1)
			data := fakePDF(4, size)
			e := r.attach(o.ID, "判决书.pdf", data)
			r.proxy.Script(faultproxy.Rule{Method: "PUT", Path: protocol.PathBlobs, Skip: 2, Times: 1, Fault: tt.fault})
			from := len(r.proxy.Events())
			r.sync()
			if r.proxy.Fired() != 1 {
				t.Fatalf("the fault fired %d times", r.proxy.Fired())
			}
			if n := r.events("PUT", protocol.PathBlobs, from); n != tt.wantPUTs {
				t.Errorf("%d chunk PUTs, want %d: the upload did not resume from the platform's offset", n, tt.wantPUTs)
			}
			if n := r.events("HEAD", protocol.PathBlobs, from); n < 1 {
				t.Errorf("the client never asked the offset")
			}
			if got := r.fetch(o.ID, e.SHA256); !bytes.Equal(got, data) {
				t.Fatalf("the platform holds %d bytes, not the %d attached", len(got), len(data))
			}
			if n := r.serverCount(`SELECT count(*) FROM blobs`); n != 1 {
				t.Errorf("%d blobs, want exactly one", n)
			}
			if n := r.serverCount(`SELECT count(*) FROM blob_parts`); n != 0 {
				t.Errorf("%d upload parts left behind", n)
			}
			if state, msg := r.outboxState(o.ID); state != "delivered" {
				t.Errorf("outbox %s (%s)", state, msg)
			}
		})
	}
}

// A file of a forbidden type or over the platform's cap is refused with
// a clear message; its application is rejected; the others go.
func TestEvidenceRefused(t *testing.T) {
	const limit = 128 << 10
	r := newEvidenceRig(t, limit)
	ctx := t.Context()
	big, bad, good := r.intake(0), r.intake(1), r.intake(2)
	r.attach(big.ID, "扫描件.pdf", fakePDF(5, limit+1))
	r.attach(bad.ID, "说明.pdf", fakePDF(6, 500))
	// A file the terminal's own checks would refuse (a voice recording,
	// say), as an older or tampered terminal could hold it.
	wav := append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), fakePDF(7, 400)...)
	sum := sha256.Sum256(wav)
	raw, err := sql.Open("sqlite", "file:"+r.dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, type, size, content) VALUES (?, 'application/pdf', ?, ?)`,
		hex.EncodeToString(sum[:]), len(wav), wav); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.ExecContext(ctx, `INSERT INTO evidence (application_id, sha256, name, added_at) VALUES (?, ?, 'voice.pdf', 1)`,
		bad.ID, hex.EncodeToString(sum[:])); err != nil {
		t.Fatal(err)
	}
	okFile := fakePNG(8)
	e := r.attach(good.ID, "收据.png", okFile)

	res := r.sync()
	if res.Pushed != 1 || res.Rejected != 2 {
		t.Errorf("pushed %d, rejected %d; want 1 and 2", res.Pushed, res.Rejected)
	}
	for _, c := range []struct {
		id, want string
	}{{big.ID, "too large"}, {bad.ID, "PDF, JPEG or PNG"}} {
		state, msg := r.outboxState(c.id)
		if state != "rejected" || !strings.Contains(msg, c.want) {
			t.Errorf("application %s: %s %q; want rejected saying %q", c.id, state, msg, c.want)
		}
		if n := r.serverCount(`SELECT count(*) FROM applications WHERE id = ?`, c.id); n != 0 {
			t.Errorf("the platform took application %s without its evidence", c.id)
		}
	}
	if state, _ := r.outboxState(good.ID); state != "delivered" {
		t.Errorf("the good application is %s", state)
	}
	if got := r.fetch(good.ID, e.SHA256); !bytes.Equal(got, okFile) {
		t.Errorf("the good file differs on the platform")
	}
	for _, id := range []string{big.ID, bad.ID} {
		if list, err := r.srv.Evidence(ctx, id); err != nil || len(list) != 0 {
			t.Errorf("the platform lists evidence %+v for rejected application %s (%v)", list, id, err)
		}
	}
	// The good file and the rejected application's valid PDF, uploaded
	// before its other file was refused (referenced by no manifest);
	// never the refused ones.
	if n := r.serverCount(`SELECT count(*) FROM blobs`); n != 2 {
		t.Errorf("the platform kept %d blobs, want 2", n)
	}
	if n := r.serverCount(`SELECT count(*) FROM blobs WHERE sha256 = ?`, hex.EncodeToString(sum[:])); n != 0 {
		t.Errorf("the platform kept the refused file")
	}
	if p, err := r.db.PendingEvidence(ctx, 10); err != nil || len(p) != 0 {
		t.Errorf("refused files still pending (would be resent forever): %+v, %v", p, err)
	}
	reason, err := r.db.EvidenceRefusal(ctx, bad.ID, hex.EncodeToString(sum[:]))
	if err != nil || !strings.Contains(reason, "PDF, JPEG or PNG") {
		t.Errorf("refusal kept as %q, %v", reason, err)
	}
}
