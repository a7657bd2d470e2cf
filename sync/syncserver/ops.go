package syncserver

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// The platform officer's operations of the rights chapter (Arts. 46-48).
// Each one checks the application's lifecycle (credit.Lifecycle), writes
// its effect on the record (a put or a tombstone), the status news for the
// device that sent the application and an officer_actions row, all in one
// transaction, so the device sees the outcome at its next sync.

// opsSchema holds what the officer did and when; the label time of an
// objection (Art. 46: within 1 working day) is read from it.
const opsSchema = `
CREATE TABLE IF NOT EXISTS officer_actions(
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	application_id TEXT NOT NULL DEFAULT '',
	record_id TEXT NOT NULL DEFAULT '',
	officer TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status TEXT NOT NULL,
	reasons TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS officer_actions_app ON officer_actions(application_id, to_status);`

// Tombstone reasons written by the officer operations.
const (
	WhyCorrected = "corrected" // objection upheld: record withdrawn (Art. 46)
	WhyRestored  = "restored"  // credit restored: record deleted (Art. 47)
	WhyRevoked   = "revoked"   // basis revoked or invalid (Art. 48)
)

// ApplicationState is an application as the platform officer sees it.
type ApplicationState struct {
	ID         string
	DeviceID   string
	Kind       credit.ApplicationKind
	RecordID   string
	Status     credit.ApplicationStatus
	Note       string
	ReceivedAt time.Time // when the citizen filed it (the body's received_at)
	// Pending is the first deadline not met yet (nil once decided).
	Pending *Deadline
	// Label says when an objection's label was applied (nil until then).
	Label *LabelReport
}

// Deadline is one working-day deadline of an application.
type Deadline struct {
	Name            string
	Due             time.Time
	Late            bool
	WorkingDaysLate int
	Provisional     bool // counted over a year whose holiday notice is not out
}

// LabelReport is when an objection label was applied relative to its
// 1-working-day deadline (Art. 46).
type LabelReport struct {
	At, Due         time.Time
	Late            bool
	WorkingDaysLate int
}

// Revocation is the outcome of RevokeBasis.
type Revocation struct {
	RecordID    string
	Version     int64     // of the tombstone
	WithdrawDue time.Time // devices delete within one day (Art. 48)
	Closed      []string  // open applications on the record, closed by the revocation
}

// ApplyLabel labels an objection "under objection" on the platform
// (received → labelled) and reports when that was relative to the
// 1-working-day deadline (Art. 46).
func (s *Server) ApplyLabel(ctx context.Context, officer, appID string) (ApplicationState, error) {
	return s.move(ctx, officer, appID, credit.KindObjection, credit.StatusLabelled, "", nil)
}

// StartReview moves a labelled objection under review.
func (s *Server) StartReview(ctx context.Context, officer, appID string) (ApplicationState, error) {
	return s.move(ctx, officer, appID, credit.KindObjection, credit.StatusUnderReview, "", nil)
}

// DecideObjection decides an objection under review (Art. 46). Not
// corrected needs written reasons. Corrected replaces the record with
// correctedRecord (a put with a higher version) or, when it is nil,
// withdraws the record (a tombstone with why "corrected").
func (s *Server) DecideObjection(ctx context.Context, officer, appID string, corrected bool, reasons string, correctedRecord *credit.Record) (ApplicationState, error) {
	to := credit.StatusNotCorrected
	if corrected {
		to = credit.StatusCorrected
	} else if correctedRecord != nil {
		return ApplicationState{}, credit.Errorf(credit.EINVALID, "不予更正时不能提交更正后的记录。", "A corrected record was given for a decision not to correct.")
	}
	return s.move(ctx, officer, appID, credit.KindObjection, to, reasons, func(tx *sql.Tx, a appRow, at time.Time) error {
		if !corrected {
			return nil
		}
		if correctedRecord == nil {
			_, _, err := withdrawTx(ctx, tx, a.recordID, WhyCorrected, at)
			return err
		}
		return putRecordTx(ctx, tx, a.recordID, *correctedRecord, at)
	})
}

// AcceptRestoration accepts a restoration application (received →
// accepted; due within 3 working days).
func (s *Server) AcceptRestoration(ctx context.Context, officer, appID string) (ApplicationState, error) {
	return s.move(ctx, officer, appID, credit.KindRestoration, credit.StatusAccepted, "", nil)
}

