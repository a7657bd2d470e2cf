package cups

import (
	"errors"
	"strconv"
	"strings"
)

// ErrNoJobID is returned by ParseJobID for an answer that names no job.
var ErrNoJobID = errors.New("cups: lp's answer names no job id")

// ParseJobID finds the job id in lp's answer, "request id is PRN-123
// (1 file(s))" → "PRN-123". If the English phrase is absent (a localised
// lp) it takes the first word shaped like a job id: a destination name, a
// hyphen and a job number. Job ids are checked with ValidJobID.
func ParseJobID(out string) (string, error) {
	const phrase = "request id is "
	if i := strings.Index(out, phrase); i >= 0 {
		if f := strings.Fields(out[i+len(phrase):]); len(f) > 0 && ValidJobID(f[0]) {
			return f[0], nil
		}
	}
	for _, w := range strings.Fields(out) {
		if len(w) > 160 {
			continue
		}
		// Punctuation may be glued on: "PRN-12（1" in a Chinese answer.
		for end := len(w); end > 2; end-- {
			// Digits end a job id, so w[:end] ends on a character
			// boundary; a number is never cut short.
			if (end == len(w) || w[end] < '0' || w[end] > '9') && ValidJobID(w[:end]) {
				return w[:end], nil
			}
		}
	}
	return "", ErrNoJobID
}

// ValidJobID reports whether id is shaped like a CUPS job id: a
// destination name (printable, no spaces, slashes or '#', at most 127
// bytes) followed by "-" and a positive job number.
func ValidJobID(id string) bool {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 || i > 127 {
		return false
	}
	n, err := strconv.ParseUint(id[i+1:], 10, 31)
	if err != nil || n == 0 {
		return false
	}
	return validDest(id[:i])
}

// validDest reports whether s can be a CUPS destination name: printable
// ASCII or UTF-8 without space, tab, '/', '\\', '#', quotes.
func validDest(s string) bool {
	if s == "" || len(s) > 127 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7F || r == '/' || r == '\\' || r == '#' || r == '\'' || r == '"' || r == 0xFFFD {
			return false
		}
	}
	return true
}

// dest returns the destination part of a job id ("PRN-123" → "PRN").
func dest(jobID string) string { return jobID[:strings.LastIndexByte(jobID, '-')] }

// QueueEntry is one job in lpstat -o's listing.
type QueueEntry struct {
	ID   string // PRN-123
	User string
	Size int64 // bytes; 0 if unreadable
}

// ParseLPStat reads `lpstat -o` (or -W not-completed -o) output: one job
// a line, "PRN-123  alice  1024  Fri 27 Nov 2026 04:00:00 AM UTC".
// Indented lines (lpstat -l details) and lines whose first word is not a
// job id are skipped.
func ParseLPStat(out string) []QueueEntry {
	var jobs []QueueEntry
	for line := range strings.Lines(out) {
		if line == "" || line[0] == ' ' || line[0] == '\t' {
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 || !ValidJobID(f[0]) {
			continue
		}
		e := QueueEntry{ID: f[0]}
		if len(f) > 1 {
			e.User = f[1]
		}
		if len(f) > 2 {
			if n, err := strconv.ParseInt(f[2], 10, 64); err == nil && n >= 0 {
				e.Size = n
			}
		}
		jobs = append(jobs, e)
	}
	return jobs
}

// parsePrinters reads `lpstat -e`: one destination name a line.
func parsePrinters(out string) []string {
	var names []string
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if len(f) == 1 && validDest(f[0]) {
			names = append(names, f[0])
		}
	}
	return names
}

// parseDefault reads `lpstat -d`: "system default destination: PRN", or
// "no system default destination" → "".
func parseDefault(out string) string {
	const phrase = "system default destination:"
	for line := range strings.Lines(out) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), phrase); ok {
			if f := strings.Fields(rest); len(f) == 1 && validDest(f[0]) {
				return f[0]
			}
		}
	}
	return ""
}
