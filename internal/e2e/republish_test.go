package e2e_test

import (
	"testing"

	credit "github.com/gansu-credit/credit"
)

// TestRepublishAfterWithdrawal: a corrected record is withdrawn and then
// published again as first issued, with no version given, while the kiosk
// was offline. The kiosk never sees the tombstone (the re-publication
// replaces it in the change log), so the platform must number the
// re-publication above the tombstone; a version restarting at 1 left the
// kiosk on its newer, corrected copy for good (found by TestNemesis).
func TestRepublishAfterWithdrawal(t *testing.T) {
	r := newFaultRig(t, faultSeed+400)
	ctx := t.Context()
	corrected := r.records[0]
	corrected.Version, corrected.Title = 0, "行政处罚（更正）"
	if err := r.server().PutSubjects(ctx, nil, []credit.Record{corrected}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.server().WithdrawRecord(ctx, corrected.ID, "withdrawn"); err != nil {
		t.Fatal(err)
	}
	first := r.records[0]
	first.Version = 0
	if err := r.server().PutSubjects(ctx, nil, []credit.Record{first}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.client.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	r.check("after the re-publication", true)
	if k, p := scopeChecksum(t, r.dbPath, false), scopeChecksum(t, r.srvPath, true); k != p {
		t.Errorf("scope checksum: kiosk %s, platform %s", k, p)
	}
}