// RejectRestoration does not accept a restoration application, with
// written reasons (received → rejected).
func (s *Server) RejectRestoration(ctx context.Context, officer, appID, reasons string) (ApplicationState, error) {
	return s.move(ctx, officer, appID, credit.KindRestoration, credit.StatusRejected, reasons, nil)
}

// DecideRestoration decides an accepted restoration. Restored deletes the
// record with a tombstone (why "restored"; Arts. 47-48: the information is
// deleted afterwards); refused needs written reasons.
func (s *Server) DecideRestoration(ctx context.Context, officer, appID string, restored bool, reasons string) (ApplicationState, error) {
	to := credit.StatusRefused
	if restored {
		to = credit.StatusRestored
	}
	return s.move(ctx, officer, appID, credit.KindRestoration, to, reasons, func(tx *sql.Tx, a appRow, at time.Time) error {
		if !restored {
			return nil
		}
		_, _, err := withdrawTx(ctx, tx, a.recordID, WhyRestored, at)
		return err
	})
}

// CloseApplication closes a decided application of either kind.
func (s *Server) CloseApplication(ctx context.Context, officer, appID, note string) (ApplicationState, error) {
	return s.move(ctx, officer, appID, "", credit.StatusClosed, note, nil)
}

// appRow is an application as move reads it.
type appRow struct {
	id, device, recordID string
	note                 string
	kind                 credit.ApplicationKind
	status               credit.ApplicationStatus
	statusVer            int64
	filedAt, receivedAt  time.Time
}

// move runs one lifecycle step of application id: check kind (any when
// want is ""), transition and reasons, apply effect, log the status news
// for the device and the officer action, in one transaction.
func (s *Server) move(ctx context.Context, officer, id string, want credit.ApplicationKind, to credit.ApplicationStatus, reasons string,
	effect func(tx *sql.Tx, a appRow, at time.Time) error,
) (ApplicationState, error) {
	var a appRow
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, opsSchema); err != nil {
			return fmt.Errorf("ops schema: %w", err)
		}
		var err error
		if a, err = loadApp(ctx, tx, id); err != nil {
			return err
		}
		l, ok := credit.LifecycleOf(a.kind)
		switch {
		case !ok:
			return credit.Errorf(credit.ECONFLICT, "未知的申请类型。", "Application %s is of unknown kind %q.", id, a.kind)
		case want != "" && a.kind != want:
			return wrongKind(a.kind)
		}
		if err := l.Check(a.status, to, reasons); err != nil {
			return err
		}
		at := s.now()
		if effect != nil {
			if err := effect(tx, a, at); err != nil {
				return err
			}
		}
		return moveTx(ctx, tx, officer, &a, to, reasons, at)
	})
	if err != nil {
		return ApplicationState{}, fmt.Errorf("syncserver: %s %s: %w", to, id, err)
	}
	s.log.Info("application moved", "application", id, "kind", string(a.kind), "to", string(to), "officer", officer)
	return s.ApplicationState(ctx, id)
}

// moveTx writes one step of application a to status to, at time at: the
// application row, the status news for the device that sent it and the
// officer action. The caller has checked the move.
func moveTx(ctx context.Context, tx *sql.Tx, officer string, a *appRow, to credit.ApplicationStatus, reasons string, at time.Time) error {
	// Closing without a note keeps the decision's written reasons on
	// the device: they stay shown and printable (Art. 46).
	note := reasons
	if note == "" && to == credit.StatusClosed {
		note = a.note
	}
	d, err := json.Marshal(protocol.StatusToWire(credit.StatusUpdate{ApplicationID: a.id, Status: to, Note: note, At: at}))
	if err != nil {
		return err
	}
	a.statusVer++
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = ?, note = ?, status_ver = ? WHERE id = ?`, string(to), note, a.statusVer, a.id); err != nil {
		return fmt.Errorf("update application: %w", err)
	}
	line := protocol.Line{Op: protocol.OpPut, T: string(credit.TypeApplicationStatus), ID: a.id, Ver: a.statusVer, D: d}
	if _, err := logChange(ctx, tx, line, a.device, at); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO officer_actions(application_id, record_id, officer, from_status, to_status, reasons, at)
		VALUES(?, ?, ?, ?, ?, ?, ?)`, a.id, a.recordID, officer, string(a.status), string(to), reasons, formatTime(at))
	if err != nil {
		return fmt.Errorf("officer action: %w", err)
	}
	a.status, a.note = to, note
	return nil
}

