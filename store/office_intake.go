package store

import (
	"context"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// RecordIntake keeps the office's note on an application taken at the
// window (clerk, applicant role, authorisation). Recording the same
// application again is a no-op: the first note stands.
func (d *DB) RecordIntake(ctx context.Context, in credit.Intake) error {
	if in.ApplicationID == "" || in.ClerkID == "" || !in.Role.Valid() || in.At.IsZero() ||
		(in.Kind != credit.KindObjection && in.Kind != credit.KindRestoration) {
		return credit.Errorf(credit.EINVALID, "受理登记不完整。", "The intake note is incomplete.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO office_intakes (application_id, kind, clerk_id, applicant_role, auth_ref, at)
VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (application_id) DO NOTHING`,
		in.ApplicationID, string(in.Kind), in.ClerkID, string(in.Role), in.AuthRef, in.At.UnixNano())
	if err != nil {
		return fmt.Errorf("store: record intake: %w", err)
	}
	return nil
}

// Intake returns the intake note of an application, or ENOTFOUND for one
// not taken at an office window.
func (d *DB) Intake(ctx context.Context, applicationID string) (credit.Intake, error) {
	var in credit.Intake
	var kind, role string
	var at int64
	err := d.db.QueryRowContext(ctx, `SELECT application_id, kind, clerk_id, applicant_role, auth_ref, at
FROM office_intakes WHERE application_id = ?`, applicationID).Scan(&in.ApplicationID, &kind, &in.ClerkID, &role, &in.AuthRef, &at)
	if errNoRows(err) {
		return credit.Intake{}, credit.Errorf(credit.ENOTFOUND, "未找到受理登记。", "No intake note for this application.")
	}
	if err != nil {
		return credit.Intake{}, fmt.Errorf("store: intake: %w", err)
	}
	in.Kind, in.Role = credit.ApplicationKind(kind), credit.ApplicantRole(role)
	in.At = time.Unix(0, at).In(china)
	return in, nil
}
