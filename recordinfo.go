package credit

import (
	"strings"
	"time"
)

// SeriousListing is what a record of a serious-untrustworthiness list
// (严重失信主体名单) must state (Art. 36; 国办发〔2020〕49号 §§(六)–(八);
// domain.md R15): the designating unit, the reasons, the basis, the
// conditions and procedure of removal, and the remedy channels. A record
// with a listing is a serious-list record even when fields are missing:
// it is then shown as incomplete, never hidden.
type SeriousListing struct {
	Unit              string `json:"unit"`               // 认定单位
	Reasons           string `json:"reasons"`            // 认定理由
	Basis             string `json:"basis"`              // 认定依据
	RemovalConditions string `json:"removal_conditions"` // 移出条件
	RemovalProcedure  string `json:"removal_procedure"`  // 移出程序
	Remedies          string `json:"remedies"`           // 救济途径
}

// ListingItem names one thing a serious-list record must state (Art. 36).
type ListingItem string

// The Art. 36 items, in display order.
const (
	ListingUnit              ListingItem = "unit"
	ListingReasons           ListingItem = "reasons"
	ListingBasis             ListingItem = "basis"
	ListingRemovalConditions ListingItem = "removal_conditions"
	ListingRemovalProcedure  ListingItem = "removal_procedure"
	ListingRemedies          ListingItem = "remedies"
)

// Label returns the item's Chinese and English names.
func (i ListingItem) Label() (zh, en string) {
	switch i {
	case ListingUnit:
		return "认定单位", "Designating unit"
	case ListingReasons:
		return "认定理由", "Reasons"
	case ListingBasis:
		return "认定依据", "Basis"
	case ListingRemovalConditions:
		return "移出条件", "Removal conditions"
	case ListingRemovalProcedure:
		return "移出程序", "Removal procedure"
	case ListingRemedies:
		return "救济途径", "Remedy channels"
	}
	return string(i), string(i)
}

// Items returns the listing's Art. 36 items with their text, in display
// order; a blank text means the item is missing.
func (l SeriousListing) Items() []ListingEntry {
	return []ListingEntry{
		{ListingUnit, l.Unit}, {ListingReasons, l.Reasons}, {ListingBasis, l.Basis},
		{ListingRemovalConditions, l.RemovalConditions}, {ListingRemovalProcedure, l.RemovalProcedure}, {ListingRemedies, l.Remedies},
	}
}

// ListingEntry is one Art. 36 item of a listing and its text.
type ListingEntry struct {
	Item ListingItem
	Text string
}

// Missing returns the Art. 36 items the listing does not state, in
// display order; none means it is complete.
func (l SeriousListing) Missing() []ListingItem {
	var out []ListingItem
	for _, e := range l.Items() {
		if strings.TrimSpace(e.Text) == "" {
			out = append(out, e.Item)
		}
	}
	return out
}

// ChangeReason is why a record changed or left the platform (Art. 44;
// domain.md R4): every change a device sees carries one.
type ChangeReason string

// Change reasons of Art. 44.
const (
	ReasonPublished       ChangeReason = "published"        // first made public
	ReasonCorrection      ChangeReason = "correction"       // corrected by the source unit
	ReasonObjectionUpheld ChangeReason = "objection_upheld" // corrected or withdrawn after an objection (Art. 46)
	ReasonRestoration     ChangeReason = "restoration"      // credit restored (Art. 47)
	ReasonRevocation      ChangeReason = "revocation"       // basis revoked (Art. 48)
	ReasonExpiry          ChangeReason = "expiry"           // publicity period ended
	ReasonWithdrawn       ChangeReason = "withdrawn"        // withdrawn by the source unit
)

// Label returns the reason's Chinese and English names.
func (r ChangeReason) Label() (zh, en string) {
	switch r {
	case ReasonPublished:
		return "公示", "published"
	case ReasonCorrection:
		return "更正", "correction"
	case ReasonObjectionUpheld:
		return "异议成立", "objection upheld"
	case ReasonRestoration:
		return "信用修复", "restoration"
	case ReasonRevocation:
		return "依据撤销", "revocation"
	case ReasonExpiry:
		return "公示期满", "expiry"
	case ReasonWithdrawn:
		return "撤回", "withdrawn"
	}
	return string(r), string(r)
}

// TombstoneReason maps the why of a platform tombstone to its Art. 44
// reason code: corrected (objection upheld), restored, revoked, expired;
// anything else is a withdrawal.
func TombstoneReason(why string) ChangeReason {
	switch why {
	case "corrected":
		return ReasonObjectionUpheld
	case "restored":
		return ReasonRestoration
	case "revoked":
		return ReasonRevocation
	case "expired":
		return ReasonExpiry
	}
	return ReasonWithdrawn
}

// RecordChange is one entry of a record's change history (Art. 44): the
// version it produced, why, when, and an optional note.
type RecordChange struct {
	Version int64        `json:"ver"`
	Reason  ChangeReason `json:"reason"`
	At      time.Time    `json:"at"`
	Note    string       `json:"note,omitempty"`
}

// MaxHistory bounds the history a record carries; older entries are
// dropped first.
const MaxHistory = 50

// AppendHistory returns h with c added, oldest first, at most MaxHistory
// entries long.
func AppendHistory(h []RecordChange, c RecordChange) []RecordChange {
	out := append(append([]RecordChange(nil), h...), c)
	if len(out) > MaxHistory {
		out = out[len(out)-MaxHistory:]
	}
	return out
}
