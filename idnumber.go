package credit

import (
	"log/slog"
	"strings"
	"time"
)

// IDNumber is an 18-character resident identity number (GB 11643-1999):
// 6-digit address code, 8-digit birth date, 3-digit sequence (odd = male),
// and an ISO 7064 MOD 11-2 check character ('0'-'9' or 'X').
//
// Only ParseIDNumber produces a valid IDNumber. In logs it is masked
// (LogValue); use Masked for display to anyone but its holder.
type IDNumber string

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432" // index: S mod 11

// ParseIDNumber normalises s (trims spaces, upper-cases 'x', accepts
// full-width digits and 'Ｘ') and validates it: length, digits, a real birth
// date not in the future of 2100, and the MOD 11-2 check character.
func ParseIDNumber(s string) (IDNumber, error) {
	n := normaliseASCII(s)
	if len(n) != 18 {
		return "", Errorf(EINVALID, "身份证号码应为18位，输入为%d位。", "An ID number has 18 characters; got %d.", len([]rune(n)))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := n[i]
		if c < '0' || c > '9' {
			return "", Errorf(EINVALID, "身份证号码第%d位应为数字。", "Character %d of the ID number must be a digit.", i+1)
		}
		sum += int(c-'0') * idWeights[i]
	}
	if c := n[17]; (c < '0' || c > '9') && c != 'X' {
		return "", Errorf(EINVALID, "身份证号码最后一位应为数字或X。", "The last character of the ID number must be a digit or X.")
	}
	if _, err := time.Parse("20060102", n[6:14]); err != nil {
		return "", Errorf(EINVALID, "身份证号码中的出生日期%s无效。", "The birth date %s in the ID number is not a real date.", n[6:14])
	}
	if n[6:8] < "18" || n[6:8] > "20" {
		return "", Errorf(EINVALID, "身份证号码中的出生年份无效。", "The birth year in the ID number is not valid.")
	}
	if want := idCheckChars[sum%11]; n[17] != want {
		return "", Errorf(EINVALID, "身份证号码校验位错误（应为%c）。", "The ID number's check character is wrong (expected %c).", want)
	}
	return IDNumber(n), nil
}

// IDCheckChar returns the MOD 11-2 check character for the first 17 digits.
// It is used by generators; it does not validate its input beyond length.
func IDCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// Region is the 6-digit administrative division code of the number.
func (n IDNumber) Region() string { return string(n)[:6] }

// Birth is the birth date encoded in the number.
func (n IDNumber) Birth() time.Time {
	t, _ := time.Parse("20060102", string(n)[6:14])
	return t
}

// Male reports whether the sequence code is odd (GB 11643: odd = male).
func (n IDNumber) Male() bool { return (n[16]-'0')%2 == 1 }

// Masked shows the first 4 and last 4 characters: 6201**********123X.
func (n IDNumber) Masked() string { return maskMiddle(string(n), 4, 4) }

// LogValue masks the number in structured logs.
func (n IDNumber) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// maskMiddle keeps head and tail runes and stars the rest.
func maskMiddle(s string, head, tail int) string {
	r := []rune(s)
	if len(r) <= head+tail {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

// normaliseASCII trims white space, maps full-width ASCII (U+FF01-U+FF5E) to
// ASCII and upper-cases letters.
func normaliseASCII(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
