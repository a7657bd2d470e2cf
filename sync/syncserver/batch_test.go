package syncserver

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

func postBatch(t *testing.T, c client, req protocol.BatchRequestV1) (int, protocol.BatchResponseV1, []byte) {
	t.Helper()
	b, _ := json.Marshal(req)
	resp, out := c.do("POST", protocol.PathApplicationsBatch, b, map[string]string{"Content-Type": protocol.ContentTypeJSON})
	var br protocol.BatchResponseV1
	if resp.StatusCode == 200 {
		var err error
		if br, err = protocol.DecodeBatchResponse(bytes.NewReader(out), req); err != nil {
			t.Fatalf("batch answer: %v\n%s", err, out)
		}
	}
	return resp.StatusCode, br, out
}

func item(id string, kind credit.ApplicationKind, body []byte) protocol.BatchItemV1 {
	return protocol.BatchItemV1{ID: id, Kind: string(kind), Digest: protocol.BodyDigest(body), Body: body}
}

func restoration(t *testing.T, id string) []byte {
	t.Helper()
	b, err := json.Marshal(credit.NewRestoration(credit.WeekendCalendar{}, credit.Restoration{ID: id, SubjectID: "S000", SubjectName: "公司S000",
		RecordID: "RS000", Performance: "罚款已缴清。", Committed: true, ReceivedAt: t0}))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBatchApplications(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	ss, rs := subjectsAndRecords(1)
	if err := s.PutSubjects(t.Context(), ss, rs); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a := client{t, hs.URL, tokA}

	var h protocol.Hello
	if _, b := a.do("GET", protocol.PathHello, nil, nil); json.Unmarshal(b, &h) != nil || h.BatchApplications != protocol.MaxBatchItems {
		t.Fatalf("hello does not advertise the batch form: %s", b)
	}

	// B was sent before by PUT; the batch carries another body under its id.
	idA, idB, idC, idD, idE, idF, idG, idH := credit.NewUUID(), credit.NewUUID(), credit.NewUUID(), credit.NewUUID(), credit.NewUUID(), credit.NewUUID(), credit.NewUUID(), credit.NewUUID()
	if resp, b := put(a, idB, objection(idB, "第一份"), nil); resp.StatusCode != 201 {
		t.Fatalf("put B: %d %s", resp.StatusCode, b)
	}
	badDigest := item(idD, credit.KindObjection, objection(idD, "x"))
	badDigest.Digest = protocol.BodyDigest([]byte("other"))
	noDigest := item(idF, credit.KindObjection, objection(idF, "x"))
	noDigest.Digest = ""
	req := protocol.BatchRequestV1{Items: []protocol.BatchItemV1{
		item(idA, credit.KindObjection, objection(idA, "新的")),
		item(idA, credit.KindObjection, objection(idA, "新的")), // a repeat inside the batch
		item(idB, credit.KindObjection, objection(idB, "第二份")),
		item(idC, credit.KindObjection, []byte(`{"id":"`+idC+`"}`)),
		badDigest,
		item(idE, credit.KindObjection, bytes.Repeat([]byte("x"), protocol.MaxApplicationBytes+1)),
		noDigest,
		item(idG, credit.KindRestoration, restoration(t, idG)),
		item(idH, credit.KindObjection, objection(idA, "编号不符")),
	}}
	want := []struct {
		status int
		code   string
	}{{201, ""}, {200, ""}, {422, protocol.CodeIdempotencyMismatch}, {400, protocol.CodeInvalidApplication},
		{400, protocol.CodeDigestMismatch}, {413, protocol.CodeTooLarge}, {400, protocol.CodeDigestMismatch}, {201, ""}, {400, protocol.CodeInvalidApplication}}
	code, first, body := postBatch(t, a, req)
	if code != 200 {
		t.Fatalf("batch: %d %s", code, body)
	}
	for i, w := range want {
		r := first.Results[i]
		switch {
		case r.Status != w.status:
			t.Errorf("item %d: status %d, want %d (%+v)", i, r.Status, w.status, r.Problem)
		case w.code == "" && (r.Receipt == nil || r.Receipt.ApplicationID != req.Items[i].ID || r.Receipt.Digest != req.Items[i].Digest):
			t.Errorf("item %d: receipt %+v", i, r.Receipt)
		case w.code != "" && (r.Problem == nil || r.Problem.Code != w.code || r.Problem.DetailEN == "" || r.Problem.Detail == ""):
			t.Errorf("item %d: problem %+v, want code %s with zh and en messages", i, r.Problem, w.code)
		}
	}
	if *first.Results[0].Receipt != *first.Results[1].Receipt {
		t.Errorf("repeat inside the batch: %+v vs %+v", first.Results[0].Receipt, first.Results[1].Receipt)
	}

	// The answer was lost: the client sends the same batch again and gets
	// the same receipts; nothing is stored twice.
	_, again, _ := postBatch(t, a, req)
	for i, r := range again.Results {
		f := first.Results[i]
		if f.Receipt != nil && (r.Status != 200 || r.Receipt == nil || *r.Receipt != *f.Receipt) {
			t.Errorf("item %d on retry: %d %+v, first %+v", i, r.Status, r.Receipt, f.Receipt)
		}
		if f.Receipt == nil && (r.Status != f.Status || r.Problem == nil || r.Problem.Code != f.Problem.Code) {
			t.Errorf("item %d on retry: %d %+v, first %d %+v", i, r.Status, r.Problem, f.Status, f.Problem)
		}
	}
	// The single PUT of an item sent in a batch answers its receipt too.
	if resp, b := put(a, idG, restoration(t, idG), map[string]string{protocol.HeaderApplicationKind: string(credit.KindRestoration)}); resp.StatusCode != 200 || !strings.Contains(string(b), first.Results[7].Receipt.Digest) {
		t.Errorf("put after batch: %d %s", resp.StatusCode, b)
	}
	apps, err := s.Applications(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, ap := range apps {
		count[ap.ID]++
	}
	if len(apps) != 3 || count[idA] != 1 || count[idB] != 1 || count[idG] != 1 {
		t.Errorf("stored %d applications: %v", len(apps), count)
	}
	for _, ap := range apps {
		if ap.ID == idB && !strings.Contains(string(ap.Body), "第一份") {
			t.Errorf("B's first body was replaced: %s", ap.Body)
		}
	}
}

func TestBatchRefusedWhole(t *testing.T) {
	s := openServer(t, filepath.Join(t.TempDir(), "srv.db"), 0)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	a := client{t, hs.URL, tokA}
	many := protocol.BatchRequestV1{}
	for range protocol.MaxBatchItems + 1 {
		id := credit.NewUUID()
		many.Items = append(many.Items, item(id, credit.KindObjection, objection(id, "x")))
	}
	tests := []struct {
		name   string
		body   []byte
		status int
	}{
		{"not json", []byte(`{"items":[`), 400},
		{"empty", []byte(`{"items":[]}`), 400},
		{"too many items", func() []byte { b, _ := json.Marshal(many); return b }(), 400},
		{"too large", bytes.Repeat([]byte(" "), protocol.MaxBatchRequestBytes+10), 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := a.do("POST", protocol.PathApplicationsBatch, tt.body, nil)
			if p := problemOf(t, b); resp.StatusCode != tt.status || p.DetailEN == "" {
				t.Errorf("%d %s", resp.StatusCode, b)
			}
		})
	}
	if apps, _ := s.Applications(t.Context()); len(apps) != 0 {
		t.Errorf("a refused batch stored %d applications", len(apps))
	}
}
