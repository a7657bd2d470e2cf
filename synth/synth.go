// Package synth generates deterministic, realistic synthetic data for
// Gansu: natural persons with valid resident ID numbers, legal persons with
// valid Unified Social Credit Codes, and their public credit records. It is
// used by the demo, the reference sync server's seed command, tests and
// benchmarks. The same seed always gives the same Dataset.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// The fixed demo subjects: Subjects[0] and Subjects[1] of every Dataset.
const (
	// DemoID is the resident ID number of the demo natural person
	// (城关区, born 1985-03-12, female).
	DemoID = "620102198503120021"
	// DemoName is the demo natural person's name.
	DemoName = "张晓燕"
	// DemoUSCC is the Unified Social Credit Code of the demo business.
	DemoUSCC = "916201022243045803"
	// DemoOrgName is the demo business's name.
	DemoOrgName = "兰州黄河商贸有限公司"
)

// Dataset is a generated set of subjects and their records.
type Dataset struct {
	Subjects []credit.Subject
	Records  []credit.Record
}

// gen carries the generator state.
type gen struct {
	rng   *rand.Rand
	ds    Dataset
	seen  map[string]bool // subject IDs
	names map[string]bool // organisation names
}

// Generate returns n subjects (about 60% natural persons, 40% legal
// persons) and 0-6 records each. Subjects[0] is the demo person (DemoID)
// and Subjects[1] the demo business (DemoUSCC), both with fixed records.
// Record IDs are "R" followed by an 8-digit index; every version is 1.
func Generate(seed int64, n int) Dataset {
	if n <= 0 {
		return Dataset{}
	}
	g := &gen{
		rng:   rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x9e3779b97f4a7c15)),
		seen:  make(map[string]bool, n),
		names: map[string]bool{DemoOrgName: true},
		ds: Dataset{
			Subjects: make([]credit.Subject, 0, n),
			Records:  make([]credit.Record, 0, n*2),
		},
	}
	g.addDemoPerson()
	if n > 1 {
		g.addDemoBusiness()
	}
	for len(g.ds.Subjects) < n {
		if g.rng.IntN(10) < 6 {
			g.addPerson()
		} else {
			g.addBusiness()
		}
	}
	return g.ds
}

// addSubject appends s unless its ID is taken; it reports success.
func (g *gen) addSubject(s credit.Subject) bool {
	if g.seen[s.ID] {
		return false
	}
	g.seen[s.ID] = true
	s.Version = 1
	g.ds.Subjects = append(g.ds.Subjects, s)
	return true
}

// addRecord appends r with the next record ID.
func (g *gen) addRecord(r credit.Record) {
	r.ID = fmt.Sprintf("R%08d", len(g.ds.Records))
	r.Version = 1
	g.ds.Records = append(g.ds.Records, r)
}

func (g *gen) addPerson() {
	reg := regions[g.rng.IntN(len(regions))]
	var id string
	for {
		id = g.idNumber(reg.Code)
		if !g.seen[id] {
			break
		}
	}
	g.addSubject(credit.Subject{ID: id, Kind: credit.NaturalPerson, Name: g.personName(), Region: reg.Code})
	// Persons: mostly none, some one or two, rarely three.
	n := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 3}[g.rng.IntN(10)]
	for range n {
		switch g.rng.IntN(6) {
		case 0, 1:
			g.addRecord(g.licenceRecord(id, reg, personLicences[g.rng.IntN(len(personLicences))]))
		case 2, 3:
			g.addRecord(g.penaltyRecord(id, reg, personPenalties[g.rng.IntN(len(personPenalties))]))
		default:
			g.addRecord(g.otherRecord(id, reg, personOthers[g.rng.IntN(len(personOthers))]))
		}
	}
}

func (g *gen) addBusiness() {
	reg := regions[g.rng.IntN(len(regions))]
	form := bizForms[g.rng.IntN(len(bizForms))]
	var prefix string
	switch form.Prefix {
	case "":
		prefix = reg.City
	case "市":
		prefix = reg.City + "市"
	default:
		prefix = form.Prefix
	}
	name := g.orgName(prefix, form.Suffix)
	kind := "91" // registered by market regulation, enterprise
	if form.Kind == "farm" {
		kind = "93" // farmers' specialised cooperative
	}
	var code string
	for {
		code = g.uscc(kind, reg.Code)
		if !g.seen[code] {
			break
		}
	}
	g.addSubject(credit.Subject{ID: code, Kind: credit.LegalPerson, Name: name, Region: reg.Code})
	n := 1 + g.rng.IntN(6)
	g.addRecord(g.licenceRecord(code, reg, bizLicences[0])) // registration
	for range n - 1 {
		switch g.rng.IntN(5) {
		case 0:
			g.addRecord(g.licenceRecord(code, reg, bizLicences[1+g.rng.IntN(len(bizLicences)-1)]))
		case 1, 2:
			g.addRecord(g.penaltyRecord(code, reg, penalties[g.rng.IntN(len(penalties))]))
		default:
			g.addRecord(g.otherRecord(code, reg, bizOthers[g.rng.IntN(len(bizOthers))]))
		}
	}
}

