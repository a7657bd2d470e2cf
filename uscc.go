package credit

import (
	"log/slog"
	"strings"
)

// USCC is an 18-character Unified Social Credit Code (GB 32100-2015) of a
// legal person or other organisation. It is public information.
type USCC string

// usccChars is the 31-symbol alphabet; a symbol's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// ParseUSCC normalises s (trim, upper-case, full-width to ASCII) and checks
// its length, alphabet and MOD 31 check character.
func ParseUSCC(s string) (USCC, error) {
	n := normaliseASCII(s)
	if len(n) != 18 {
		return "", Errorf(EINVALID, "统一社会信用代码应为18位，输入为%d位。", "A Unified Social Credit Code has 18 characters; got %d.", len([]rune(n)))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, n[i])
		if v < 0 {
			return "", Errorf(EINVALID, "统一社会信用代码第%d位字符“%c”无效。", "Character %d (%c) of the credit code is not allowed.", i+1, n[i])
		}
		sum += v * usccWeights[i]
	}
	if strings.IndexByte(usccChars, n[17]) < 0 {
		return "", Errorf(EINVALID, "统一社会信用代码第18位字符“%c”无效。", "Character 18 (%c) of the credit code is not allowed.", n[17])
	}
	if want := USCCCheckChar(n[:17]); n[17] != want {
		return "", Errorf(EINVALID, "统一社会信用代码校验位错误（应为%c）。", "The credit code's check character is wrong (expected %c).", want)
	}
	return USCC(n), nil
}

// USCCCheckChar returns the check character for 17 valid symbols.
func USCCCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17 && i < len(first17); i++ {
		sum += strings.IndexByte(usccChars, first17[i]) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}

// Region is the 6-digit administrative division code (positions 3-8).
func (c USCC) Region() string { return string(c)[2:8] }

// LogValue prints the code as is: credit codes are public.
func (c USCC) LogValue() slog.Value { return slog.StringValue(string(c)) }
