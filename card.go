package credit

import (
	"log/slog"
	"time"
)

// CardKind is the type of card the reader found (flag at text offset 248).
type CardKind string

// Card kinds.
const (
	CardResident    CardKind = "resident"     // 居民身份证
	CardForeign2017 CardKind = "foreign_2017" // 外国人永久居留身份证 (2017, 'I')
	CardGAT         CardKind = "gat"          // 港澳台居民居住证 ('J')
	CardForeign2023 CardKind = "foreign_2023" // 外国人永久居留身份证 (2023, 'Y')
)

// IDCard holds the text fields read from an identity card. The photo and
// fingerprint blocks are never part of it: the reader discards them.
// It lives in memory for one kiosk session only.
type IDCard struct {
	Kind      CardKind `json:"kind"`
	Name      string   `json:"name"`
	Sex       string   `json:"sex"`    // GB/T 2261.1 code: 0 unknown, 1 male, 2 female, 9 unstated
	Ethnic    string   `json:"ethnic"` // GB 3304 code
	Birth     string   `json:"birth"`  // YYYYMMDD
	Address   string   `json:"address"`
	Number    string   `json:"number"`
	Authority string   `json:"authority"`
	ValidFrom string   `json:"valid_from"` // YYYYMMDD
	ValidTo   string   `json:"valid_to"`   // YYYYMMDD or 长期
}

// LongTerm is the end of validity printed on long-term cards.
const LongTerm = "长期"

// Expired reports whether the card's validity ended before now (China time).
func (c IDCard) Expired(now time.Time) bool {
	if c.ValidTo == LongTerm || c.ValidTo == "" {
		return false
	}
	end, err := time.ParseInLocation("20060102", c.ValidTo, China)
	if err != nil {
		return false
	}
	return now.After(end.Add(24*time.Hour - time.Second))
}

// LogValue masks everything personal.
func (c IDCard) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("kind", string(c.Kind)),
		slog.String("number", maskMiddle(c.Number, 4, 4)),
		slog.String("name", MaskName(c.Name)),
	)
}
