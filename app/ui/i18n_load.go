package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"

	"github.com/gansu-credit/credit/assets"
)

// messages holds every text in Chinese and English, indexed by msg and
// column (langColumns). Entries with % verbs are formatted by tf.
//
// messageProblems lists every gap found while loading the texts: a file
// missing or malformed, a key missing, empty or unknown. The kiosk still
// starts with the fallback LoadTranslations describes; TestTranslationFiles
// fails on any problem, so none reaches a build.
var messages, messageProblems = loadMessages()

// loadMessages reads the kiosk's texts from assets.Translations().
func loadMessages() ([msgCount][2]string, []error) {
	texts, problems := LoadTranslations(assets.Translations(), "kiosk", msgKeys[:])
	return [msgCount][2]string(texts), problems
}

// msgKeys names each message in the translation files
// (assets/lang/kiosk.<lang>.json): the constant's name without "msg", in
// snake case.
var msgKeys = [msgCount]string{
	msgTitle:               "title",
	msgReadCard:            "read_card",
	msgSearchBusiness:      "search_business",
	msgLangToggle:          "lang_toggle",
	msgReading:             "reading",
	msgHomeHint:            "home_hint",
	msgHolder:              "holder",
	msgIDNumber:            "id_number",
	msgCardExpired:         "card_expired",
	msgDataAsOf:            "data_as_of",
	msgStale:               "stale",
	msgNeverSynced:         "never_synced",
	msgNoRecordsAtAll:      "no_records_at_all",
	msgNoRecordsInCategory: "no_records_in_category",
	msgSourceUnit:          "source_unit",
	msgDocumentNo:          "document_no",
	msgLegalBasis:          "legal_basis",
	msgDecisionDate:        "decision_date",
	msgPublicityUntil:      "publicity_until",
	msgNoPublicityEnd:      "no_publicity_end",
	msgTier:                "tier",
	msgUnderObjection:      "under_objection",
	msgObject:              "object",
	msgWhoLooked:           "who_looked",
	msgNobodyLooked:        "nobody_looked",
	msgNoApplications:      "no_applications",
	msgInquirySelf:         "inquiry_self",
	msgInquiryClerk:        "inquiry_clerk",
	msgInquiryPublic:       "inquiry_public",
	msgMyObjections:        "my_objections",
	msgFinish:              "finish",
	msgObjectionTitle:      "objection_title",
	msgObjectionType:       "objection_type",
	msgChooseType:          "choose_type",
	msgStatement:           "statement",
	msgStatementHint:       "statement_hint",
	msgContact:             "contact",
	msgContactHint:         "contact_hint",
	msgSubmit:              "submit",
	msgCancel:              "cancel",
	msgReceiptTitle:        "receipt_title",
	msgApplicationNo:       "application_no",
	msgReceivedAt:          "received_at",
	msgLabelDue:            "label_due",
	msgDecisionDue:         "decision_due",
	msgFree:                "free",
	msgBackToRecords:       "back_to_records",
	msgSearchHint:          "search_hint",
	msgSearch:              "search",
	msgNoResults:           "no_results",
	msgBack:                "back",
	msgHome:                "home",
	msgSyncIdle:            "sync_idle",
	msgSyncRunning:         "sync_running",
	msgSyncRunningN:        "sync_running_n",
	msgSyncOffline:         "sync_offline",
	msgSyncFailed:          "sync_failed",
	msgSyncOff:             "sync_off",
	msgSyncUnknown:         "sync_unknown",
	msgSyncPending:         "sync_pending",
	msgStatus:              "status",
	msgIdleEnded:           "idle_ended",
	msgPrintReceipt:        "print_receipt",
	msgPrintAgain:          "print_again",
	msgPrinting:            "printing",
	msgPrintedSlip:         "printed_slip",
	msgPrintedA4:           "printed_a4",
	msgPrintReport:         "print_report",
	msgReportPrinted:       "report_printed",
	msgAllowanceNote:       "allowance_note",
	msgRestore:             "restore",
	msgRestoring:           "restoring",
	msgRestTitle:           "rest_title",
	msgStep:                "step",
	msgPerformance:         "performance",
	msgPerformanceHint:     "performance_hint",
	msgPerformanceNeeded:   "performance_needed",
	msgLetter:              "letter",
	msgSign:                "sign",
	msgReview:              "review",
	msgNext:                "next",
	msgSigned:              "signed",
	msgRestReceiptTitle:    "rest_receipt_title",
	msgAcceptDue:           "accept_due",
	msgFeedbackDue:         "feedback_due",
	msgCountdown:           "countdown",
	msgContinue:            "continue",
	msgVerifyReport:        "verify_report",
	msgAppStatus:           "app_status",
	msgVerifyHint:          "verify_hint",
	msgVerify:              "verify",
	msgNoTrust:             "no_trust",
	msgVerifiedNo:          "verified_no",
	msgVerifiedType:        "verified_type",
	msgVerifiedSubject:     "verified_subject",
	msgVerifiedIssued:      "verified_issued",
	msgVerifiedExpires:     "verified_expires",
	msgVerifiedOffice:      "verified_office",
	msgVerifiedPages:       "verified_pages",
	msgStatusHint:          "status_hint",
	msgProgressStatus:      "progress_status",
	msgKindObjection:       "kind_objection",
	msgKindRestoration:     "kind_restoration",
	msgCardRemoved:         "card_removed",
	msgReprint:             "reprint",
	msgContrast:            "contrast",
	msgProvisional:         "provisional",
	msgProvisionalNote:     "provisional_note",
	msgGroupCount:          "group_count",
	msgSeriousList:         "serious_list",
	msgListingMissed:       "listing_missed",
	msgIncomplete:          "incomplete",
	msgHistory:             "history",
	msgHistoryEntry:        "history_entry",
	msgItemSep:             "item_sep",
	msgListSep:             "list_sep",
	msgOverdueOne:          "overdue_one",
	msgOverdueN:            "overdue_n",
}

