package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// withRemote is an inquiry log that also holds entries from other
// terminals, as store.DB does after a sync.
type withRemote struct {
	*apptest.Mem
	remote []credit.Inquiry
	err    error
}

func (w *withRemote) RemoteInquiriesOf(_ context.Context, id string) ([]credit.Inquiry, error) {
	var out []credit.Inquiry
	for _, q := range w.remote {
		if q.SubjectID == id {
			out = append(out, q)
		}
	}
	return out, w.err
}

var _ app.RemoteInquiries = (*withRemote)(nil)

func TestSessionShowsInquiriesFromOtherTerminals(t *testing.T) {
	office := credit.Inquiry{ID: "q-office", SubjectID: apptest.PersonID, InquirerKind: credit.InquirerClerk, InquirerID: "clerk-7",
		Purpose: "administrative_licensing", AuthRef: "AUTH-1", Channel: "OFFICE-B", At: friday.Add(-2 * time.Hour)}
	later := office
	later.ID, later.Channel, later.At = "q-other-kiosk", "KIOSK-C", friday.Add(time.Minute) // after this look
	other := office
	other.ID, other.SubjectID = "q-someone-else", "620102198001010019"
	tests := []struct {
		name     string
		remote   []credit.Inquiry
		err      error
		channels []string // newest first
		wantErr  bool
	}{
		{"none from elsewhere", nil, nil, []string{apptest.DeviceID}, false},
		{"merged by time", []credit.Inquiry{office, later, other}, nil, []string{"KIOSK-C", apptest.DeviceID, "OFFICE-B"}, false},
		{"same id twice shown once", []credit.Inquiry{office, office}, nil, []string{apptest.DeviceID, "OFFICE-B"}, false},
		{"remote log fails", nil, errors.New("disk"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := apptest.Fixture(friday.Add(-time.Hour))
			log := &withRemote{Mem: mem, remote: tt.remote, err: tt.err}
			svc := app.New(app.Deps{Records: mem, Inquiries: log, Applications: mem,
				Card: apptest.NewCard(apptest.PersonCard(), nil), DeviceID: apptest.DeviceID, Now: func() time.Time { return friday }})
			sess, err := svc.ReadCard(t.Context())
			if tt.wantErr {
				if err == nil || credit.ErrorCode(err) != credit.EINTERNAL {
					t.Fatalf("ReadCard = %v, want an internal error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, q := range sess.Inquiries {
				got = append(got, q.Channel)
				if q.SubjectID != apptest.PersonID {
					t.Errorf("inquiry into another subject shown: %+v", q)
				}
			}
			if len(got) != len(tt.channels) {
				t.Fatalf("channels = %v, want %v", got, tt.channels)
			}
			for i := range got {
				if got[i] != tt.channels[i] {
					t.Fatalf("channels = %v, want %v", got, tt.channels)
				}
			}
		})
	}
}
