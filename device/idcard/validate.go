package idcard

import (
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// CheckCard validates the number read from a card and returns the card
// with the number normalised. Resident and 港澳台 ('J') numbers must pass
// credit.ParseIDNumber and agree with the birth date field; a 2017
// foreigner's number is three letters and twelve digits; a 2023 foreigner's
// number is 18 digits or X (its check algorithm is unconfirmed, so not
// checked). Expiry is not checked: the application decides.
func CheckCard(c credit.IDCard) (credit.IDCard, error) {
	switch c.Kind {
	case credit.CardResident, credit.CardGAT:
		n, err := credit.ParseIDNumber(c.Number)
		if err != nil {
			return c, badNumber(credit.ErrorMessage(err), credit.ErrorMessageEN(err))
		}
		if c.Birth != string(n)[6:14] {
			return c, badNumber("出生日期与号码不符。", "The birth date does not match the number.")
		}
		c.Number = string(n)
	case credit.CardForeign2017:
		if !isForeign2017(c.Number) {
			return c, badNumber("应为3个字母加12位数字。", "Expected 3 letters and 12 digits.")
		}
	case credit.CardForeign2023:
		if !isForeign2023(c.Number) {
			return c, badNumber("应为18位数字或X。", "Expected 18 digits or X.")
		}
	default:
		return c, fmt.Errorf("idcard: check card: unknown kind %q: %w", c.Kind, ErrBadFrame)
	}
	return c, nil
}

// badNumber is the reader error for an invalid number, with the reason in
// both languages.
func badNumber(zh, en string) error {
	return fmt.Errorf("idcard: check card: %w", &credit.Error{
		Code:      credit.EDEVICE,
		Message:   "从身份证读取的证件号码无效：" + zh + "请重新放置身份证。",
		MessageEN: "The number read from the card is invalid: " + en + " Please place the card again.",
	})
}

func isForeign2017(s string) bool {
	if len(s) != 15 {
		return false
	}
	for i := 0; i < 15; i++ {
		c := s[i]
		if i < 3 && (c < 'A' || c > 'Z') || i >= 3 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func isForeign2023(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < 18; i++ {
		if c := s[i]; (c < '0' || c > '9') && !(i == 17 && c == 'X') {
			return false
		}
	}
	return true
}
