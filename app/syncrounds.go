package app

import (
	"sync"
	"time"

	credit "github.com/gansu-credit/credit"
)

// SyncRound is one finished sync round, for the office's sync history.
type SyncRound struct {
	Started time.Time // first progress report of the round (zero if none came)
	Ended   time.Time
	Phase   SyncPhase // SyncIdle (success), SyncOffline or SyncFailed
	Applied int       // changes applied
	Pending int       // applications still waiting to be sent
	Err     error     // the failure, for SyncOffline and SyncFailed
}

// OK reports whether the round ended without error.
func (r SyncRound) OK() bool { return r.Phase == SyncIdle }

// SyncHistoryLen is how many rounds SyncRounds keeps.
const SyncHistoryLen = 50

// syncHistory collects finished rounds from the sync loop's reports.
type syncHistory struct {
	mu      sync.Mutex
	started time.Time   // of the round in progress; zero when none
	rounds  []SyncRound // oldest first, at most SyncHistoryLen
}

// note takes one report: a running report starts a round, an idle, offline
// or failed report ends it. Idle reports with no round in progress (the
// first status at start-up) are not rounds.
func (h *syncHistory) note(info SyncInfo, now time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch info.Phase {
	case SyncRunning:
		if h.started.IsZero() {
			h.started = now
		}
		return
	case SyncIdle:
		if h.started.IsZero() {
			return
		}
	case SyncOffline, SyncFailed:
	default:
		return
	}
	r := SyncRound{Started: h.started, Ended: now, Phase: info.Phase, Applied: info.Applied, Pending: info.Pending, Err: info.Err}
	h.started = time.Time{}
	if len(h.rounds) == SyncHistoryLen {
		h.rounds = append(h.rounds[:0], h.rounds[1:]...)
	}
	h.rounds = append(h.rounds, r)
}

// SyncRounds returns the last SyncHistoryLen finished sync rounds, newest
// first.
func (s *Service) SyncRounds() []SyncRound {
	h := &s.history
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]SyncRound, len(h.rounds))
	for i, r := range h.rounds {
		out[len(out)-1-i] = r
	}
	return out
}

// CanSyncNow reports whether a sync loop is attached that SyncNow can wake.
func (s *Service) CanSyncNow() bool { return s.syncNow != nil }

// SyncNow asks the sync loop to start a round now instead of at its next
// turn (a round in progress is followed by another). Without a sync loop
// it returns EUNAVAILABLE.
func (s *Service) SyncNow() error {
	if s.syncNow == nil {
		return errNoSync
	}
	s.syncNow()
	return nil
}

var errNoSync = credit.Errorf(credit.EUNAVAILABLE,
	"本机未配置与平台同步（--server），无法立即同步。",
	"This terminal is not set up to sync with the platform (--server), so it cannot sync now.")
