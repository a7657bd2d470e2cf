package main

import (
	"bytes"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/store"
	"github.com/gansu-credit/credit/sync/syncclient"
	"github.com/gansu-credit/credit/sync/syncserver"
	"github.com/gansu-credit/credit/synth"
)

func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(t.Context(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSyncCommand(t *testing.T) {
	dir := t.TempDir()
	srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), syncserver.Options{PageLimit: 40})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ds := synth.Generate(3, 30)
	if err := srv.PutSubjects(t.Context(), ds.Subjects, ds.Records); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	local := filepath.Join(dir, "kiosk.db")
	enrolDevice(t, srv, hs.URL, "kiosk-1", "--db", local)
	args := []string{"sync", "--db", local, "--server", hs.URL, "--device", "kiosk-1"}

	code, out, errs := runMain(t, args...)
	if code != 0 {
		t.Fatalf("first sync exit %d\n%s\n%s", code, out, errs)
	}
	// kiosk-1 serves 620102 (enrolDevice): the platform sends only that
	// county's subjects and their records.
	total, inScope := 0, map[string]bool{}
	for _, s := range ds.Subjects {
		if s.Region == "620102" {
			total, inScope[s.ID] = total+1, true
		}
	}
	for _, r := range ds.Records {
		if inScope[r.SubjectID] {
			total++
		}
	}
	if !strings.Contains(out, "applied "+strconv.Itoa(total)+" (deleted 0)") || !strings.Contains(out, "data as of ") || !strings.Contains(out, "pull: ") {
		t.Fatalf("first sync output:\n%s", out)
	}

	// File an objection locally and withdraw another record at the platform.
	db, err := store.Open(t.Context(), local)
	if err != nil {
		t.Fatal(err)
	}
	r0, r1 := ds.Records[0], ds.Records[1]
	o := credit.NewObjection(credit.WeekendCalendar{}, credit.Objection{ID: credit.NewUUID(), SubjectID: r0.SubjectID, RecordID: r0.ID,
		Type: credit.ObjWrongInfo, Statement: "该处罚已经撤销", Channel: "kiosk-1", ReceivedAt: time.Now()})
	if err := db.SaveObjection(t.Context(), o); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := srv.WithdrawRecord(t.Context(), r1.ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runMain(t, args...)
	if code != 0 || !strings.Contains(out, "pushed 1, rejected 0") || !strings.Contains(out, "(deleted 1)") || !strings.Contains(out, "push: ") {
		t.Fatalf("second sync exit %d\n%s\n%s", code, out, errs)
	}
	apps, err := srv.Applications(t.Context())
	if err != nil || len(apps) != 1 || apps[0].ID != o.ID {
		t.Fatalf("platform applications %+v %v", apps, err)
	}
	db, err = store.Open(t.Context(), local)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.RecordsOf(t.Context(), r1.SubjectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.ID == r1.ID {
			t.Error("withdrawn record still in the local store")
		}
	}
	if strings.Contains(out+errs, "kiosk-token-1") {
		t.Error("the token was printed")
	}
	db.Close()
	// After an epoch rotation the command resyncs and says so.
	if err := srv.WithdrawRecord(t.Context(), ds.Records[2].ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.RotateEpoch(t.Context()); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runMain(t, args...)
	if code != 0 || !strings.Contains(out, "resync: the platform asked") || !strings.Contains(out, "1 cached row(s) the platform no longer holds were erased") {
		t.Fatalf("resync sync exit %d\n%s\n%s", code, out, errs)
	}
}

func TestSyncCommandErrors(t *testing.T) {
	dir := t.TempDir()
	srv, err := syncserver.Open(t.Context(), filepath.Join(dir, "platform.db"), syncserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	closed := httptest.NewServer(nil)
	closed.Close()
	local := filepath.Join(dir, "kiosk.db")
	stray := filepath.Join(dir, "stray.key")
	if _, err := syncclient.LoadOrCreateDeviceKey(stray); err != nil {
		t.Fatal(err)
	}
	revoked := filepath.Join(dir, "k3.key")
	enrolDevice(t, srv, hs.URL, "kiosk-3", "--key", revoked)
	if err := srv.RevokeDevice(t.Context(), "kiosk-3"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := srv.AddDevice(t.Context(), "kiosk-4", ""); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"missing flags", []string{"sync", "--db", local}, 2, "usage"},
		{"not enrolled", []string{"sync", "--db", local, "--server", hs.URL, "--device", "kiosk-1"}, 1, "enrol first"},
		{"unknown device", []string{"sync", "--db", local, "--server", hs.URL, "--device", "kiosk-2", "--key", stray}, 1, "本终端未获授权"},
		{"revoked device", []string{"sync", "--db", local, "--server", hs.URL, "--device", "kiosk-3", "--key", revoked}, 1, "本终端已被平台吊销"},
		{"unreachable", []string{"sync", "--db", local, "--server", closed.URL, "--device", "kiosk-3", "--key", revoked, "--retries", "0"}, 1, "无法连接信用信息平台"},
		{"enroll missing flags", []string{"enroll", "--server", hs.URL}, 2, "usage"},
		{"enroll wrong code", []string{"enroll", "--server", hs.URL, "--device", "kiosk-4", "--code", "WRONG", "--key", filepath.Join(dir, "k4.key")}, 1, "登记码无效"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runMain(t, tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
		})
	}
}

// enrolDevice registers id at the platform and enrols it with creditctl
// enroll (keyArgs: --db PATH or --key PATH).
func enrolDevice(t *testing.T, srv *syncserver.Server, url, id string, keyArgs ...string) {
	t.Helper()
	code, _, err := srv.AddDevice(t.Context(), id, "620102")
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("CREDIT_ENROLL_CODE", code)
	args := append([]string{"enroll", "--server", url, "--device", id}, keyArgs...)
	if rc, out, errs := runMain(t, args...); rc != 0 || !strings.Contains(out, "enrolled (scope 620102)") {
		t.Fatalf("enroll exit %d\n%s\n%s", rc, out, errs)
	}
}
