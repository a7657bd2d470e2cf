package protocol

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func batchJSON(n int) string {
	var req BatchRequestV1
	for i := range n {
		body := []byte(`{"id":"x"}`)
		req.Items = append(req.Items, BatchItemV1{ID: string(rune('a' + i%26)), Digest: BodyDigest(body), Body: body})
	}
	b, _ := json.Marshal(req)
	return string(b)
}

func TestDecodeBatchRequest(t *testing.T) {
	tests := []struct {
		name, in string
		items    int
		msg      string
	}{
		{"one item", batchJSON(1), 1, ""},
		{"full batch", batchJSON(MaxBatchItems), MaxBatchItems, ""},
		{"too many items", batchJSON(MaxBatchItems + 1), 0, "51 items"},
		{"no items", `{"items":[]}`, 0, "0 items"},
		{"not json", `{"items":`, 0, "unexpected end"},
		{"body not base64", `{"items":[{"id":"a","digest":"x","body":"%%%"}]}`, 0, "illegal base64"},
		{"too large", `{"items":[{"id":"` + strings.Repeat("a", MaxBatchRequestBytes) + `"}]}`, 0, "over"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := DecodeBatchRequest(strings.NewReader(tt.in))
			if tt.msg == "" {
				if err != nil || len(req.Items) != tt.items || string(req.Items[0].Body) != `{"id":"x"}` {
					t.Fatalf("%d items, %v", len(req.Items), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err %v, want %q", err, tt.msg)
			}
		})
	}
}

func TestDecodeBatchResponse(t *testing.T) {
	req := BatchRequestV1{Items: []BatchItemV1{{ID: "a"}, {ID: "b"}}}
	rc := &ReceiptV1{ApplicationID: "a", Digest: "d", ServerSeq: 3, ReceivedAt: time.Unix(0, 0)}
	good := BatchResponseV1{Results: []BatchResultV1{{ID: "a", Status: 201, Receipt: rc}, {ID: "b", Status: 422, Problem: &Problem{Code: CodeIdempotencyMismatch}}}}
	tests := []struct {
		name string
		resp BatchResponseV1
		msg  string
	}{
		{"good", good, ""},
		{"missing result", BatchResponseV1{Results: good.Results[:1]}, "1 results for 2 items"},
		{"out of order", BatchResponseV1{Results: []BatchResultV1{good.Results[1], good.Results[0]}}, "is for"},
		{"2xx without receipt", BatchResponseV1{Results: []BatchResultV1{{ID: "a", Status: 200}, good.Results[1]}}, "without a receipt"},
		{"no status", BatchResponseV1{Results: []BatchResultV1{{ID: "a", Receipt: rc}, good.Results[1]}}, "status 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, _ := json.Marshal(tt.resp)
			got, err := DecodeBatchResponse(bytes.NewReader(b), req)
			if tt.msg == "" {
				if err != nil || got.Results[0].Receipt.ServerSeq != 3 || got.Results[1].Problem.Code != CodeIdempotencyMismatch {
					t.Fatalf("%+v %v", got, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err %v, want %q", err, tt.msg)
			}
		})
	}
	if _, err := DecodeBatchResponse(strings.NewReader("<html>"), req); err == nil {
		t.Error("an HTML answer decoded")
	}
}

func FuzzDecodeBatchRequest(f *testing.F) {
	for _, s := range []string{batchJSON(1), batchJSON(3), `{"items":[]}`, `{"items":[{"id":"a","body":"eyJ9"}]}`, `[]`, `null`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		req, err := DecodeBatchRequest(strings.NewReader(in))
		if err == nil && (len(req.Items) == 0 || len(req.Items) > MaxBatchItems) {
			t.Fatalf("accepted %d items", len(req.Items))
		}
	})
}

func FuzzDecodeBatchResponse(f *testing.F) {
	req := BatchRequestV1{Items: []BatchItemV1{{ID: "a"}}}
	for _, s := range []string{`{"results":[{"id":"a","status":201,"receipt":{"application_id":"a"}}]}`, `{"results":[{"id":"a","status":400}]}`, `{}`, `x`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		resp, err := DecodeBatchResponse(strings.NewReader(in), req)
		if err != nil {
			return
		}
		r := resp.Results[0]
		if len(resp.Results) != 1 || r.ID != "a" || (r.Status < 300 && r.Receipt == nil) || r.Status < 200 || r.Status > 599 {
			t.Fatalf("accepted %+v", resp)
		}
	})
}
