package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/device/idcard"
	"github.com/gansu-credit/credit/device/idcard/samsim"
)

// A script drives cardsim, one action per line ('#' starts a comment):
//
//	card demo                               the demo card (the --id/--name… flags)
//	card kind=gat                           a default card of that kind: resident, gat, foreign_2017, foreign_2023
//	card id=620102198503120021 name=张三 to=长期 address="甘肃省 兰州市"
//	remove                                  take the card off
//	wait 500ms                              pause (Go duration)
//	fault split garbage | badsum | truncate | findfails | delay=200ms | none
//	unplug 2s                               close the pty, and after the pause open a new one at --link
//	loop                                    start again from the top
//
// Card fields: kind, id, name, sex, ethnic, birth, address, authority,
// from, to. Unset fields come from the kind's default card; for resident
// cards sex and birth follow the number.

// actionKind is one script verb.
type actionKind int

const (
	actCard actionKind = iota + 1
	actRemove
	actWait
	actFault
	actUnplug
	actLoop
)

// action is one parsed script line.
type action struct {
	kind   actionKind
	line   int
	card   credit.IDCard
	dur    time.Duration
	faults samsim.Faults
}

// maxScriptLines bounds a script (a guard against feeding it a device).
const maxScriptLines = 10000

// maxWait bounds wait and unplug pauses.
const maxWait = 24 * time.Hour

// defaultCards are the cards "card kind=K" starts from.
var defaultCards = map[credit.CardKind]credit.IDCard{
	credit.CardGAT: {Kind: credit.CardGAT, Name: "陈大文", Sex: "1", Birth: "19900101", Address: "香港特别行政区",
		Number: "810000199001010019", Authority: "公安部出入境管理局", ValidFrom: "20200101", ValidTo: "20300101"},
	credit.CardForeign2017: {Kind: credit.CardForeign2017, Name: "史密斯", Sex: "1", Birth: "19800101",
		Number: "USA110099120001", ValidFrom: "20170101", ValidTo: "20270101"},
	credit.CardForeign2023: {Kind: credit.CardForeign2023, Name: "VANDERBILT, ALEXANDRA", Sex: "2",
		Birth: "19851201", Number: "911840198512010013", ValidFrom: "20230101", ValidTo: "20330101"},
}

