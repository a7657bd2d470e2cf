package office

import (
	"fmt"
	"slices"

	"github.com/gansu-credit/credit/app/ui"
	"github.com/gansu-credit/credit/assets"
)

// msg identifies a text of the office app.
type msg int

// Message ids. Every text the office app shows comes from messages (or
// syncMessages, printMessages), read from the translation files.
const (
	msgTitle msg = iota
	msgLangToggle
	msgLoginTitle
	msgStaffID
	msgStaffIDHint
	msgPassword
	msgLogin
	msgLogout
	msgClerk
	msgIdleLocked
	msgTabInquiry
	msgTabQueue
	msgTabSync
	msgSubjectID
	msgSubjectIDHint
	msgPurpose
	msgChoosePurpose
	msgAuthRef
	msgAuthRefHint
	msgAuthRefNote
	msgInquire
	msgClear
	msgSubjectName
	msgSubjectCode
	msgLogged
	msgDataAsOf
	msgStale
	msgNeverSynced
	msgNoRecords
	msgSourceUnit
	msgDocumentNo
	msgLegalBasis
	msgDecisionDate
	msgPublicityUntil
	msgTier
	msgUnderObjection
	msgRefresh
	msgQueueEmpty
	msgColNo
	msgColKind
	msgColSubject
	msgColStatus
	msgColReceived
	msgColDue
	msgColLate
	msgOverdueDays
	msgOverdue
	msgOnTime
	msgKindObjection
	msgKindRestoration
	msgSyncPhase
	msgSyncLastSuccess
	msgSyncPending
	msgSyncIdle
	msgSyncRunning
	msgSyncOffline
	msgSyncFailed
	msgSyncOff
	msgSyncUnknown
	msgNever
	msgAllKinds
	msgAllStatuses
	msgTabIntake
	msgTabSettings
	msgApplicantRole
	msgIntakeAuthRef
	msgIntakeAuthRefHint
	msgReadCard
	msgLookUp
	msgIntakeNote
	msgApplicant
	msgRecord
	msgAppKind
	msgObjType
	msgStatement
	msgContact
	msgPerformance
	msgShowLetter
	msgLetter
	msgCommitted
	msgSubmit
	msgFree
	msgReceiptTitle
	msgReceiptNo
	msgReceiptAt
	msgReceiptLabelDue
	msgReceiptDecisionDue
	msgReceiptAcceptDue
	msgReceiptFeedbackDue
	msgEvidence
	msgAttach
	msgNoEvidence
	msgEvidenceItem
	msgEvidenceLocal
	msgNewIntake
	msgReaderPort
	msgNoReader
	msgPrinter
	msgPrinterHint
	msgCounty
	msgCountyNote
	msgSave
	msgSaved
	msgAudit
	msgVerifyAudit
	msgAuditOK
	msgAuditBroken
	msgRegion
	msgRegionHint
	msgRegionBad
	msgNoPrinters
	msgPrintersFailed
	msgQueueEmptyFiltered
	msgSyncNeverHint
	msgSyncOffHint
	msgAuditHint
	msgAuditNoDetail
	// Texts once written inline (issue 7).
	msgAuditAll
	msgAuditAllPurposes
	msgAuditSearch
	msgAuditFrom
	msgAuditTo
	msgAuditStaff
	msgAuditDevice
	msgAuditColNo
	msgAuditColTime
	msgAuditColInquirer
	msgAuditColSubject
	msgAuditColPurpose
	msgAuditColAuthRef
	msgAuditColResult
	msgAuditNone
	msgAuditPrev
	msgAuditNext
	msgAuditWhoPublic
	msgAuditWhoClerk
	msgAuditWhoSelf
	msgAuditInPerson
	msgAuditNotFound
	msgPurposeSelf
	msgPurposePublic
	msgPurposeIntake
	// Counts (counted): <name>One for exactly one, <name>Other for any
	// other number.
	msgRecordsOne
	msgRecordsOther
	msgPageItemsOne
	msgPageItemsOther
	msgDevicesOne
	msgDevicesOther
	msgEntriesOne
	msgEntriesOther
	msgAuditPage
	msgDaysHeading
	msgDaysNote
	msgDaysNone
	msgDayAddedBy
	msgDayRemove
	msgDayNameHint
	msgDayAdd
	msgDayDate
	msgDayName
	msgDayEdits
	msgDayEditsNone
	msgDayEditRemoved
	msgDayEditAdded
	msgDayEdit
	msgSelectRecord
	msgProvisionalMark
	msgErrReprintChoose
	msgErrInternal
	msgTabAudit
	msgErrFileUnreadable
	msgOverdueDayOne // counted with msgOverdueDays
	msgCount         // keep last
)

// messages, syncMessages and printMessages hold the office's texts in
// Chinese and English, indexed by their ids, as read once from
// assets/lang/office.<lang>.json (ui.LoadTranslations). Entries with %
// verbs are formatted by tf, tsf and tpf.
//
// messageProblems lists every gap found while loading them: a file missing
// or malformed, a key missing, empty or unknown. The office still starts
// (the other language or the key is shown, see ui.LoadTranslations) and
// New logs each problem; TestTranslationFiles fails on any, so none
// reaches a build.
var messages, syncMessages, printMessages, messageProblems = loadMessages()

// loadMessages reads the office's texts from assets.Translations(): one
// key list, split into the three tables.
func loadMessages() (m [msgCount][2]string, s [syncMsgCount][2]string, p [printMsgCount][2]string, problems []error) {
	keys := slices.Concat(msgKeys[:], syncMsgKeys[:], printMsgKeys[:])
	table, problems := ui.LoadTranslations(assets.Translations(), "office", keys)
	m = [msgCount][2]string(table[:msgCount])
	table = table[msgCount:]
	s = [syncMsgCount][2]string(table[:syncMsgCount])
	p = [printMsgCount][2]string(table[syncMsgCount:])
	return m, s, p, problems
}

// t returns the text of m in lang.
func t(lang ui.Lang, m msg) string { return pick(lang, messages[m][0], messages[m][1]) }

// tf formats the text of m in lang with args.
func tf(lang ui.Lang, m msg, args ...any) string {
	return fmt.Sprintf(t(lang, m), args...)
}

// pick returns zh or en by lang (for labels that come from credit).
func pick(lang ui.Lang, zh, en string) string {
	if lang == ui.English {
		return en
	}
	return zh
}
