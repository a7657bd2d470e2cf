package ui

import "fmt"

// Lang is a display language.
type Lang string

// Languages. Chinese is the default.
const (
	Chinese Lang = "zh"
	English Lang = "en"
)

// ParseLang accepts "zh" or "en" (anything else is Chinese).
func ParseLang(s string) Lang {
	if s == string(English) {
		return English
	}
	return Chinese
}

// msg identifies a text of the kiosk.
type msg int

// Message ids. Every text the kiosk shows comes from messages, read at
// package init from the translation files assets/lang/kiosk.<lang>.json
// under the keys of msgKeys (i18n_load.go).
const (
	msgTitle msg = iota
	msgReadCard
	msgSearchBusiness
	msgLangToggle
	msgReading
	msgHomeHint
	msgHolder
	msgIDNumber
	msgCardExpired
	msgDataAsOf
	msgStale
	msgNeverSynced
	msgNoRecordsAtAll
	msgNoRecordsInCategory
	msgSourceUnit
	msgDocumentNo
	msgLegalBasis
	msgDecisionDate
	msgPublicityUntil
	msgNoPublicityEnd
	msgTier
	msgUnderObjection
	msgObject
	msgWhoLooked
	msgNobodyLooked
	msgNoApplications
	msgInquirySelf
	msgInquiryClerk
	msgInquiryPublic
	msgMyObjections
	msgFinish
	msgObjectionTitle
	msgObjectionType
	msgChooseType
	msgStatement
	msgStatementHint
	msgContact
	msgContactHint
	msgSubmit
	msgCancel
	msgReceiptTitle
	msgApplicationNo
	msgReceivedAt
	msgLabelDue
	msgDecisionDue
	msgFree
	msgBackToRecords
	msgSearchHint
	msgSearch
	msgNoResults
	msgBack
	msgHome
	msgSyncIdle
	msgSyncRunning
	msgSyncRunningN
	msgSyncOffline
	msgSyncFailed
	msgSyncOff
	msgSyncUnknown
	msgSyncPending
	msgStatus
	msgIdleEnded
	msgPrintReceipt
	msgPrintAgain
	msgPrinting
	msgPrintedSlip
	msgPrintedA4
	msgPrintReport
	msgReportPrinted
	msgAllowanceNote
	msgRestore
	msgRestoring
	msgRestTitle
	msgStep
	msgPerformance
	msgPerformanceHint
	msgPerformanceNeeded
	msgLetter
	msgSign
	msgReview
	msgNext
	msgSigned
	msgRestReceiptTitle
	msgAcceptDue
	msgFeedbackDue
	msgCountdown
	msgContinue
	msgVerifyReport
	msgAppStatus
	msgVerifyHint
	msgVerify
	msgNoTrust
	msgVerifiedNo
	msgVerifiedType
	msgVerifiedSubject
	msgVerifiedIssued
	msgVerifiedExpires
	msgVerifiedOffice
	msgVerifiedPages
	msgStatusHint
	msgProgressStatus
	msgKindObjection
	msgKindRestoration
	msgCardRemoved
	msgReprint
	msgContrast
	msgProvisional
	msgProvisionalNote
	msgGroupCount
	msgSeriousList
	msgListingMissed
	msgIncomplete
	msgHistory
	msgHistoryEntry
	msgItemSep
	msgListSep
	msgOverdueOne
	msgOverdueN
	msgCount // keep last
)

// t returns the text of m in lang.
func t(lang Lang, m msg) string {
	if lang == English {
		return messages[m][1]
	}
	return messages[m][0]
}

// tf formats the text of m in lang with args.
func tf(lang Lang, m msg, args ...any) string {
	return fmt.Sprintf(t(lang, m), args...)
}
