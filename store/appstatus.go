package store

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// ApplicationStatus returns the latest status of the objection or
// restoration with this id as the platform last reported it, with its
// note (the written reasons of a decision not to correct, or of a refusal:
// Art. 46, 国办发〔2025〕22号) and its time. ENOTFOUND when this device holds
// no such application.
func (d *DB) ApplicationStatus(ctx context.Context, id string) (credit.StatusUpdate, error) {
	for _, table := range applicationTables {
		var status, note string
		var at sql.NullInt64
		err := d.db.QueryRowContext(ctx, `SELECT status, status_note, status_at FROM `+table+` WHERE id = ?`, id).Scan(&status, &note, &at)
		if errNoRows(err) {
			continue
		}
		if err != nil {
			return credit.StatusUpdate{}, fmt.Errorf("store: application status: %w", err)
		}
		return credit.StatusUpdate{ApplicationID: id, Status: credit.ApplicationStatus(status), Note: note, At: fromNanos(at)}, nil
	}
	return credit.StatusUpdate{}, credit.Errorf(credit.ENOTFOUND, "未找到该申请。", "No such application.")
}
