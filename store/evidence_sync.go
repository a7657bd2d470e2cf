package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// Sending evidence to the platform (syncclient.EvidenceOutbox). Every
// attachment is pending until the platform has acknowledged the manifest
// naming it (sent) or refused its file (refused); neither leaves it
// pending, so nothing is sent forever and nothing attached is skipped,
// whenever it was attached.

// PendingEvidence returns up to limit attachments not yet sent nor
// refused, oldest first. Those of an application the platform rejected
// are left out: it will never hold that application.
func (d *DB) PendingEvidence(ctx context.Context, limit int) ([]credit.Evidence, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT e.application_id, e.sha256, e.name, b.type, b.size, e.added_at
FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256
LEFT JOIN evidence_sync s ON s.application_id = e.application_id AND s.sha256 = e.sha256
WHERE s.state IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.id = e.application_id AND o.state = 'rejected')
ORDER BY e.added_at, e.rowid LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: pending evidence: %w", err)
	}
	defer rows.Close()
	var out []credit.Evidence
	for rows.Next() {
		var e credit.Evidence
		var typ string
		var at int64
		if err := rows.Scan(&e.ApplicationID, &e.SHA256, &e.Name, &typ, &e.Size, &at); err != nil {
			return nil, fmt.Errorf("store: pending evidence: %w", err)
		}
		e.Type, e.AddedAt = credit.EvidenceType(typ), time.Unix(0, at).In(china)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: pending evidence: %w", err)
	}
	return out, nil
}

// MarkEvidenceSent records that the platform holds these attachments of
// an application. Marking one again is a no-op.
func (d *DB) MarkEvidenceSent(ctx context.Context, applicationID string, shas []string) error {
	return d.markEvidence(ctx, "mark evidence sent", applicationID, shas, "sent", "")
}

// MarkEvidenceRefused records the platform's refusal of an attachment
// (reason in plain words); it is not sent again.
func (d *DB) MarkEvidenceRefused(ctx context.Context, applicationID, sha, reason string) error {
	return d.markEvidence(ctx, "mark evidence refused", applicationID, []string{sha}, "refused", reason)
}

// EvidenceRefusal returns the platform's reason for refusing an
// attachment, or "" when it was not refused.
func (d *DB) EvidenceRefusal(ctx context.Context, applicationID, sha string) (string, error) {
	var reason string
	err := d.db.QueryRowContext(ctx, `SELECT reason FROM evidence_sync WHERE application_id = ? AND sha256 = ? AND state = 'refused'`,
		applicationID, sha).Scan(&reason)
	if err != nil && !errNoRows(err) {
		return "", fmt.Errorf("store: evidence refusal: %w", err)
	}
	return reason, nil
}

func (d *DB) markEvidence(ctx context.Context, op, applicationID string, shas []string, state, reason string) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		for _, sha := range shas {
			if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_sync (application_id, sha256, state, reason, at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (application_id, sha256) DO NOTHING`, applicationID, sha, state, reason, d.now().UnixNano()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: %s: %w", op, err)
	}
	return nil
}
