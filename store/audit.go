package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
)

// The inquiry log is tamper-evident (Art. 24, 25, 45; domain.md R3, R18):
// each device's entries (by channel) form a hash chain, entry k having a
// link in inquiry_chain with seq = k, prev_hash = hash of entry k-1
// (genesisHash for k = 1) and hash = sha256(prev_hash || canonical
// fields). A link outlives its deleted inquiry row, and audit_heads keeps
// the last seq and hash per device, so a removed last entry shows too. The chain is
// written in the insert's transaction; write transactions begin IMMEDIATE,
// so inserts are serialised across connections and processes.
//
// What it cannot show: a rewrite of a whole chain, head included, by
// someone who knows the scheme (there is no key); the platform's copy is
// the check for that.

// genesisHash is the prev_hash of a device's first entry.
var genesisHash = hex.EncodeToString(make([]byte, sha256.Size))

// chainDomain separates this hash from any other use of sha256 on the same
// bytes; bump the version if the canonical fields ever change.
const chainDomain = "gansu-credit/inquiry-log/v1"

// auditEntry is one inquiry with its chain link, as the verifier reads
// them: inquiry fields are empty when the row is gone (hasRow false), link
// fields when the inquiry has no link (seq invalid).
type auditEntry struct {
	hasRow                                                 bool
	id, subject, kind, inquirer, purpose, authRef, channel string
	at                                                     int64
	seq                                                    sql.NullInt64
	linkID, linkChannel, prevHash, hash                    string
}

// digest is sha256(prev || canonical fields): the domain tag and each
// string length-prefixed (4-byte big-endian), the time as 8 bytes.
func (e auditEntry) digest(prev string) string {
	h := sha256.New()
	h.Write([]byte(prev))
	var n [8]byte
	for _, s := range []string{chainDomain, e.id, e.subject, e.kind, e.inquirer, e.purpose, e.authRef, e.channel} {
		binary.BigEndian.PutUint32(n[:4], uint32(len(s)))
		h.Write(n[:4])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(n[:], uint64(e.at))
	h.Write(n[:])
	return hex.EncodeToString(h.Sum(nil))
}

// inquiryColumns are the inquiry fields scanInquiry reads, in order.
const inquiryColumns = `id, subject_id, inquirer_kind, inquirer_id, purpose, auth_ref, channel, at`

// scanInquiry reads one row selected with inquiryColumns.
func scanInquiry(rows interface{ Scan(...any) error }) (auditEntry, error) {
	e := auditEntry{hasRow: true}
	err := rows.Scan(&e.id, &e.subject, &e.kind, &e.inquirer, &e.purpose, &e.authRef, &e.channel, &e.at)
	return e, err
}

// link writes e's chain link.
func link(ctx context.Context, tx *sql.Tx, e auditEntry, seq int64, prev, hash string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO inquiry_chain (inquiry_id, channel, seq, prev_hash, hash) VALUES (?, ?, ?, ?, ?)`,
		e.id, e.channel, seq, prev, hash)
	if err != nil {
		return fmt.Errorf("link inquiry: %w", err)
	}
	return nil
}

// chainHead returns the last seq and hash of channel's chain. When the
// device has no chain yet, it first chains the entries logged before the
// migration (no link yet), oldest first. Runs inside the insert's transaction.
func chainHead(ctx context.Context, tx *sql.Tx, channel string) (int64, string, error) {
	seq, head := int64(0), genesisHash
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_heads WHERE channel = ?`, channel).Scan(&seq, &head)
	if err == nil {
		// Once a chain exists, an entry without a position is a removed
		// one, not an old one: it must not be chained again.
		return seq, head, nil
	}
	if !errNoRows(err) {
		return 0, "", fmt.Errorf("read chain head: %w", err)
	}
	// No head: continue from the last link if there is one (the head row
	// alone was lost; the entries are all there).
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM inquiry_chain WHERE channel = ? ORDER BY seq DESC LIMIT 1`, channel).Scan(&seq, &head)
	if err == nil {
		return seq, head, nil
	}
	if !errNoRows(err) {
		return 0, "", fmt.Errorf("read chain head: %w", err)
	}
	seq, head = 0, genesisHash
	rows, err := tx.QueryContext(ctx, `SELECT `+inquiryColumns+` FROM inquiries
WHERE channel = ? AND id NOT IN (SELECT inquiry_id FROM inquiry_chain) ORDER BY at, rowid`, channel)
	if err != nil {
		return 0, "", fmt.Errorf("read unchained entries: %w", err)
	}
	var legacy []auditEntry
	for rows.Next() {
		e, err := scanInquiry(rows)
		if err != nil {
			rows.Close()
			return 0, "", fmt.Errorf("read unchained entries: %w", err)
		}
		legacy = append(legacy, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, "", fmt.Errorf("read unchained entries: %w", err)
	}
	for _, e := range legacy {
		seq++
		h := e.digest(head)
		if err := link(ctx, tx, e, seq, head, h); err != nil {
			return 0, "", err
		}
		head = h
	}
	return seq, head, nil
}

// setHead records channel's new chain head.
func setHead(ctx context.Context, tx *sql.Tx, channel string, seq int64, hash string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_heads (channel, seq, hash) VALUES (?, ?, ?)
ON CONFLICT (channel) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`, channel, seq, hash)
	if err != nil {
		return fmt.Errorf("write chain head: %w", err)
	}
	return nil
}
