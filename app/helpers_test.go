package app_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/internal/lockedbuf"
)

// friday is 2026-11-27 10:00 China time, a Friday.
var friday = time.Date(2026, 11, 27, 10, 0, 0, 0, credit.China)

type env struct {
	mem  *apptest.Mem
	card *apptest.Card
	svc  *app.Service
	logs *lockedbuf.Buffer
}

// newEnv builds a service over the fixture, synced an hour before friday,
// with the fixture person's card on the reader.
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{
		mem:  apptest.Fixture(friday.Add(-time.Hour)),
		card: apptest.NewCard(apptest.PersonCard(), nil),
		logs: &lockedbuf.Buffer{},
	}
	e.svc = app.New(app.Deps{
		Records: e.mem, Inquiries: e.mem, Applications: e.mem, Card: e.card,
		DeviceID: apptest.DeviceID,
		Now:      func() time.Time { return friday },
		Logger:   slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	t.Cleanup(func() {
		// No test may leave a personal number or name in the logs.
		out := e.logs.String()
		for _, secret := range []string{apptest.PersonID, apptest.PersonName} {
			if strings.Contains(out, secret) {
				t.Errorf("logs contain %q unmasked:\n%s", secret, out)
			}
		}
	})
	return e
}

// wantCode fails unless err carries code and a non-empty message in both
// languages.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := credit.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
	if credit.ErrorMessage(err) == "" || credit.ErrorMessageEN(err) == "" {
		t.Fatalf("error %v has no user message", err)
	}
}
