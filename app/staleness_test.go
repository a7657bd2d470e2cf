package app_test

import (
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
)

// Staleness is judged on the platform's clock (issue #3): a device clock
// set days off neither ages fresh data nor rejuvenates old data.
func TestStaleOnServerTime(t *testing.T) {
	tests := []struct {
		name      string
		device    time.Time // the device's wall clock
		server    func() time.Time
		asOf      time.Time
		wantStale bool
	}{
		{"device +3 days, server fresh", friday.Add(72 * time.Hour), func() time.Time { return friday }, friday.Add(-time.Hour), false},
		{"device -3 days, server stale", friday.Add(-72 * time.Hour), func() time.Time { return friday }, friday.Add(-73 * time.Hour), true},
		{"device 1970, server fresh", time.Unix(0, 0), func() time.Time { return friday }, friday.Add(-71 * time.Hour), false},
		{"no server clock: device clock", friday.Add(72 * time.Hour), nil, friday.Add(-time.Hour), true},
		{"never synced", friday, func() time.Time { return friday }, time.Time{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			device := func() time.Time { return tt.device }

			mem := apptest.Fixture(tt.asOf)
			svc := app.New(app.Deps{
				Records: mem, Inquiries: mem, Applications: mem,
				Card: apptest.NewCard(apptest.PersonCard(), nil), DeviceID: apptest.DeviceID,
				Now: device, ServerNow: tt.server,
			})
			sess, err := svc.ReadCard(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if sess.Stale != tt.wantStale || !sess.DataAsOf.Equal(tt.asOf) {
				t.Errorf("kiosk: stale=%v asOf=%v, want %v %v", sess.Stale, sess.DataAsOf, tt.wantStale, tt.asOf)
			}

			omem := apptest.Fixture(tt.asOf)
			office := app.NewOffice(app.OfficeDeps{
				Clerks: apptest.NewClerks(), Records: omem, Inquiries: omem, Queue: &apptest.Queue{},
				Now: device, ServerNow: tt.server, Argon2: apptest.FastArgon2, DeviceID: "office-620102",
			})
			if err := office.AddClerk(t.Context(), credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, clerkPassword); err != nil {
				t.Fatal(err)
			}
			cs, err := office.Login(t.Context(), "C001", clerkPassword)
			if err != nil {
				t.Fatal(err)
			}
			v, err := office.AuthorisedInquiry(t.Context(), cs, apptest.PersonID, string(credit.PurposeTalent), "SQ-1")
			if err != nil {
				t.Fatal(err)
			}
			if v.Stale != tt.wantStale {
				t.Errorf("office: stale=%v, want %v", v.Stale, tt.wantStale)
			}
		})
	}
}
