package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// AddEvidence attaches a file to a captured objection or restoration
// application. The content must be a document type (credit.CheckEvidence:
// PDF, JPEG or PNG by magic bytes, at most credit.MaxEvidenceBytes) and is
// stored once under its SHA-256; e.SHA256, e.Type and e.Size are set from
// data. An application holds at most credit.MaxEvidencePerApp files; the
// same content attached twice is a no-op. It returns the attachment as
// stored.
func (d *DB) AddEvidence(ctx context.Context, e credit.Evidence, data []byte) (credit.Evidence, error) {
	typ, err := credit.CheckEvidence(e.Name, data)
	if err != nil {
		return credit.Evidence{}, err
	}
	sum := sha256.Sum256(data)
	e.SHA256, e.Type, e.Size = hex.EncodeToString(sum[:]), typ, int64(len(data))
	if e.AddedAt.IsZero() {
		e.AddedAt = d.now()
	}
	err = d.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM objections WHERE id = ?) + (SELECT count(*) FROM restorations WHERE id = ?)`,
			e.ApplicationID, e.ApplicationID).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return credit.Errorf(credit.ENOTFOUND, "未找到该申请，无法附加材料。", "No such application to attach the file to.")
		}
		var dup int
		err = tx.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE application_id = ? AND sha256 = ?`, e.ApplicationID, e.SHA256).Scan(&dup)
		if err != nil || dup > 0 {
			return err // already attached: no-op
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM evidence WHERE application_id = ?`, e.ApplicationID).Scan(&n); err != nil {
			return err
		}
		if n >= credit.MaxEvidencePerApp {
			return credit.Errorf(credit.EINVALID, "每件申请最多附加 %d 个文件。", "At most %d files can be attached to an application.", credit.MaxEvidencePerApp)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (sha256, type, size, content) VALUES (?, ?, ?, ?)
ON CONFLICT (sha256) DO NOTHING`, e.SHA256, string(e.Type), e.Size, data); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO evidence (application_id, sha256, name, added_at) VALUES (?, ?, ?, ?)`,
			e.ApplicationID, e.SHA256, e.Name, e.AddedAt.UnixNano())
		return err
	})
	if err != nil {
		if credit.ErrorCode(err) != credit.EINTERNAL {
			return credit.Evidence{}, err
		}
		return credit.Evidence{}, fmt.Errorf("store: add evidence: %w", err)
	}
	return e, nil
}

// EvidenceOf lists the files attached to an application, oldest first.
func (d *DB) EvidenceOf(ctx context.Context, applicationID string) ([]credit.Evidence, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT e.sha256, e.name, b.type, b.size, e.added_at
FROM evidence e JOIN evidence_blobs b ON b.sha256 = e.sha256 WHERE e.application_id = ? ORDER BY e.added_at, e.rowid`, applicationID)
	if err != nil {
		return nil, fmt.Errorf("store: evidence of: %w", err)
	}
	defer rows.Close()
	out := []credit.Evidence{}
	for rows.Next() {
		e := credit.Evidence{ApplicationID: applicationID}
		var typ string
		var at int64
		if err := rows.Scan(&e.SHA256, &e.Name, &typ, &e.Size, &at); err != nil {
			return nil, fmt.Errorf("store: evidence of: %w", err)
		}
		e.Type, e.AddedAt = credit.EvidenceType(typ), time.Unix(0, at).In(china)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: evidence of: %w", err)
	}
	return out, nil
}

// EvidenceContent returns the bytes stored under a SHA-256, or ENOTFOUND.
func (d *DB) EvidenceContent(ctx context.Context, sha string) ([]byte, error) {
	var b []byte
	err := d.db.QueryRowContext(ctx, `SELECT content FROM evidence_blobs WHERE sha256 = ?`, sha).Scan(&b)
	if errNoRows(err) {
		return nil, credit.Errorf(credit.ENOTFOUND, "未找到该文件。", "No such file.")
	}
	if err != nil {
		return nil, fmt.Errorf("store: evidence content: %w", err)
	}
	return b, nil
}

// EraseEvidence removes every attachment of an application (withdrawn, or
// erased with its subject) and the content no other attachment refers to;
// with secure_delete on, the bytes are overwritten in the file. It returns
// the number of attachments removed.
func (d *DB) EraseEvidence(ctx context.Context, applicationID string) (int, error) {
	var n int64
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM evidence WHERE application_id = ?`, applicationID)
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM evidence_sync WHERE application_id = ?`, applicationID); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM evidence_blobs WHERE sha256 NOT IN (SELECT sha256 FROM evidence)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: erase evidence: %w", err)
	}
	return int(n), nil
}
