package store

import (
	"strconv"
	"strings"
	"unicode/utf8"

	credit "github.com/gansu-credit/credit"
)

// detailFast is detailOf for the snapshot's bulk path: the same bytes,
// written without encoding/json's reflection (which cost ≈ 10 % of a
// bootstrap's record pages). Anything it does not write exactly as
// json.Marshal does — a string that needs escaping, a time json.Marshal
// refuses — goes to detailOf. FuzzDetailFast compares the two.
func detailFast(r credit.Record) string {
	if r.Listing == nil && len(r.History) == 0 {
		return ""
	}
	b, ok := appendDetail(make([]byte, 0, 128+160*len(r.History)), r)
	if !ok {
		return detailOf(r)
	}
	return string(b)
}

// appendDetail appends recordDetail{r.Listing, r.History} as json.Marshal
// writes it; ok is false where it cannot.
func appendDetail(b []byte, r credit.Record) (_ []byte, ok bool) {
	b = append(b, '{')
	if l := r.Listing; l != nil {
		b = append(b, `"serious_list":{`...)
		for i, f := range [...]struct{ key, val string }{
			{"unit", l.Unit}, {"reasons", l.Reasons}, {"basis", l.Basis},
			{"removal_conditions", l.RemovalConditions}, {"removal_procedure", l.RemovalProcedure},
			{"remedies", l.Remedies},
		} {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, f.key...)
			b = append(b, `":`...)
			if b, ok = appendPlainString(b, f.val); !ok {
				return b, false
			}
		}
		b = append(b, '}')
	}
	if len(r.History) > 0 {
		if r.Listing != nil {
			b = append(b, ',')
		}
		b = append(b, `"history":[`...)
		for i, h := range r.History {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"ver":`...)
			b = strconv.AppendInt(b, h.Version, 10)
			b = append(b, `,"reason":`...)
			if b, ok = appendPlainString(b, string(h.Reason)); !ok {
				return b, false
			}
			b = append(b, `,"at":`...)
			at, err := h.At.MarshalJSON() // what json.Marshal calls
			if err != nil {
				return b, false
			}
			b = append(b, at...)
			if h.Note != "" {
				b = append(b, `,"note":`...)
				if b, ok = appendPlainString(b, h.Note); !ok {
					return b, false
				}
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), true
}

// appendPlainString appends s quoted when json.Marshal would write it
// unescaped: valid UTF-8 without control characters, quote, backslash,
// the HTML characters <, > and &, or U+2028/U+2029.
func appendPlainString(b []byte, s string) ([]byte, bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return b, false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && (!utf8.ValidString(s) || strings.Contains(s, "\u2028") || strings.Contains(s, "\u2029")) {
		return b, false
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), true
}
