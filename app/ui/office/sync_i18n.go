package office

import (
	"fmt"

	"github.com/gansu-credit/credit/app/ui"
)

// syncMsg identifies a text of the sync panel (kept apart from msg so the
// panel's texts live next to it).
type syncMsg int

const (
	syncMsgNow syncMsg = iota
	syncMsgRequested
	syncMsgApplied
	syncMsgHistory
	syncMsgNoRounds
	syncMsgRoundOK
	syncMsgRoundOffline
	syncMsgRoundFailed
	syncMsgErrUnknown
	syncMsgErrInternal
	syncMsgHintOffline
	syncMsgHintRefused
	syncMsgHintOther
	syncMsgLagUnknown
	syncMsgLagNone
	syncMsgLagWaiting
	syncMsgLagWaitingOne
	syncMsgLagOverdue
	syncMsgAppliedOne
	syncMsgUpdatesOne
	syncMsgUpdatesOther
	syncMsgWaitingOne
	syncMsgWaitingOther
	syncMsgCount
)

// syncMsgKeys names each sync panel text in the translation files
// (assets/lang/office.<lang>.json): the constant's name without "Msg", in
// snake case. The texts are in syncMessages (i18n.go).
var syncMsgKeys = [syncMsgCount]string{
	syncMsgNow:          "sync_now",
	syncMsgRequested:    "sync_requested",
	syncMsgApplied:      "sync_applied",
	syncMsgHistory:      "sync_history",
	syncMsgNoRounds:     "sync_no_rounds",
	syncMsgRoundOK:      "sync_round_ok",
	syncMsgRoundOffline: "sync_round_offline",
	syncMsgRoundFailed:  "sync_round_failed",
	syncMsgErrUnknown:   "sync_err_unknown",
	syncMsgErrInternal:  "sync_err_internal",
	syncMsgHintOffline:  "sync_hint_offline",
	syncMsgHintRefused:  "sync_hint_refused",
	syncMsgHintOther:    "sync_hint_other",
	// Deletion lag as the platform reported it at the last ack (Art. 48).
	syncMsgLagUnknown:    "sync_lag_unknown",
	syncMsgLagNone:       "sync_lag_none",
	syncMsgLagWaiting:    "sync_lag_waiting",
	syncMsgLagWaitingOne: "sync_lag_waiting_one",
	syncMsgLagOverdue:    "sync_lag_overdue",
	// Counts (counted, audit_i18n.go): the singular for one in English.
	syncMsgAppliedOne:   "sync_applied_one",
	syncMsgUpdatesOne:   "sync_updates_one",
	syncMsgUpdatesOther: "sync_updates_other",
	syncMsgWaitingOne:   "sync_waiting_one",
	syncMsgWaitingOther: "sync_waiting_other",
}

// ts returns the sync panel text m in lang.
func ts(lang ui.Lang, m syncMsg) string { return pick(lang, syncMessages[m][0], syncMessages[m][1]) }

// tsf formats the sync panel text m in lang with args.
func tsf(lang ui.Lang, m syncMsg, args ...any) string {
	return fmt.Sprintf(ts(lang, m), args...)
}
