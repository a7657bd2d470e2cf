package protocol

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// checkPayload is the differential check of the payload fast path: what
// it takes, encoding/json reads to the same value, and the value keeps
// nothing of the bytes it was read from (they are overwritten before the
// comparison: the snapshot pipeline reuses its page buffers).
func checkPayload(t *testing.T, d []byte) {
	scratch := bytes.Clone(d)
	if w, ok := subjectFast(scratch); ok {
		scrub(scratch)
		var ref SubjectV1
		if err := json.Unmarshal(d, &ref); err != nil || !reflect.DeepEqual(w, ref) {
			t.Fatalf("subject %s:\nfast %+v\njson %+v (%v)", d, w, ref, err)
		}
	}
	scratch = bytes.Clone(d)
	if w, ok := recordFast(scratch); ok {
		scrub(scratch)
		var ref RecordV1
		if err := json.Unmarshal(d, &ref); err != nil || !reflect.DeepEqual(w, ref) {
			t.Fatalf("record %s:\nfast %+v\njson %+v (%v)", d, w, ref, err)
		}
	}
}

func scrub(b []byte) {
	for i := range b {
		b[i] = 'x'
	}
}

var payloadSeeds = []string{
	`{"id":"R00000000","subject_id":"620102198503120021","category":"basic","title":"个体工商户登记","content":"经登记机关核准。","source_unit":"兰州市城关区市场监督管理局","document_no":"兰城市监登〔2023〕418号","legal_basis":"《条例》第八条","decision_date":"2023-04-11T00:00:00+08:00","history":[{"ver":1,"reason":"published","at":"2026-11-27T06:34:13.442120934Z"}]}`,
	`{"id":"R1","subject_id":"S1","category":"basic","title":"t","content":"c","source_unit":"u","decision_date":"2023-04-11T00:00:00Z","publicity_until":"2026-04-11T00:00:00Z","tier":"general","history":[{"ver":1,"reason":"published","at":"2026-11-27T06:34:13Z"},{"ver":2,"reason":"correction","at":"2026-11-28T06:34:13Z","note":"n"}]}`,
	`{"id":"S1","kind":"legal_person","name":"兰州某公司","region":"620102"}`,
	`{"id":"S1","kind":"natural_person","name":"张三"}`,
	`{}`,
	`{"id":"S1","id":"S2"}`,
	`{"ID":"S1"}`,
	`{"id":"S\u0031"}`,
	`{"id":"R1","decision_date":"2023-04-11"}`,
	`{"id":"R1","history":[]}`,
	`{"id":"R1","history":[{"ver":-1,"reason":"x","at":"2026-11-27T06:34:13Z"}]}`,
	`{"id":"R1","history":[{"reason":"x","ver":1}]}`,
	`{"id":"R1","serious_list":{"unit":"u"}}`,
	`{"id":"R1",}`,
	`{"id":"R1"} `,
	`{"id":null}`,
	"{\"id\":\"\xff\"}",
	// keys near the known ones, and field values at the body's edges
	`{"idx":"R1"}`,
	`{"i":"R1"}`,
	`{"id":"R1","historyX":[]}`,
	`{"history":[{"ver":1,"reason":"a","at":"2026-11-27T06:34:13Z"}],"id":"R1"}`,
	`{"id":"","subject_id":"","category":"","title":""}`,
	`{"标题":"x"}`,
	`{"id":"R1","title":"兰"}`,
	`{"id":"R1","content":"\u5170"}`,
}

func TestPayloadFastMatchesEncodingJSON(t *testing.T) {
	for _, s := range payloadSeeds {
		checkPayload(t, []byte(s))
	}
	// The bodies the platform writes take the fast path.
	for i, s := range payloadSeeds[:4] {
		_, sok := subjectFast([]byte(s))
		_, rok := recordFast([]byte(s))
		if i < 2 && !rok || i >= 2 && !sok {
			t.Errorf("fast path refused %s", s)
		}
	}
	for _, c := range benchChanges(3) {
		d, err := Payload(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := recordFast(d); !ok {
			t.Errorf("fast path refused %s", d)
		}
	}
	for _, s := range []string{`{"id":"S1","id":"S2"}`, `{"ID":"S1"}`, `{"id":"R1",}`, `{"id":"R1","history":[]}`, `{"id":"R1","serious_list":{"unit":"u"}}`} {
		if _, ok := recordFast([]byte(s)); ok {
			t.Errorf("fast path took %s", s)
		}
	}
}

func FuzzPayloadFast(f *testing.F) {
	for _, s := range payloadSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkPayload)
}
