package syncserver

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	credit "github.com/gansu-credit/credit"
)

// calendar is the working-day calendar of the officer deadlines.
func (s *Server) calendar() credit.Calendar {
	if s.opts.Calendar == nil {
		return credit.WeekendCalendar{}
	}
	return s.opts.Calendar
}

// ApplicationState returns application id with its first unmet deadline
// and, for a labelled objection, when the label was applied. ENOTFOUND
// when there is no such application.
func (s *Server) ApplicationState(ctx context.Context, id string) (ApplicationState, error) {
	if _, err := s.db.ExecContext(ctx, opsSchema); err != nil {
		return ApplicationState{}, fmt.Errorf("syncserver: application %s: %w", id, err)
	}
	a, err := loadApp(ctx, s.db, id)
	if err != nil {
		return ApplicationState{}, fmt.Errorf("syncserver: application %s: %w", id, err)
	}
	var note string
	var labelAt sql.NullString
	err = s.db.QueryRowContext(ctx, `SELECT note, (SELECT at FROM officer_actions WHERE application_id = a.id AND to_status = ? ORDER BY seq LIMIT 1)
		FROM applications a WHERE id = ?`, string(credit.StatusLabelled), id).Scan(&note, &labelAt)
	if err != nil {
		return ApplicationState{}, fmt.Errorf("syncserver: application %s: %w", id, err)
	}
	st, err := s.state(a, note, labelAt, s.now())
	if err != nil {
		return ApplicationState{}, fmt.Errorf("syncserver: application %s: %w", id, err)
	}
	return st, nil
}

// ApplicationStates returns every application, in order of receipt, with
// its deadlines as of now.
func (s *Server) ApplicationStates(ctx context.Context) ([]ApplicationState, error) {
	if _, err := s.db.ExecContext(ctx, opsSchema); err != nil {
		return nil, fmt.Errorf("syncserver: application states: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT a.id, a.device, a.kind, a.status, a.status_ver, a.body, a.received_at, a.note,
		(SELECT at FROM officer_actions o WHERE o.application_id = a.id AND o.to_status = ? ORDER BY o.seq LIMIT 1)
		FROM applications a ORDER BY a.server_seq`, string(credit.StatusLabelled))
	if err != nil {
		return nil, fmt.Errorf("syncserver: application states: %w", err)
	}
	defer rows.Close()
	now := s.now()
	var out []ApplicationState
	for rows.Next() {
		var a appRow
		var body []byte
		var at, note string
		var labelAt sql.NullString
		if err := rows.Scan(&a.id, &a.device, &a.kind, &a.status, &a.statusVer, &body, &at, &note, &labelAt); err != nil {
			return nil, fmt.Errorf("syncserver: application states: %w", err)
		}
		if err := parseTime(at, &a.receivedAt); err != nil {
			return nil, fmt.Errorf("syncserver: application states: %w", err)
		}
		a.readBody(body)
		st, err := s.state(a, note, labelAt, now)
		if err != nil {
			return nil, fmt.Errorf("syncserver: application states: %w", err)
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: application states: %w", err)
	}
	return out, nil
}

// OverdueApplications returns the applications past their first unmet
// deadline as of now (Art. 46: flagged with how many working days late).
func (s *Server) OverdueApplications(ctx context.Context) ([]ApplicationState, error) {
	all, err := s.ApplicationStates(ctx)
	if err != nil {
		return nil, err
	}
	var out []ApplicationState
	for _, a := range all {
		if a.Pending != nil && a.Pending.Late {
			out = append(out, a)
		}
	}
	return out, nil
}

// state derives the officer's view of a. Deadlines run from the time the
// citizen filed the application (the body's received_at, which the device
// printed the due dates from), not from when the platform first heard of
// it: a kiosk that was offline does not buy the platform time.
func (s *Server) state(a appRow, note string, labelAt sql.NullString, now time.Time) (ApplicationState, error) {
	cal := s.calendar()
	st := ApplicationState{ID: a.id, DeviceID: a.device, Kind: a.kind, RecordID: a.recordID, Status: a.status, Note: note, ReceivedAt: a.filedAt}
	if l, ok := credit.LifecycleOf(a.kind); ok {
		if stage, ok := l.Pending(a.status); ok {
			due, prov := credit.Deadline(cal, a.filedAt, stage.Days)
			late, wd := l.Overdue(cal, a.filedAt, a.status, now)
			st.Pending = &Deadline{Name: stage.Name, Due: due, Late: late, WorkingDaysLate: wd, Provisional: prov}
		}
	}
	if labelAt.Valid {
		var at time.Time
		if err := parseTime(labelAt.String, &at); err != nil {
			return st, err
		}
		due := credit.AddWorkingDays(cal, a.filedAt, credit.ObjectionLabelDays)
		st.Label = &LabelReport{At: at, Due: due, Late: at.After(due), WorkingDaysLate: credit.WorkingDaysLate(cal, due, at)}
	}
	return st, nil
}
