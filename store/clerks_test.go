package store_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/store"
)

var (
	_ app.Clerks           = (*store.DB)(nil)
	_ app.ApplicationQueue = (*store.DB)(nil)
)

func hashFor(t *testing.T, pw string) string {
	t.Helper()
	h, err := app.HashPassword(apptest.FastArgon2, pw)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestClerksStore(t *testing.T) {
	db, path := openTest(t)
	ctx := t.Context()
	wang := credit.ClerkAccount{Clerk: credit.Clerk{ID: "C002", Name: "王芳", Role: credit.RoleClerk}, PasswordHash: hashFor(t, "password-1"), FailedCount: 3}
	li := credit.ClerkAccount{Clerk: credit.Clerk{ID: "C001", Name: "李强", Role: credit.RoleSupervisor}, PasswordHash: hashFor(t, "password-2")}
	for _, a := range []credit.ClerkAccount{wang, li} {
		if err := db.AddClerk(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		a    credit.ClerkAccount
		code string
	}{
		{"duplicate", wang, credit.ECONFLICT},
		{"plain password", credit.ClerkAccount{Clerk: credit.Clerk{ID: "C003", Name: "赵六", Role: credit.RoleClerk}, PasswordHash: "secret"}, credit.EINVALID},
		{"bad role", credit.ClerkAccount{Clerk: credit.Clerk{ID: "C004", Name: "赵六", Role: "root"}, PasswordHash: wang.PasswordHash}, credit.EINVALID},
	}
	for _, tt := range tests {
		if err := db.AddClerk(ctx, tt.a); credit.ErrorCode(err) != tt.code {
			t.Errorf("%s: %v, want %s", tt.name, err, tt.code)
		}
	}
	list, err := db.ListClerks(ctx)
	if err != nil || len(list) != 2 || list[0] != li.Clerk || list[1] != wang.Clerk {
		t.Fatalf("ListClerks = %+v, %v", list, err)
	}
	got, err := db.ClerkAccount(ctx, "C002")
	if err != nil || got.Clerk != wang.Clerk || got.PasswordHash != wang.PasswordHash || got.FailedCount != 0 || !got.LockedUntil.IsZero() {
		t.Fatalf("ClerkAccount = %+v, %v", got, err)
	}
	if _, err := db.ClerkAccount(ctx, "C999"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("unknown clerk: %v", err)
	}

	lockUntil := fixedNow.Add(15 * time.Minute)
	for i := 1; i <= 4; i++ {
		a, err := db.LoginFailed(ctx, "C002", 5, lockUntil)
		if err != nil || a.FailedCount != i || !a.LockedUntil.IsZero() {
			t.Fatalf("failure %d: %+v, %v", i, a, err)
		}
	}
	a, err := db.LoginFailed(ctx, "C002", 5, lockUntil)
	if err != nil || a.FailedCount != 0 || !a.LockedUntil.Equal(lockUntil) {
		t.Fatalf("fifth failure: %+v, %v", a, err)
	}
	if _, err := db.LoginFailed(ctx, "C999", 5, lockUntil); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("failure of an unknown clerk: %v", err)
	}
	// The lock survives a restart.
	db.Close()
	db2, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if a, _ := db2.ClerkAccount(ctx, "C002"); !a.LockedUntil.Equal(lockUntil) {
		t.Fatalf("lock after reopen: %+v", a)
	}
	if err := db2.LoginSucceeded(ctx, "C002"); err != nil {
		t.Fatal(err)
	}
	if a, _ := db2.ClerkAccount(ctx, "C002"); a.FailedCount != 0 || !a.LockedUntil.IsZero() {
		t.Fatalf("after success: %+v", a)
	}
	if err := db2.LoginSucceeded(ctx, "C999"); credit.ErrorCode(err) != credit.ENOTFOUND {
		t.Fatalf("success of an unknown clerk: %v", err)
	}
}

// Concurrent failures are all counted: the lock comes at exactly the fifth.
func TestLoginFailedConcurrent(t *testing.T) {
	db, _ := openTest(t)
	ctx := t.Context()
	if err := db.AddClerk(ctx, credit.ClerkAccount{Clerk: credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, PasswordHash: hashFor(t, "password-1")}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	locks := 0
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := db.LoginFailed(ctx, "C001", 5, fixedNow.Add(time.Hour))
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			if !a.LockedUntil.IsZero() {
				locks++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	a, _ := db.ClerkAccount(ctx, "C001")
	if locks != 0 || a.FailedCount != 4 {
		t.Fatalf("after 4 concurrent failures: count %d, locks %d", a.FailedCount, locks)
	}
}

// The office service over the real store: login, lockout and an
// authorised inquiry logged with the clerk's number.
func TestOfficeOverStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "office.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	subjects, records := apptest.FixtureData()
	if err := db.Load(ctx, subjects, records); err != nil {
		t.Fatal(err)
	}
	now := fixedNow
	office := app.NewOffice(app.OfficeDeps{Clerks: db, Records: db, Inquiries: db, Queue: db, Argon2: apptest.FastArgon2, Now: func() time.Time { return now }})
	if err := office.AddClerk(ctx, credit.Clerk{ID: "C001", Name: "王芳", Role: credit.RoleClerk}, "password-1"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		_, err = office.Login(ctx, "C001", "nope-nope")
	}
	var le *app.LockedError
	if !errors.As(err, &le) || !le.Until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("no lockout after 5 failures: %v", err)
	}
	now = now.Add(16 * time.Minute)
	cs, err := office.Login(ctx, "C001", "password-1")
	if err != nil {
		t.Fatal(err)
	}
	v, err := office.AuthorisedInquiry(ctx, cs, apptest.PersonID, string(credit.PurposeCivilService), "SQ-9")
	if err != nil || v.Subject.Name != apptest.PersonName {
		t.Fatalf("inquiry: %+v, %v", v, err)
	}
	inq, err := db.InquiriesOf(ctx, apptest.PersonID)
	if err != nil || len(inq) != 1 || inq[0].InquirerKind != credit.InquirerClerk || inq[0].InquirerID != "C001" || inq[0].AuthRef != "SQ-9" {
		t.Fatalf("inquiry log %+v, %v", inq, err)
	}
}
