package syncserver

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// batchSize is how many rows PutSubjects writes per transaction.
const batchSize = 2000

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string, t *time.Time) error {
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("stored time %q: %w", s, err)
	}
	*t = v
	return nil
}

// PutSubjects inserts or replaces subjects and records and logs a put for
// each, in transactions of batchSize rows. A row's version becomes the
// larger of its own and the stored version plus one.
func (s *Server) PutSubjects(ctx context.Context, subjects []credit.Subject, records []credit.Record) error {
	type row struct {
		typ           credit.ChangeType
		id, subjectID string
		ver           int64
		subject       *credit.Subject
		record        *credit.Record
	}
	rows := make([]row, 0, len(subjects)+len(records))
	for i := range subjects {
		rows = append(rows, row{typ: credit.TypeSubject, id: subjects[i].ID, ver: subjects[i].Version, subject: &subjects[i]})
	}
	for i := range records {
		rows = append(rows, row{typ: credit.TypeRecord, id: records[i].ID, subjectID: records[i].SubjectID, ver: records[i].Version, record: &records[i]})
	}
	for start := 0; start < len(rows); start += batchSize {
		batch := rows[start:min(start+batchSize, len(rows))]
		err := s.inTx(ctx, func(tx *sql.Tx) error {
			for _, r := range batch {
				if r.id == "" {
					return credit.Errorf(credit.EINVALID, "缺少编号。", "A %s has no id.", r.typ)
				}
				table := "subjects"
				if r.typ == credit.TypeRecord {
					table = "records"
				}
				var old int64
				err := tx.QueryRowContext(ctx, `SELECT ver FROM `+table+` WHERE id = ?`, r.id).Scan(&old)
				if errors.Is(err, sql.ErrNoRows) {
					// A withdrawn row's tombstone keeps its last version: a
					// re-publication goes above it, or a device that missed the
					// withdrawal would keep its newer copy (internal/e2e
					// TestRepublishAfterWithdrawal).
					err = tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(ver), 0) FROM change_log WHERE type = ? AND id = ?`, string(r.typ), r.id).Scan(&old)
				}
				if err != nil && !errors.Is(err, sql.ErrNoRows) {
					return fmt.Errorf("read %s %s: %w", r.typ, r.id, err)
				}
				ver := max(r.ver, old+1)
				c := credit.Change{Op: credit.OpPut, Type: r.typ, ID: r.id, Version: ver, Subject: r.subject, Record: r.record}
				if r.record != nil { // Art. 44: published or corrected (ops_history.go)
					rec, err := withHistory(ctx, tx, *r.record, ver, credit.ReasonCorrection, "", s.now())
					if err != nil {
						return err
					}
					c.Record = &rec
				}
				line, err := protocol.LineFromChange(c)
				if err != nil {
					return err
				}
				var move *subjectMove
				if r.typ == credit.TypeSubject { // a subject moved leaves its old scope (scope_move.go)
					if move, err = moveOut(ctx, tx, r.id, line.D, ver, s.now()); err != nil {
						return err
					}
				}
				if r.typ == credit.TypeRecord {
					_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO records(id, subject_id, ver, body) VALUES(?, ?, ?, ?)`, r.id, r.subjectID, ver, string(line.D))
				} else {
					_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO subjects(id, ver, body) VALUES(?, ?, ?)`, r.id, ver, string(line.D))
				}
				if err != nil {
					return fmt.Errorf("write %s %s: %w", r.typ, r.id, err)
				}
				if _, err := logChange(ctx, tx, line, "", s.now()); err != nil {
					return err
				}
				if move != nil {
					if err := moveIn(ctx, tx, move, s.now()); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("syncserver: put subjects: %w", err)
		}
	}
	s.log.Info("subjects put", "subjects", len(subjects), "records", len(records))
	return nil
}

// WithdrawRecord deletes a record and logs a tombstone carrying only its
// id, version and reason. The record's earlier put leaves the log with it.
// It returns an ENOTFOUND *credit.Error when there is no such record.
func (s *Server) WithdrawRecord(ctx context.Context, recordID, reason string) error {
	if reason == "" {
		reason = "withdrawn"
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var ver int64
		err := tx.QueryRowContext(ctx, `SELECT ver FROM records WHERE id = ?`, recordID).Scan(&ver)
		if errors.Is(err, sql.ErrNoRows) {
			return credit.Errorf(credit.ENOTFOUND, "没有该信用记录。", "There is no record %q.", recordID)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = ?`, recordID); err != nil {
			return err
		}
		_, err = logChange(ctx, tx, protocol.Line{Op: protocol.OpDel, T: string(credit.TypeRecord), ID: recordID, Ver: ver + 1, Why: reason}, "", s.now())
		return err
	})
	if err != nil {
		return fmt.Errorf("syncserver: withdraw record %s: %w", recordID, err)
	}
	s.log.Info("record withdrawn", "record", recordID, "reason", reason)
	return nil
}

// SetApplicationStatus moves an application to st and logs the news for
// the device that sent it, through the application's lifecycle like
// SetStatus (ops_revoke.go): an illegal move is an ECONFLICT error.
// ENOTFOUND when there is no such application.
func (s *Server) SetApplicationStatus(ctx context.Context, id string, st credit.ApplicationStatus, note string) error {
	_, err := s.SetStatus(ctx, "admin", id, st, note)
	return err
}

// StoredApplication is an application as the platform holds it.
type StoredApplication struct {
	ID       string
	DeviceID string
	Kind     credit.ApplicationKind
	Body     []byte // exactly as received
	Status   credit.ApplicationStatus
	Note     string
	Receipt  credit.Receipt
}

// Applications returns every stored application in order of receipt.
func (s *Server) Applications(ctx context.Context) ([]StoredApplication, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, device, kind, body, status, note, digest, server_seq, received_at FROM applications ORDER BY server_seq`)
	if err != nil {
		return nil, fmt.Errorf("syncserver: applications: %w", err)
	}
	defer rows.Close()
	var out []StoredApplication
	for rows.Next() {
		var a StoredApplication
		var at string
		if err := rows.Scan(&a.ID, &a.DeviceID, &a.Kind, &a.Body, &a.Status, &a.Note, &a.Receipt.Digest, &a.Receipt.ServerSeq, &at); err != nil {
			return nil, fmt.Errorf("syncserver: applications: %w", err)
		}
		if err := parseTime(at, &a.Receipt.ReceivedAt); err != nil {
			return nil, fmt.Errorf("syncserver: applications: %w", err)
		}
		a.Receipt.ApplicationID = a.ID
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: applications: %w", err)
	}
	return out, nil
}

// Stats counts what the server holds.
type Stats struct {
	Subjects, Records, Applications int
	HeadSeq                         int64 // highest change-log seq
}

// Stats returns the counts and the change-log head.
func (s *Server) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM subjects), (SELECT COUNT(*) FROM records),
		(SELECT COUNT(*) FROM applications), (SELECT COALESCE(MAX(seq), 0) FROM change_log)`).Scan(&st.Subjects, &st.Records, &st.Applications, &st.HeadSeq)
	if err != nil {
		return st, fmt.Errorf("syncserver: stats: %w", err)
	}
	return st, nil
}
