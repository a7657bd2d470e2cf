package syncserver

import (
	"context"
	"database/sql"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// RevokeBasis withdraws a record whose designating basis was revoked or
// found invalid (Art. 48): a tombstone with why "revoked", to be deleted
// by every device within one day. The objections and restoration
// applications still open on that record are closed in the same
// transaction with credit.BasisRevokedNote (plus the officer's note), and
// their status news goes to the devices that sent them (Revocation.Closed).
// ENOTFOUND when there is no such record.
func (s *Server) RevokeBasis(ctx context.Context, officer, recordID, note string) (Revocation, error) {
	rv := Revocation{RecordID: recordID}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rv.Closed = nil
		if _, err := tx.ExecContext(ctx, opsSchema); err != nil {
			return fmt.Errorf("ops schema: %w", err)
		}
		at := s.now()
		ver, found, err := withdrawTx(ctx, tx, recordID, WhyRevoked, at)
		if err != nil {
			return err
		}
		if !found {
			return credit.Errorf(credit.ENOTFOUND, "没有该信用记录。", "There is no record %q.", recordID)
		}
		rv.Version, rv.WithdrawDue = ver, credit.WithdrawalDue(at)
		_, err = tx.ExecContext(ctx, `INSERT INTO officer_actions(record_id, officer, to_status, reasons, at) VALUES(?, ?, ?, ?, ?)`,
			recordID, officer, WhyRevoked, note, formatTime(at))
		if err != nil {
			return err
		}
		open, err := openAppsOn(ctx, tx, recordID)
		if err != nil {
			return err
		}
		reasons := credit.BasisRevokedNote
		if note != "" {
			reasons += "\n" + note
		}
		for i := range open {
			if err := moveTx(ctx, tx, officer, &open[i], credit.StatusClosed, reasons, at); err != nil {
				return err
			}
			rv.Closed = append(rv.Closed, open[i].id)
		}
		return nil
	})
	if err != nil {
		return Revocation{}, fmt.Errorf("syncserver: revoke basis of %s: %w", recordID, err)
	}
	s.log.Info("record basis revoked", "record", recordID, "officer", officer, "ver", rv.Version, "closed", len(rv.Closed))
	return rv, nil
}

// openAppsOn returns the applications about recordID that a revocation
// may close (credit.Lifecycle.CloseOnRevocation), in order of receipt.
func openAppsOn(ctx context.Context, tx *sql.Tx, recordID string) ([]appRow, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, device, kind, status, status_ver, note, body, received_at FROM applications
		WHERE status != ? ORDER BY server_seq`, string(credit.StatusClosed))
	if err != nil {
		return nil, fmt.Errorf("open applications: %w", err)
	}
	defer rows.Close()
	var out []appRow
	for rows.Next() {
		var a appRow
		var body []byte
		var at string
		if err := rows.Scan(&a.id, &a.device, &a.kind, &a.status, &a.statusVer, &a.note, &body, &at); err != nil {
			return nil, fmt.Errorf("open applications: %w", err)
		}
		if err := parseTime(at, &a.receivedAt); err != nil {
			return nil, err
		}
		a.readBody(body)
		l, ok := credit.LifecycleOf(a.kind)
		if a.recordID == recordID && ok && l.CloseOnRevocation(a.status) == nil {
			out = append(out, a)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("open applications: %w", err)
	}
	return out, nil
}

// SetStatus moves application id to status to as officer, through the
// application's lifecycle (the `syncserver set-status` command): an
// illegal move is refused with an ECONFLICT *credit.Error naming both
// statuses, a decision that needs written reasons without them with
// EINVALID. A decision takes its effect as the dedicated operation does:
// corrected withdraws the record (why "corrected"), restored deletes it
// (why "restored").
func (s *Server) SetStatus(ctx context.Context, officer, id string, to credit.ApplicationStatus, note string) (ApplicationState, error) {
	switch to {
	case credit.StatusCorrected, credit.StatusNotCorrected:
		return s.DecideObjection(ctx, officer, id, to == credit.StatusCorrected, note, nil)
	case credit.StatusRestored, credit.StatusRefused:
		return s.DecideRestoration(ctx, officer, id, to == credit.StatusRestored, note)
	}
	return s.move(ctx, officer, id, "", to, note, nil)
}
