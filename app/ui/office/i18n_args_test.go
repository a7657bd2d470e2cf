package office

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// verbs counts the fmt verbs of a text ("%%" is none).
func verbs(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			i++
			continue
		}
		n++
	}
	return n
}

// messageIDs maps each message constant's name to its texts, read from
// the package's iota blocks of type msg, syncMsg and printMsg.
func messageIDs(files []*ast.File) map[string][2]string {
	tables := map[string]func(int) ([2]string, bool){
		"msg":      func(i int) ([2]string, bool) { return at(messages[:], i) },
		"syncMsg":  func(i int) ([2]string, bool) { return at(syncMessages[:], i) },
		"printMsg": func(i int) ([2]string, bool) { return at(printMessages[:], i) },
	}
	out := map[string][2]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST || len(g.Specs) == 0 {
				continue
			}
			first := g.Specs[0].(*ast.ValueSpec)
			typ, ok := first.Type.(*ast.Ident)
			if !ok || tables[typ.Name] == nil || len(first.Values) != 1 {
				continue
			}
			if v, ok := first.Values[0].(*ast.Ident); !ok || v.Name != "iota" {
				continue
			}
			i := 0
			for _, s := range g.Specs {
				for _, name := range s.(*ast.ValueSpec).Names {
					if text, ok := tables[typ.Name](i); ok {
						out[name.Name] = text
					}
					i++
				}
			}
		}
	}
	return out
}

func at(table [][2]string, i int) ([2]string, bool) {
	if i < 0 || i >= len(table) {
		return [2]string{}, false
	}
	return table[i], true
}

// TestMessageArgs reads every call of t, tf, ts, tsf, tp and tpf in the
// package's code naming its message by constant and checks that the
// call passes as many arguments as the text has verbs, in Chinese and in
// English (go vet cannot see through them); the counted texts take one
// number. A message passed through a variable is checked where it is
// formatted: auditIntact and auditPageText by TestCounted's neighbours.
func TestMessageArgs(t *testing.T) {
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, n, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	ids := messageIDs(files)
	if len(ids) < int(msgCount) {
		t.Fatalf("%d message constants found, want at least %d", len(ids), msgCount)
	}
	formats := map[string]bool{"tf": true, "tsf": true, "tpf": true, "t": false, "ts": false, "tp": false}
	checked := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			fn, ok := call.Fun.(*ast.Ident)
			if !ok || len(call.Args) < 1 {
				return true
			}
			variadic, ok := formats[fn.Name]
			first := 1 // the message's argument
			if fn.Name == "add" {
				variadic, ok, first = true, true, 0 // check.go's line helper: add(printMsgX, args...)
			}
			if !ok || len(call.Args) <= first {
				return true
			}
			id, ok := call.Args[first].(*ast.Ident)
			if !ok {
				return true // a message in a variable: checked where it is made
			}
			text, ok := ids[id.Name]
			if !ok {
				return true
			}
			checked++
			args := len(call.Args) - first - 1
			if call.Ellipsis.IsValid() {
				t.Errorf("%s: %s(%s, ...) spreads a slice: not checked", fset.Position(call.Pos()), fn.Name, id.Name)
				return true
			}
			for i, s := range text {
				if v := verbs(s); v != args || (!variadic && strings.Contains(s, "%")) {
					t.Errorf("%s: %s(%s) with %d args, but the %s text %q has %d verbs", fset.Position(call.Pos()), fn.Name, id.Name, args, [2]string{"zh", "en"}[i], s, v)
				}
			}
			return true
		})
	}
	// The intake receipt's due dates go through a variable, one date each.
	for _, m := range []msg{msgReceiptLabelDue, msgReceiptDecisionDue, msgReceiptAcceptDue, msgReceiptFeedbackDue} {
		for _, s := range messages[m] {
			if verbs(s) != 1 {
				t.Errorf("receipt due date text %q: want one verb", s)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d calls checked", checked)
	}
	var countedTexts [][2]string
	for _, c := range []counted[msg]{countRecords, countPageItems, countDevices, countEntries, countDaysLate} {
		countedTexts = append(countedTexts, messages[c.one], messages[c.other])
	}
	for _, c := range []counted[syncMsg]{countApplied, countUpdates, countWaiting} {
		countedTexts = append(countedTexts, syncMessages[c.one], syncMessages[c.other])
	}
	for _, texts := range countedTexts {
		for _, s := range texts {
			if verbs(s) != 1 || !strings.Contains(s, "%d") {
				t.Errorf("counted text %q: want one %%d", s)
			}
		}
	}
}
