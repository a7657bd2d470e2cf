package app

import (
	"strings"

	"github.com/gansu-credit/credit/app/report"
)

// CanVerify reports whether this terminal has keys to check printed
// reports and receipts against.
func (s *Service) CanVerify() bool { return s.trustedKeys().Len() > 0 }

// trustedKeys is Deps.TrustedKeys() when set, else Deps.Trusted.
func (s *Service) trustedKeys() report.KeySet {
	if s.keys != nil {
		return s.keys()
	}
	return s.trusted
}

// VerifyText checks the CR1: code of a printed report or receipt, typed
// or pasted (spaces and line breaks are ignored, lower case accepted),
// against the trusted keys, offline.
func (s *Service) VerifyText(text string) report.Result {
	text = strings.ToUpper(strings.TrimSpace(text))
	// Base45 has a space in its alphabet, but a typed code broken over
	// lines only gains line breaks: drop those, keep inner spaces.
	text = strings.NewReplacer("\r", "", "\n", "", "\t", "").Replace(text)
	return report.Verify(text, s.trustedKeys(), s.now())
}