// parseScript reads a script; demo is the card of "card demo" and the
// base of resident cards. Errors name the line.
func parseScript(r io.Reader, demo credit.IDCard) ([]action, error) {
	var acts []action
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	n := 0
	waited := false // a pause since the top, so loop cannot spin
	for sc.Scan() {
		n++
		if n > maxScriptLines {
			return nil, fmt.Errorf("script: more than %d lines", maxScriptLines)
		}
		a, err := parseLine(sc.Text(), demo)
		if err != nil {
			return nil, fmt.Errorf("script line %d: %w", n, err)
		}
		if a.kind == 0 {
			continue
		}
		a.line = n
		switch a.kind {
		case actWait, actUnplug:
			waited = waited || a.dur > 0
		case actLoop:
			if !waited {
				return nil, fmt.Errorf("script line %d: loop without a wait or unplug before it would spin", n)
			}
		}
		acts = append(acts, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("script line %d: %w", n+1, err)
	}
	return acts, nil
}

// parseLine parses one line; a blank or comment line gives kind 0.
func parseLine(s string, demo credit.IDCard) (action, error) {
	if i := strings.IndexByte(s, '#'); i >= 0 && !strings.Contains(s[:i], `"`) {
		s = s[:i]
	}
	words, err := splitWords(s)
	if err != nil || len(words) == 0 {
		return action{}, err
	}
	verb, args := words[0], words[1:]
	nargs := func(want int) error {
		if len(args) != want {
			return fmt.Errorf("%s takes %d argument(s), got %d", verb, want, len(args))
		}
		return nil
	}
	switch verb {
	case "card":
		c, err := parseCard(args, demo)
		return action{kind: actCard, card: c}, err
	case "remove", "loop":
		if err := nargs(0); err != nil {
			return action{}, err
		}
		if verb == "loop" {
			return action{kind: actLoop}, nil
		}
		return action{kind: actRemove}, nil
	case "wait", "unplug":
		if err := nargs(1); err != nil {
			return action{}, err
		}
		d, err := time.ParseDuration(args[0])
		if err != nil || d < 0 || d > maxWait {
			return action{}, fmt.Errorf("%s: %q is not a duration between 0 and 24h (e.g. 500ms, 2s)", verb, args[0])
		}
		k := actWait
		if verb == "unplug" {
			k = actUnplug
		}
		return action{kind: k, dur: d}, nil
	case "fault":
		f, err := parseFaults(args)
		return action{kind: actFault, faults: f}, err
	}
	return action{}, fmt.Errorf("unknown action %q (card, remove, wait, fault, unplug, loop)", verb)
}

// parseFaults reads fault names; "none" clears them.
func parseFaults(args []string) (samsim.Faults, error) {
	var f samsim.Faults
	if len(args) == 0 {
		return f, fmt.Errorf("fault needs at least one of badsum, truncate, split, garbage, findfails, delay=D, none")
	}
	for _, a := range args {
		switch {
		case a == "none":
			if len(args) > 1 {
				return f, fmt.Errorf("fault none cannot be combined")
			}
		case a == "badsum":
			f.BadChecksum = true
		case a == "truncate":
			f.Truncate = true
		case a == "split":
			f.Split = true
		case a == "garbage":
			f.Garbage = true
		case a == "findfails":
			f.FindFails = true
		case strings.HasPrefix(a, "delay="):
			d, err := time.ParseDuration(strings.TrimPrefix(a, "delay="))
			if err != nil || d < 0 || d > time.Minute {
				return f, fmt.Errorf("fault %q: delay must be a duration up to 1m", a)
			}
			f.Delay = d
		default:
			return f, fmt.Errorf("unknown fault %q (badsum, truncate, split, garbage, findfails, delay=D, none)", a)
		}
	}
	return f, nil
}

// parseCard builds a card from key=value words.
func parseCard(args []string, demo credit.IDCard) (credit.IDCard, error) {
	if len(args) == 1 && args[0] == "demo" {
		return demo, nil
	}
	kv := map[string]string{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return credit.IDCard{}, fmt.Errorf("card: %q is not field=value (or use: card demo)", a)
		}
		if _, dup := kv[k]; dup {
			return credit.IDCard{}, fmt.Errorf("card: field %s given twice", k)
		}
		kv[k] = v
	}
	kind := credit.CardResident
	if k, ok := kv["kind"]; ok {
		kind = credit.CardKind(k)
		delete(kv, "kind")
	}
	c, ok := defaultCards[kind]
	if kind == credit.CardResident {
		c, ok = demo, true
		if _, ok := kv["id"]; ok { // a new number: sex and birth follow it
			c.Sex, c.Birth = "", ""
		}
	}
	if !ok {
		return credit.IDCard{}, fmt.Errorf("card: unknown kind %q (resident, gat, foreign_2017, foreign_2023)", kind)
	}
	fields := map[string]*string{"id": &c.Number, "name": &c.Name, "sex": &c.Sex, "ethnic": &c.Ethnic,
		"birth": &c.Birth, "address": &c.Address, "authority": &c.Authority, "from": &c.ValidFrom, "to": &c.ValidTo}
	for k, v := range kv {
		p, ok := fields[k]
		if !ok {
			return credit.IDCard{}, fmt.Errorf("card: unknown field %q (kind, id, name, sex, ethnic, birth, address, authority, from, to)", k)
		}
		*p = v
	}
	var err error
	if kind == credit.CardResident {
		c, err = completeCard(c)
	} else {
		c, err = idcard.CheckCard(c)
		if err == nil {
			_, err = idcard.EncodeText(c)
		}
	}
	if err != nil {
		return credit.IDCard{}, fmt.Errorf("card: %s: %w", credit.ErrorMessageEN(err), err)
	}
	return c, nil
}

// splitWords splits s at white space; a word may be "quoted" (Go syntax)
// to hold spaces.
func splitWords(s string) ([]string, error) {
	var words []string
	for {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
		if s == "" {
			return words, nil
		}
		end := strings.IndexFunc(s, unicode.IsSpace)
		if q := strings.IndexByte(s, '"'); q >= 0 && (end < 0 || q < end) {
			// key="value with spaces": find the closing quote.
			prefix, rest := s[:q], s[q:]
			v, err := strconv.QuotedPrefix(rest)
			if err != nil {
				return nil, fmt.Errorf("unterminated or bad quoted value in %q", s)
			}
			u, _ := strconv.Unquote(v) // QuotedPrefix returned a valid literal
			words = append(words, prefix+u)
			s = rest[len(v):]
			if s != "" && !unicode.IsSpace(rune(s[0])) {
				return nil, fmt.Errorf("text right after a closing quote in %q", rest)
			}
			continue
		}
		if end < 0 {
			end = len(s)
		}
		words = append(words, s[:end])
		s = s[end:]
	}
}
