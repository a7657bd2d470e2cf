package store

import (
	"strconv"
	"strings"
	"time"
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
	var buf [256]byte // one history entry is ≈ 80 bytes
	b, ok := appendDetail(buf[:0], r)
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
			if b, ok = appendTime(b, h.At); !ok {
				return b, false
			}
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

// appendTime appends t quoted as Time.MarshalJSON (which json.Marshal
// calls) writes it, RFC 3339 with nanoseconds, without its allocation; ok
// is false for the times it refuses: a year outside 0–9999 or a zone
// offset of 24 hours or more.
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return b, false
	}
	if _, off := t.Zone(); off <= -24*3600 || off >= 24*3600 {
		return b, false
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"'), true
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
