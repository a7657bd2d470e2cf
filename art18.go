package credit

import (
	"strings"
	"unicode"
)

// Art18Terms are the kinds of personal information Art. 18 forbids
// collecting: religion, genes, fingerprints, blood type, illness and
// medical history, biometrics (faces, photos). English terms match whole
// words of a name (snake_case, camelCase, spaces); Chinese terms match
// anywhere.
var Art18Terms = []string{
	"religion", "religious", "gene", "genes", "genetic", "genetics", "genome", "dna",
	"fingerprint", "fingerprints", "blood", "bloodtype", "medical", "illness", "disease",
	"diagnosis", "biometric", "biometrics", "face", "facial", "photo", "photograph", "portrait",
	"宗教", "信仰", "基因", "指纹", "血型", "病史", "疾病", "生物识别", "人脸", "面部", "照片", "相片",
}

// Art18Match returns the first Art. 18 term that name (a table, column,
// form field or label) contains, and whether there was one.
func Art18Match(name string) (string, bool) {
	words := map[string]bool{}
	for _, w := range splitWords(name) {
		words[w] = true
	}
	for _, term := range Art18Terms {
		if term[0] < utf8RuneSelf {
			if words[term] {
				return term, true
			}
		} else if strings.Contains(name, term) {
			return term, true
		}
	}
	return "", false
}

const utf8RuneSelf = 0x80

// splitWords breaks a name into lowercase ASCII words at non-letters and
// at lower-to-upper case changes (blood_type, bloodType, "Blood type").
func splitWords(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case r < utf8RuneSelf && unicode.IsLetter(r):
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
		prev = r
	}
	flush()
	return out
}
