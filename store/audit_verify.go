package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// Kinds of AuditProblem.
const (
	AuditAltered   = "altered"   // the entry's content or hashes were changed
	AuditRemoved   = "removed"   // the entry at Position is missing
	AuditReordered = "reordered" // the entry at Position belongs elsewhere in the chain
	AuditInserted  = "inserted"  // an entry claims a position already taken or beyond the head
)

// AuditProblem is the first break in one device's inquiry chain.
type AuditProblem struct {
	Device   string // channel (device id)
	Position int64  // 1-based position in the device's chain; 0 = outside it
	Kind     string // AuditAltered, AuditRemoved, AuditReordered or AuditInserted
	EntryID  string // the inquiry found at Position; "" when none
}

// String describes the problem for staff.
func (p AuditProblem) String() string {
	s := fmt.Sprintf("device %s: entry %d %s", p.Device, p.Position, p.Kind)
	if p.Position == 0 {
		s = fmt.Sprintf("device %s: entry outside the chain %s", p.Device, p.Kind)
	}
	if p.EntryID != "" {
		s += " (inquiry " + p.EntryID + ")"
	}
	return s
}

// AuditReport is the result of VerifyAuditChain.
type AuditReport struct {
	Devices   int            // devices (channels) with a chain
	Entries   int            // chained entries checked
	Unchained int            // entries logged before the chain existed, not yet chained
	Problems  []AuditProblem // the first break of each broken device, by device
}

// OK reports whether every chain is intact.
func (r AuditReport) OK() bool { return len(r.Problems) == 0 }

// VerifyAuditChain re-computes every device's inquiry hash chain and reports
// the first altered, removed, reordered or inserted entry of each device,
// with its position (Art. 24, 25, 45). An error means the check could not
// run, not that the log is broken.
func (d *DB) VerifyAuditChain(ctx context.Context) (AuditReport, error) {
	var rep AuditReport
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	heads := map[string]struct {
		seq  int64
		hash string
	}{}
	rows, err := tx.QueryContext(ctx, `SELECT channel, seq, hash FROM audit_heads`)
	if err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	for rows.Next() {
		var ch, h string
		var seq int64
		if err := rows.Scan(&ch, &seq, &h); err != nil {
			rows.Close()
			return rep, fmt.Errorf("store: verify audit chain: %w", err)
		}
		heads[ch] = struct {
			seq  int64
			hash string
		}{seq, h}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	chains := map[string][]auditEntry{}
	for ch := range heads {
		chains[ch] = nil
	}
	rows, err = tx.QueryContext(ctx, `SELECT c.inquiry_id, c.channel, c.seq, c.prev_hash, c.hash,
	i.id, i.subject_id, i.inquirer_kind, i.inquirer_id, i.purpose, i.auth_ref, i.channel, i.at
FROM inquiry_chain c LEFT JOIN inquiries i ON i.id = c.inquiry_id ORDER BY c.channel, c.seq, c.rowid`)
	if err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	for rows.Next() {
		e, err := scanLinked(rows)
		if err != nil {
			rows.Close()
			return rep, fmt.Errorf("store: verify audit chain: %w", err)
		}
		chains[e.linkChannel] = append(chains[e.linkChannel], e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	// Inquiries without a link: old ones on a device without a chain yet;
	// on a chained device, entries written behind the chain's back.
	outside := map[string]string{}
	rows, err = tx.QueryContext(ctx, `SELECT channel, id FROM inquiries
WHERE id NOT IN (SELECT inquiry_id FROM inquiry_chain) ORDER BY channel, at, rowid`)
	if err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	for rows.Next() {
		var ch, id string
		if err := rows.Scan(&ch, &id); err != nil {
			rows.Close()
			return rep, fmt.Errorf("store: verify audit chain: %w", err)
		}
		if _, chained := chains[ch]; !chained {
			rep.Unchained++
		} else if _, seen := outside[ch]; !seen {
			outside[ch] = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, fmt.Errorf("store: verify audit chain: %w", err)
	}
	devices := make([]string, 0, len(chains))
	for ch := range chains {
		devices = append(devices, ch)
	}
	sort.Strings(devices)
	for _, ch := range devices {
		rep.Devices++
		rep.Entries += len(chains[ch])
		head, hasHead := heads[ch]
		if p, bad := checkChain(ch, chains[ch], head.seq, head.hash, hasHead); bad {
			rep.Problems = append(rep.Problems, p)
		} else if id, ok := outside[ch]; ok {
			rep.Problems = append(rep.Problems, AuditProblem{Device: ch, Kind: AuditInserted, EntryID: id})
		}
	}
	return rep, nil
}

// scanLinked reads a chain link joined with its inquiry, if still there.
func scanLinked(rows *sql.Rows) (auditEntry, error) {
	var e auditEntry
	var id, subject, kind, inquirer, purpose, authRef, channel sql.NullString
	var at sql.NullInt64
	err := rows.Scan(&e.linkID, &e.linkChannel, &e.seq, &e.prevHash, &e.hash,
		&id, &subject, &kind, &inquirer, &purpose, &authRef, &channel, &at)
	e.hasRow = id.Valid
	e.id, e.subject, e.kind, e.inquirer = id.String, subject.String, kind.String, inquirer.String
	e.purpose, e.authRef, e.channel, e.at = purpose.String, authRef.String, channel.String, at.Int64
	return e, err
}

// checkChain finds the first break in one device's links, sorted by seq,
// against the recorded head.
func checkChain(ch string, es []auditEntry, headSeq int64, headHash string, hasHead bool) (AuditProblem, bool) {
	problem := func(pos int64, kind, id string) (AuditProblem, bool) {
		return AuditProblem{Device: ch, Position: pos, Kind: kind, EntryID: id}, true
	}
	at := map[string]int{} // hash → index, to tell reordered from removed
	for i, e := range es {
		at[e.hash] = i
	}
	want, prev := int64(1), genesisHash
	for i, e := range es {
		switch {
		case e.seq.Int64 < want:
			return problem(e.seq.Int64, AuditInserted, e.linkID)
		case e.seq.Int64 > want:
			return problem(want, AuditRemoved, "")
		case !e.hasRow:
			return problem(want, AuditRemoved, e.linkID)
		case e.digest(e.prevHash) != e.hash:
			return problem(want, AuditAltered, e.id)
		case e.prevHash != prev:
			if j, ok := at[e.prevHash]; ok && j != i-1 {
				return problem(want, AuditReordered, e.id)
			}
			return problem(want, AuditRemoved, e.id)
		}
		prev = e.hash
		want++
	}
	last := want - 1
	switch {
	case !hasHead:
		return problem(last, AuditAltered, "") // the head record was deleted
	case headSeq > last:
		return problem(last+1, AuditRemoved, "")
	case headSeq < last:
		return problem(headSeq+1, AuditInserted, "")
	case headHash != prev:
		return problem(last, AuditAltered, "")
	}
	return AuditProblem{}, false
}
