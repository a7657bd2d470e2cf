package office

import (
	"fmt"

	"github.com/gansu-credit/credit/app/ui"
)

// printMsg identifies a text of printing and of the check screen (kept
// apart from msg so they live next to the screens).
type printMsg int

const (
	printMsgReceipt printMsg = iota
	printMsgReport
	printMsgAgain
	printMsgSent
	printMsgSentJob
	printMsgFailed
	printMsgReprint
	printMsgReprintChoose
	printMsgReportNote
	printMsgTabCheck
	printMsgCheckTitle
	printMsgCodeHint
	printMsgCheck
	printMsgOpenFile
	printMsgCheckNote
	printMsgStatus
	printMsgOffice
	printMsgNo
	printMsgIssued
	printMsgExpires
	printMsgSubject
	printMsgVerifyCode
	printMsgKindReport
	printMsgKindReceipt
	printMsgCannotReceipt
	printMsgCannotReport
	printMsgCount // keep last
)

// printMsgKeys names each printing text in the translation files
// (assets/lang/office.<lang>.json): the constant's name without "Msg", in
// snake case. The texts are in printMessages (i18n.go).
var printMsgKeys = [printMsgCount]string{
	printMsgReceipt:       "print_receipt",
	printMsgReport:        "print_report",
	printMsgAgain:         "print_again",
	printMsgSent:          "print_sent",
	printMsgSentJob:       "print_sent_job",
	printMsgFailed:        "print_failed",
	printMsgReprint:       "print_reprint",
	printMsgReprintChoose: "print_reprint_choose",
	printMsgReportNote:    "print_report_note",
	printMsgTabCheck:      "print_tab_check",
	printMsgCheckTitle:    "print_check_title",
	printMsgCodeHint:      "print_code_hint",
	printMsgCheck:         "print_check",
	printMsgOpenFile:      "print_open_file",
	printMsgCheckNote:     "print_check_note",
	printMsgStatus:        "print_status",
	printMsgOffice:        "print_office",
	printMsgNo:            "print_no",
	printMsgIssued:        "print_issued",
	printMsgExpires:       "print_expires",
	printMsgSubject:       "print_subject",
	printMsgVerifyCode:    "print_verify_code",
	printMsgKindReport:    "print_kind_report",
	printMsgKindReceipt:   "print_kind_receipt",
	// No printer: what to do instead.
	printMsgCannotReceipt: "print_cannot_receipt",
	printMsgCannotReport:  "print_cannot_report",
}

// tp returns the printing text m in lang.
func tp(lang ui.Lang, m printMsg) string { return pick(lang, printMessages[m][0], printMessages[m][1]) }

// tpf formats the printing text m in lang with args.
func tpf(lang ui.Lang, m printMsg, args ...any) string {
	return fmt.Sprintf(tp(lang, m), args...)
}
