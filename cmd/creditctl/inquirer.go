package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app"
)

// inquirer holds the flags that say who is looking and why. Every look at
// a subject's records through creditctl is logged (Art. 24); a natural
// person's records open only to an operator with a purpose and an
// authorisation reference (Art. 23, 25).
type inquirer struct {
	operator, purpose, authRef, channel string
}

func (q *inquirer) flags(fs *flag.FlagSet) {
	fs.StringVar(&q.operator, "operator", "", "operator (clerk) id; required for natural persons")
	fs.StringVar(&q.purpose, "purpose", "", "purpose of the inquiry, one of "+purposeList()+" (Art. 25); required for natural persons")
	fs.StringVar(&q.authRef, "auth-ref", "", "the subject's written authorisation reference; required for natural persons")
	fs.StringVar(&q.channel, "channel", "creditctl", "device id recorded as the inquiry's channel")
}

// log validates the inquiry against the subject's kind and writes it to the
// inquiry log before any data is shown.
func (q *inquirer) log(ctx context.Context, l app.InquiryLog, subj credit.Subject, now time.Time) error {
	inq := credit.Inquiry{
		ID:           credit.NewUUID(),
		SubjectID:    subj.ID,
		InquirerKind: credit.InquirerPublic,
		Purpose:      credit.PurposePublic,
		Channel:      q.channel,
		At:           now,
	}
	if q.operator != "" || subj.IsPerson() {
		inq.InquirerKind, inq.InquirerID, inq.Purpose, inq.AuthRef = credit.InquirerClerk, q.operator, q.purpose, q.authRef
		if q.operator == "" {
			return credit.Errorf(credit.EUNAUTHORIZED, "查询自然人信息须填写操作员编号、查询用途和授权书编号。", "A natural person's records need --operator, --purpose and --auth-ref.")
		}
		if inq.Purpose == "" && !subj.IsPerson() {
			inq.Purpose = credit.PurposePublic
		} else if !credit.InquiryPurpose(inq.Purpose).Valid() {
			return credit.Errorf(credit.EINVALID, "查询用途须为《条例》第二十五条所列之一：%s。", "--purpose must be one of the Art. 25 purposes: %s.", purposeList())
		}
	}
	if err := inq.Validate(subj.Kind); err != nil {
		return err
	}
	if err := l.LogInquiry(ctx, inq); err != nil {
		return fmt.Errorf("log inquiry: %w", err)
	}
	return nil
}

// purposeList names the Art. 25 purposes for flag help and errors.
func purposeList() string {
	names := make([]string, len(credit.Art25Purposes))
	for i, p := range credit.Art25Purposes {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// failed prints err for the operator of command cmd (English, Chinese, and
// the cause of an internal error) and returns exit status 1.
func failed(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "creditctl %s: %s\n", cmd, userError(err))
	if credit.ErrorCode(err) == credit.EINTERNAL {
		fmt.Fprintf(stderr, "  cause: %v\n", err)
	}
	return 1
}

// userError prints err for a person: English, then Chinese.
func userError(err error) string {
	return fmt.Sprintf("%s (%s)", credit.ErrorMessageEN(err), credit.ErrorMessage(err))
}
