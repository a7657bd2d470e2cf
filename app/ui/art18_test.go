package ui

import (
	"reflect"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/app/apptest"
	"github.com/gansu-credit/credit/app/ui/uitest"
)

// fieldNames lists the field names and JSON keys of the structs behind
// the kiosk's forms.
func fieldNames(types ...reflect.Type) []string {
	var out []string
	for _, typ := range types {
		for i := range typ.NumField() {
			f := typ.Field(i)
			out = append(out, f.Name)
			if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag != "" {
				out = append(out, tag)
			}
		}
	}
	return out
}

// formTexts is every text the current screen shows or offers: labels,
// buttons, placeholders, choices and check boxes.
func formTexts(w fyne.Window) []string {
	out := uitest.Texts(w)
	for _, o := range shownObjects(w.Canvas().Content()) {
		switch x := o.(type) {
		case *widget.Entry:
			out = append(out, x.PlaceHolder)
		case *widget.Select:
			out = append(out, x.PlaceHolder)
			out = append(out, x.Options...)
		case *widget.Check:
			out = append(out, x.Text)
		}
	}
	return out
}

// TestFormsArt18 checks the kiosk's objection form and restoration wizard
// against the Art. 18 deny-list, as TestFormsArt18 does the office's: the
// fields of the drafts, widgets and stored applications, every message in
// both languages, and what each form step shows and offers in both
// languages, driven through the UI.
func TestFormsArt18(t *testing.T) {
	texts := fieldNames(reflect.TypeFor[objectionDraft](), reflect.TypeFor[objectionForm](),
		reflect.TypeFor[restorationDraft](), reflect.TypeFor[restorationWizard](),
		reflect.TypeFor[credit.Objection](), reflect.TypeFor[credit.Restoration]())
	for m := msg(0); m < msgCount; m++ {
		texts = append(texts, messages[m][0], messages[m][1])
	}
	steps := 0
	for _, lang := range []Lang{Chinese, English} {
		k := newKiosk(t, true)
		u := k.ui
		if lang == English {
			test.Tap(u.langBtn)
		}
		k.readCard(t)
		test.Tap(openRecord(t, u, apptest.RecUntr).objectBtn)
		test.Tap(u.form.submitBtn) // the in-place messages too
		texts = append(texts, formTexts(k.w)...)
		steps++
		test.Tap(u.form.cancelBtn)
		test.Tap(openRecord(t, u, apptest.RecUntr2).restoreBtn)
		test.Tap(u.wizard.nextBtn) // empty: the message shows
		texts = append(texts, formTexts(k.w)...)
		test.Type(u.wizard.performance, "已全额缴纳罚款。")
		for u.wizard.submitBtn == nil {
			if u.wizard.sign != nil {
				test.Tap(u.wizard.sign)
			}
			test.Tap(u.wizard.nextBtn)
			texts = append(texts, formTexts(k.w)...)
			if steps++; steps > 20 {
				t.Fatal("the wizard does not reach its last step")
			}
		}
	}
	if steps < 8 || len(texts) < 2*int(msgCount)+100 {
		t.Fatalf("walked only %d steps, %d texts", steps, len(texts))
	}
	for _, s := range texts {
		if term, bad := credit.Art18Match(s); bad {
			t.Errorf("%q: Art. 18 term %q", s, term)
		}
	}
	// The check itself catches a forbidden field.
	if _, bad := credit.Art18Match(fieldNames(reflect.TypeFor[struct{ BloodType string }]())[0]); !bad {
		t.Fatal("deny-list does not match")
	}
}
