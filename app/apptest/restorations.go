package apptest

import (
	"context"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

var _ app.ReportLog = (*Mem)(nil)

// SavedRestorations returns the restoration applications saved so far.
func (m *Mem) SavedRestorations() []credit.Restoration {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]credit.Restoration(nil), m.restorations...)
}

// SaveRestoration implements app.Applications.
func (m *Mem) SaveRestoration(_ context.Context, r credit.Restoration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("SaveRestoration"); err != nil {
		return err
	}
	for _, x := range m.restorations {
		if x.ID == r.ID {
			return nil
		}
	}
	for _, x := range m.restorations {
		if x.RecordID == r.RecordID && !closed(x.Status) {
			return credit.Errorf(credit.ECONFLICT, "该记录已有正在办理的信用修复申请（%s），请等待处理结果。",
				"This record already has an open restoration application (%s); please wait for its outcome.", x.No)
		}
	}
	m.restorations = append(m.restorations, r)
	return nil
}

// RestorationsOf implements app.Applications.
func (m *Mem) RestorationsOf(_ context.Context, subjectID string) ([]credit.Restoration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []credit.Restoration
	for _, r := range m.restorations {
		if r.SubjectID == subjectID {
			out = append(out, r)
		}
	}
	return out, nil
}

// Restoration implements app.Applications.
func (m *Mem) Restoration(_ context.Context, id string) (credit.Restoration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.restorations {
		if r.ID == id {
			return r, nil
		}
	}
	return credit.Restoration{}, notFound()
}

// LogReport implements app.ReportLog.
func (m *Mem) LogReport(_ context.Context, subjectID, _ string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail("LogReport"); err != nil {
		return err
	}
	if m.reports == nil {
		m.reports = map[string][]time.Time{}
	}
	m.reports[subjectID] = append(m.reports[subjectID], at)
	return nil
}

// ReportsIssued implements app.ReportLog.
func (m *Mem) ReportsIssued(_ context.Context, subjectID string, since time.Time) ([]time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []time.Time
	for _, t := range m.reports[subjectID] {
		if !t.Before(since) {
			out = append(out, t)
		}
	}
	return out, nil
}

var _ app.ApplicationLookup = (*Mem)(nil)

// ObjectionByNo implements app.ApplicationLookup.
func (m *Mem) ObjectionByNo(_ context.Context, no string) (credit.Objection, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.objections {
		if o.No == no {
			return o, nil
		}
	}
	return credit.Objection{}, notFound()
}

// RestorationByNo implements app.ApplicationLookup.
func (m *Mem) RestorationByNo(_ context.Context, no string) (credit.Restoration, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range m.restorations {
		if r.No == no {
			return r, nil
		}
	}
	return credit.Restoration{}, notFound()
}