// langColumns are the languages in the order of messages' columns.
var langColumns = [2]Lang{Chinese, English}

// translationFile is the name of app's texts in lang in
// assets.Translations().
func translationFile(app string, lang Lang) string { return app + "." + string(lang) + ".json" }

// LoadTranslations reads the texts of app in Chinese and English from the
// flat JSON objects <app>.zh.json and <app>.en.json in fsys (see
// assets.Translations): table[i] holds keys[i]'s texts, Chinese first. A
// text missing or empty in one language (its key absent, or the whole file
// unreadable or malformed) is shown in the other language, and as its key
// when both lack it — never as "", which would leave a button or label
// blank. problems names every gap, with the file and the key; an app's
// test should require none.
func LoadTranslations(fsys fs.FS, app string, keys []string) (table [][2]string, problems []error) {
	index := make(map[string]int, len(keys))
	for i, k := range keys {
		index[k] = i
	}
	table = make([][2]string, len(keys))
	for col, lang := range langColumns {
		name := translationFile(app, lang)
		texts, err := readTranslations(fsys, name)
		if err != nil {
			problems = append(problems, err)
		}
		for _, k := range slices.Sorted(maps.Keys(texts)) {
			i, ok := index[k]
			switch {
			case !ok:
				problems = append(problems, fmt.Errorf("%s: unknown key %q", name, k))
			case texts[k] == "":
				problems = append(problems, fmt.Errorf("%s: key %q has an empty text", name, k))
			default:
				table[i][col] = texts[k]
			}
		}
		if err != nil {
			continue // the whole file is a problem already
		}
		for _, k := range keys {
			if _, ok := texts[k]; !ok {
				problems = append(problems, fmt.Errorf("%s: missing key %q", name, k))
			}
		}
	}
	for i := range table {
		for col := range table[i] {
			if table[i][col] == "" {
				table[i][col] = table[i][1-col]
			}
			if table[i][col] == "" {
				table[i][col] = keys[i]
			}
		}
	}
	return table, problems
}

// readTranslations reads the flat JSON object name in fsys. It fails on
// anything else: a nested value, a number, a key given twice (JSON decoders
// keep the last silently, dropping a text).
func readTranslations(fsys fs.FS, name string) (map[string]string, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read translations: %w", err)
	}
	texts, err := parseTranslations(data)
	if err != nil {
		return nil, fmt.Errorf("read translations %s: %w", name, err)
	}
	return texts, nil
}

// errNotFlat is the error of a translation file that is not one flat
// object of strings.
var errNotFlat = errors.New(`want one JSON object {"key": "text", …}`)

// parseTranslations parses a flat JSON object of strings, refusing
// duplicate keys.
func parseTranslations(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errNotFlat
	}
	texts := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("parse translations: %w", err)
		}
		key, _ := tok.(string) // an object's keys are always strings
		var text string
		if err := dec.Decode(&text); err != nil {
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
				return nil, fmt.Errorf("key %q: %w", key, errNotFlat)
			}
			return nil, fmt.Errorf("parse translations: key %q: %w", key, err)
		}
		if _, dup := texts[key]; dup {
			return nil, fmt.Errorf("key %q given twice", key)
		}
		texts[key] = text
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("parse translations: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("parse translations: text after the object: %w", errNotFlat)
	}
	return texts, nil
}
