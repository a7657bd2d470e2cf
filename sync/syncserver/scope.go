package syncserver

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
	"modernc.org/sqlite"
)

// A device's scope is the set of administrative divisions it serves,
// decided by the platform from the device row (`syncserver device add
// --scope`), never by a client parameter (sync.md §2.2). It is a list of
// division-code prefixes separated by commas or spaces: "620102" is one
// county (城关区), "6201" a city (兰州市), "620102,620103" two counties.
// An empty scope is the whole province. A subject is in scope when its
// 6-digit region code starts with one of the prefixes; a record goes with
// its subject. Changes without a region (application statuses, trust
// lists) go to every device they are meant for. The scope's hash is in
// every cursor: a device whose scope changed gets 410 scope_changed and
// resyncs its new scope from a snapshot (sync.md F12).
type scope struct {
	prefixes []string // sorted, distinct; empty: everything
}

// parseScope reads a scope as stored on the device row. Elements that are
// not 1 to 6 digits are dropped (validScope refuses them on input).
func parseScope(s string) scope {
	var sc scope
	for f := range strings.FieldsFuncSeq(s, isScopeSep) {
		if validScopeElem(f) && !slices.Contains(sc.prefixes, f) {
			sc.prefixes = append(sc.prefixes, f)
		}
	}
	slices.Sort(sc.prefixes)
	return sc
}

func isScopeSep(r rune) bool { return r == ',' || r == ' ' || r == ';' || r == '\t' }

func validScopeElem(f string) bool {
	if len(f) == 0 || len(f) > 6 {
		return false
	}
	for _, c := range f {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validScope reports whether every element of s is a 1 to 6 digit
// division-code prefix.
func validScope(s string) bool {
	for f := range strings.FieldsFuncSeq(s, isScopeSep) {
		if !validScopeElem(f) {
			return false
		}
	}
	return true
}

// all reports whether the scope is the whole province.
func (sc scope) all() bool { return len(sc.prefixes) == 0 }

// String is the canonical form, "" for everything.
func (sc scope) String() string { return strings.Join(sc.prefixes, ",") }

// has reports whether a change of region is in scope; a change without a
// region is in every scope.
func (sc scope) has(region string) bool {
	if region == "" || sc.all() {
		return true
	}
	for _, p := range sc.prefixes {
		if strings.HasPrefix(region, p) {
			return true
		}
	}
	return false
}

// hash identifies the scope in cursors: "" for everything (so cursors
// minted before scopes existed stay valid for whole-province devices).
func (sc scope) hash() string {
	if sc.all() {
		return ""
	}
	sum := sha256.Sum256([]byte("credit-scope-v1\x00" + sc.String()))
	return hex.EncodeToString(sum[:8])
}

// inScopeFunc is the SQL function credit_in_scope(scope, region): 1 when
// a row of region is in the canonical scope string (scope.String()), 0
// otherwise. Page and snapshot queries filter with it.
const inScopeFunc = "credit_in_scope"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(inScopeFunc, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		sc, _ := args[0].(string)
		region, _ := args[1].(string)
		if sc == "" || region == "" {
			return int64(1), nil
		}
		for p := range strings.SplitSeq(sc, ",") {
			if strings.HasPrefix(region, p) {
				return int64(1), nil
			}
		}
		return int64(0), nil
	})
	// credit_subject_region(id, body): a subject's region, from its wire
	// body or else from inside its id; the triggers of regionTriggers
	// keep subjects.region and records.region with it.
	sqlite.MustRegisterDeterministicScalarFunction(subjectRegionFunc, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		id, _ := args[0].(string)
		var body []byte
		switch b := args[1].(type) {
		case string:
			body = []byte(b)
		case []byte:
			body = b
		}
		return subjectRegion(id, body), nil
	})
}

const subjectRegionFunc = "credit_subject_region"

// regionTriggers keep the region columns of subjects and records (which
// snapshots filter by) filled however a row is written.
const regionTriggers = `
CREATE TRIGGER IF NOT EXISTS subjects_region_ins AFTER INSERT ON subjects BEGIN
	UPDATE subjects SET region = ` + subjectRegionFunc + `(NEW.id, NEW.body) WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS subjects_region_upd AFTER UPDATE OF body ON subjects BEGIN
	UPDATE subjects SET region = ` + subjectRegionFunc + `(NEW.id, NEW.body) WHERE id = NEW.id;
END;
CREATE TRIGGER IF NOT EXISTS records_region_ins AFTER INSERT ON records BEGIN
	UPDATE records SET region = COALESCE((SELECT region FROM subjects WHERE id = NEW.subject_id), ` + subjectRegionFunc + `(NEW.subject_id, '')) WHERE id = NEW.id;
END;
`

// subjectRegion is the region in a subject's wire body, else the one
// inside its id.
func subjectRegion(id string, body []byte) string {
	var w protocol.SubjectV1
	if len(body) > 0 && json.Unmarshal(body, &w) == nil && w.Region != "" {
		return w.Region
	}
	return regionOfID(id)
}

// regionOfID is the division code inside a subject id (resident ID number
// or USCC), "" when it is neither.
func regionOfID(id string) string {
	n, kind, err := credit.ParseSubjectID(id)
	switch {
	case err != nil:
		return ""
	case kind == credit.NaturalPerson:
		return credit.IDNumber(n).Region()
	}
	return credit.USCC(n).Region()
}

// changeRegion is the region a change-log row belongs to: a subject's
// region (or the one inside its id), a record's subject's, and for a
// tombstone the region of the row it supersedes. Rows for one device
// and rows of other types have none: they are in every scope.
func changeRegion(ctx context.Context, tx *sql.Tx, l protocol.Line, device string) (string, error) {
	if device != "" {
		return "", nil
	}
	typ := credit.ChangeType(l.T)
	// An inquiry log entry is in its subject's region, as the subject's
	// records are (inquiries.go; its wire form names subject_id too).
	if typ != credit.TypeSubject && typ != credit.TypeRecord && typ != credit.TypeInquiry {
		return "", nil
	}
	if l.Op != protocol.OpPut {
		var region string
		err := tx.QueryRowContext(ctx, `SELECT region FROM change_log WHERE type = ? AND id = ? AND device = '' ORDER BY seq DESC LIMIT 1`, l.T, l.ID).Scan(&region)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("region of %s %s: %w", l.T, l.ID, err)
		}
		if region == "" && typ == credit.TypeSubject {
			region = regionOfID(l.ID)
		}
		return region, nil
	}
	if typ == credit.TypeSubject {
		return subjectRegion(l.ID, l.D), nil
	}
	var w protocol.RecordV1
	if err := json.Unmarshal(l.D, &w); err != nil || w.SubjectID == "" {
		return "", nil //nolint:nilerr // an unreadable record has no region: every device gets it, as before scopes
	}
	var region sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT region FROM subjects WHERE id = ?`, w.SubjectID).Scan(&region)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("region of record %s: %w", l.ID, err)
	}
	if region.String != "" {
		return region.String, nil
	}
	return regionOfID(w.SubjectID), nil
}

// deviceScope is device's scope as the platform holds it; everything for
// a device without a row (bearer-token devices).
func (s *Server) deviceScope(ctx context.Context, device string) (scope, error) {
	var sc string
	err := s.rdb.QueryRowContext(ctx, `SELECT scope FROM device_keys WHERE id = ?`, device).Scan(&sc)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return scope{}, fmt.Errorf("device scope: %w", err)
	}
	return parseScope(sc), nil
}
