package ui

import (
	"testing"

	"github.com/gansu-credit/credit/app/ui/uitest"
	"github.com/gansu-credit/credit/assets"
)

// TestTranslationFiles checks the kiosk's embedded translation files
// (uitest.CheckTranslations: snake-case unique keys, exactly the keys of
// msgKeys in both files, no empty text, the same fmt verbs in Chinese and
// English, go-i18n — what Fyne's lang uses — reads every text back) and
// that loading them found no gap.
func TestTranslationFiles(t *testing.T) {
	for _, p := range messageProblems {
		t.Error(p)
	}
	uitest.CheckTranslations(t, assets.Translations(), "kiosk", msgKeys[:], messages[:])
}