// orgName returns an enterprise name not used before in this dataset: one
// or two trade words, a third when the common combinations are taken, and
// as a last resort a branch suffix.
func (g *gen) orgName(prefix, suffix string) string {
	for attempt := 0; ; attempt++ {
		word := bizWords[g.rng.IntN(len(bizWords))]
		if attempt >= 8 || g.rng.IntN(3) == 0 {
			word += bizWords[g.rng.IntN(len(bizWords))]
		}
		if attempt >= 16 {
			word += bizWords[g.rng.IntN(len(bizWords))]
		}
		name := prefix + word + suffix
		if attempt >= 24 {
			name += fmt.Sprintf("第%d分公司", attempt-23)
		}
		if !g.names[name] {
			g.names[name] = true
			return name
		}
	}
}

// idNumber returns a valid resident ID number for the division code.
func (g *gen) idNumber(code string) string {
	birth := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.rng.IntN(67*365))
	seq := g.rng.IntN(1000)
	first17 := code + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
	return first17 + string(credit.IDCheckChar(first17))
}

// uscc returns a valid USCC: registration department and type (2 chars),
// division code, a GB 11714 organisation code with its check character,
// and the MOD 31 check character.
func (g *gen) uscc(kind, code string) string {
	var b [8]byte
	for i := range b {
		b[i] = byte('0' + g.rng.IntN(10))
	}
	first17 := kind + code + orgCode(string(b[:]))
	return first17 + string(credit.USCCCheckChar(first17))
}

// orgWeights are the GB 11714-1997 weights.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// orgCode appends the GB 11714 check character to 8 digits.
func orgCode(body string) string {
	sum := 0
	for i := range 8 {
		sum += int(body[i]-'0') * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return body + "X"
	case 11:
		return body + "0"
	default:
		return body + string(byte('0'+c))
	}
}

// personName returns a Chinese personal name: 2-3 characters, sometimes
// with a rare character, occasionally a minority name with a middle dot.
func (g *gen) personName() string {
	if g.rng.IntN(100) == 0 {
		return minorityNames[g.rng.IntN(len(minorityNames))]
	}
	var b strings.Builder
	b.WriteString(surnames[g.rng.IntN(len(surnames))])
	given := 1 + g.rng.IntN(2)
	for range given {
		if g.rng.IntN(40) == 0 {
			b.WriteString(rareChars[g.rng.IntN(len(rareChars))])
		} else {
			b.WriteString(givenChars[g.rng.IntN(len(givenChars))])
		}
	}
	return b.String()
}

// unit resolves a template's source unit for the region.
func unit(reg region, u, suffix string) string {
	if u == "local" {
		return reg.Bureau + suffix
	}
	return u
}

// docNo builds a decision document number such as 兰市监罚〔2025〕123号.
func (g *gen) docNo(reg region, u, abbr string, year int) string {
	prefix := "甘"
	if u == "local" {
		prefix = reg.Abbr
	}
	return fmt.Sprintf("%s%s〔%d〕%d号", prefix, abbr, year, 1+g.rng.IntN(999))
}

// decisionDate is a day between 2023-01-01 and 2026-10-31, China time.
func (g *gen) decisionDate() time.Time {
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, credit.China)
	return start.AddDate(0, 0, g.rng.IntN(1400))
}

func (g *gen) penaltyRecord(subject string, reg region, p penalty) credit.Record {
	d := g.decisionDate()
	tier := credit.Tier(p.Tier)
	return credit.Record{
		SubjectID:      subject,
		Category:       credit.CategoryUntrustworthy,
		Title:          p.Title,
		Content:        p.Content,
		SourceUnit:     unit(reg, p.Unit, p.Suffix),
		DocumentNo:     g.docNo(reg, p.Unit, p.DocAbbr, d.Year()),
		LegalBasis:     p.Basis,
		DecisionDate:   d,
		PublicityUntil: PublicityUntil(d, tier),
		Tier:           tier,
	}
}

func (g *gen) licenceRecord(subject string, reg region, l licence) credit.Record {
	d := g.decisionDate()
	return credit.Record{
		SubjectID:    subject,
		Category:     credit.CategoryBasic,
		Title:        l.Title,
		Content:      l.Content,
		SourceUnit:   unit(reg, l.Unit, l.Suffix),
		DocumentNo:   g.docNo(reg, l.Unit, l.DocAbbr, d.Year()),
		LegalBasis:   l.Basis,
		DecisionDate: d,
	}
}

func (g *gen) otherRecord(subject string, reg region, o other) credit.Record {
	d := g.decisionDate()
	return credit.Record{
		SubjectID:    subject,
		Category:     credit.CategoryOther,
		Title:        o.Title,
		Content:      o.Content,
		SourceUnit:   unit(reg, o.Unit, o.Suffix),
		DocumentNo:   g.docNo(reg, o.Unit, o.DocAbbr, d.Year()),
		LegalBasis:   o.Basis,
		DecisionDate: d,
	}
}

// PublicityUntil is the end of the disclosure period of a penalty decided
// on d: minor +3 months, general +1 year, serious +3 years; zero otherwise.
func PublicityUntil(d time.Time, t credit.Tier) time.Time {
	switch t {
	case credit.TierMinor:
		return d.AddDate(0, 3, 0)
	case credit.TierGeneral:
		return d.AddDate(1, 0, 0)
	case credit.TierSerious:
		return d.AddDate(3, 0, 0)
	}
	return time.Time{}
}