func wrongKind(k credit.ApplicationKind) error {
	if k == credit.KindRestoration {
		return credit.Errorf(credit.ECONFLICT, "这是信用修复申请，不是异议申请。", "This is a restoration application, not an objection.")
	}
	return credit.Errorf(credit.ECONFLICT, "这是异议申请，不是信用修复申请。", "This is an objection, not a restoration application.")
}

// loadApp reads application id; ENOTFOUND when there is none.
func loadApp(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string,
) (appRow, error) {
	a := appRow{id: id}
	var body []byte
	var at string
	err := q.QueryRowContext(ctx, `SELECT device, kind, status, status_ver, note, body, received_at FROM applications WHERE id = ?`, id).
		Scan(&a.device, &a.kind, &a.status, &a.statusVer, &a.note, &body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, credit.Errorf(credit.ENOTFOUND, "没有该申请。", "There is no application %q.", id)
	} else if err != nil {
		return a, fmt.Errorf("read application: %w", err)
	}
	if err := parseTime(at, &a.receivedAt); err != nil {
		return a, err
	}
	a.readBody(body)
	return a, nil
}

// readBody takes the record id and the filing time from an objection or
// a restoration body (both name them alike). The filing time is the
// device's clock: it is never taken later than the platform's receipt, so
// a kiosk clock running ahead cannot push the deadlines back.
func (a *appRow) readBody(body []byte) {
	var b struct {
		RecordID   string    `json:"record_id"`
		ReceivedAt time.Time `json:"received_at"`
	}
	_ = json.Unmarshal(body, &b) // validated on receipt
	a.recordID, a.filedAt = b.RecordID, b.ReceivedAt
	if a.filedAt.IsZero() || a.filedAt.After(a.receivedAt) {
		a.filedAt = a.receivedAt
	}
}

// withdrawTx deletes a record and logs its tombstone (the record's earlier
// put leaves the log). found is false, and nothing happens, when the
// record is gone already.
func withdrawTx(ctx context.Context, tx *sql.Tx, recordID, why string, at time.Time) (ver int64, found bool, err error) {
	err = tx.QueryRowContext(ctx, `SELECT ver FROM records WHERE id = ?`, recordID).Scan(&ver)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("read record: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE id = ?`, recordID); err != nil {
		return 0, false, fmt.Errorf("delete record: %w", err)
	}
	ver++
	_, err = logChange(ctx, tx, protocol.Line{Op: protocol.OpDel, T: string(credit.TypeRecord), ID: recordID, Ver: ver, Why: why}, "", at)
	return ver, true, err
}

// putRecordTx replaces record recordID with r at a higher version and logs
// the put. The record must still exist and r must be about it.
func putRecordTx(ctx context.Context, tx *sql.Tx, recordID string, r credit.Record, at time.Time) error {
	if r.ID == "" {
		r.ID = recordID
	}
	if r.ID != recordID {
		return credit.Errorf(credit.EINVALID, "更正后的记录编号与异议所指记录不一致。", "The corrected record %q is not the record objected to (%q).", r.ID, recordID)
	}
	if err := r.Validate(); err != nil {
		return err
	}
	var old int64
	var subject string
	err := tx.QueryRowContext(ctx, `SELECT ver, subject_id FROM records WHERE id = ?`, recordID).Scan(&old, &subject)
	if errors.Is(err, sql.ErrNoRows) {
		return credit.Errorf(credit.ENOTFOUND, "该记录已不存在，无法更正。", "Record %q no longer exists; it cannot be corrected.", recordID)
	} else if err != nil {
		return fmt.Errorf("read record: %w", err)
	}
	if r.SubjectID != subject {
		return credit.Errorf(credit.EINVALID, "更正不能改变记录所属主体。", "A correction cannot move the record to another subject.")
	}
	r.Version = max(r.Version, old+1)
	// Art. 44: the correction enters the record's history.
	if r, err = withHistory(ctx, tx, r, r.Version, credit.ReasonObjectionUpheld, "", at); err != nil {
		return err
	}
	line, err := protocol.LineFromChange(credit.Change{Op: credit.OpPut, Type: credit.TypeRecord, ID: r.ID, Version: r.Version, Record: &r})
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE records SET ver = ?, body = ? WHERE id = ?`, r.Version, string(line.D), r.ID); err != nil {
		return fmt.Errorf("update record: %w", err)
	}
	_, err = logChange(ctx, tx, line, "", at)
	return err
}
