package credit

import (
	"errors"
	"fmt"
)

// Error codes. They are stable strings: the UI, the CLI and the sync protocol
// map them, never the underlying SQL, serial or HTTP errors.
const (
	ECONFLICT     = "conflict"     // the action clashes with existing state (e.g. an open objection)
	EINTERNAL     = "internal"     // a fault of ours; details are in the log only
	EINVALID      = "invalid"      // input failed validation
	ENOTFOUND     = "not_found"    // no such subject, record or application
	EUNAUTHORIZED = "unauthorized" // the caller may not see or do this
	EUNAVAILABLE  = "unavailable"  // a device or the platform cannot be reached now
	EDEVICE       = "device"       // a device answered with an error
)

// Error is a user-facing error: a stable code and a message in Chinese and
// English. Messages are written for the person at the terminal; they never
// contain SQL, HTTP or stack details.
type Error struct {
	Code      string
	Message   string // Chinese (zh-CN)
	MessageEN string // English
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("credit error: code=%s message=%s / %s", e.Code, e.Message, e.MessageEN)
}

// Errorf returns a user-facing error. zh and en are the Chinese and English
// messages; args are applied to both with fmt.Sprintf.
func Errorf(code, zh, en string, args ...any) *Error {
	if len(args) > 0 {
		zh = fmt.Sprintf(zh, args...)
		en = fmt.Sprintf(en, args...)
	}
	return &Error{Code: code, Message: zh, MessageEN: en}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the Chinese message of the first *Error in err's
// chain, or a generic internal-error message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请联系工作人员。"
}

// ErrorMessageEN is ErrorMessage in English.
func ErrorMessageEN(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.MessageEN
	}
	return "Internal error. Please ask a member of staff."
}
