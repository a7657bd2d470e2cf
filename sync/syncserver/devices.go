package syncserver

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
	"github.com/gansu-credit/credit/sync/protocol"
)

// Device enrolment (issue 3, sync.md §1.8): `syncserver device add` issues
// a one-time code (160 random bits, shown once, stored as its SHA-256,
// valid for EnrollCodeTTL); the device posts it with its Ed25519 public key
// to POST /enroll; from then on its requests are signed with that key.

// EnrollCodeTTL is how long an enrolment code stays usable.
const EnrollCodeTTL = 72 * time.Hour

const authSchema = `
CREATE TABLE IF NOT EXISTS device_keys(
	id TEXT PRIMARY KEY,
	scope TEXT NOT NULL DEFAULT '',
	public_key BLOB,
	status TEXT NOT NULL DEFAULT 'active',
	code_hash BLOB,
	code_expires TEXT NOT NULL DEFAULT '',
	used_code_hash BLOB,
	added_at TEXT NOT NULL,
	enrolled_at TEXT NOT NULL DEFAULT '',
	revoked_at TEXT NOT NULL DEFAULT '');
`

// Device states.
const (
	deviceActive  = "active"
	deviceRevoked = "revoked"
)

// Registration is a device as the platform knows it.
type Registration struct {
	ID          string
	Scope       string
	Enrolled    bool // a public key is registered
	Revoked     bool
	CodePending bool // an unused code exists (it may have expired)
	CodeExpires time.Time
	AddedAt     time.Time
	EnrolledAt  time.Time
	RevokedAt   time.Time
}

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCode returns a random enrolment code in groups of four, e.g.
// "ABCD-EFGH-…" (32 base32 characters, 160 bits).
func newCode() (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	s := codeEncoding.EncodeToString(b[:])
	var g []string
	for i := 0; i < len(s); i += 4 {
		g = append(g, s[i:min(i+4, len(s))])
	}
	return strings.Join(g, "-"), nil
}

// hashCode hashes a code as typed: case, spaces and dashes do not matter.
func hashCode(code string) []byte {
	norm := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(code))
	s := sha256.Sum256([]byte("credit-enrol-v1\n" + norm))
	return s[:]
}

// AddDevice registers device id for scope (or, for a device already
// known and not revoked, re-issues a code so it can enrol a new key) and
// returns the one-time enrolment code and its expiry. The code is not
// stored, only its hash: it cannot be shown again.
func (s *Server) AddDevice(ctx context.Context, id, scope string) (string, time.Time, error) {
	if !protocol.ValidKeyID(id) {
		return "", time.Time{}, credit.Errorf(credit.EINVALID, "终端编号无效（1–64 个字母、数字、点、下划线或连字符）。",
			"A device id has 1 to 64 letters, digits, dots, underscores or dashes.")
	}
	if !validScope(scope) {
		return "", time.Time{}, errBadScope()
	}
	code, err := newCode()
	if err != nil {
		return "", time.Time{}, fmt.Errorf("syncserver: add device: %w", err)
	}
	now := s.now()
	exp := now.Add(EnrollCodeTTL)
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM device_keys WHERE id = ?`, id).Scan(&status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO device_keys(id, scope, status, code_hash, code_expires, added_at) VALUES(?, ?, ?, ?, ?, ?)`,
				id, scope, deviceActive, hashCode(code), formatTime(exp), formatTime(now))
			return err
		case err != nil:
			return err
		case status == deviceRevoked:
			return credit.Errorf(credit.ECONFLICT, "该终端已被吊销，请使用新的终端编号。", "Device %s was revoked; enrol it under a new id.", id)
		}
		q := `UPDATE device_keys SET code_hash = ?, code_expires = ? WHERE id = ?`
		args := []any{hashCode(code), formatTime(exp), id}
		if scope != "" {
			q = `UPDATE device_keys SET code_hash = ?, code_expires = ?, scope = ? WHERE id = ?`
			args = []any{hashCode(code), formatTime(exp), scope, id}
		}
		_, err = tx.ExecContext(ctx, q, args...)
		return err
	})
	if err != nil {
		if credit.ErrorCode(err) != credit.EINTERNAL {
			return "", time.Time{}, err
		}
		return "", time.Time{}, fmt.Errorf("syncserver: add device %s: %w", id, err)
	}
	s.log.Info("device enrolment code issued", "device", id, "expires", exp)
	return code, exp, nil
}

func errBadScope() error {
	return credit.Errorf(credit.EINVALID, "服务范围须为以逗号分隔的 1–6 位行政区划代码前缀，如 620102 或 6201。",
		"A scope is a comma-separated list of 1 to 6 digit division-code prefixes, e.g. 620102 or 6201.")
}

// SetDeviceScope changes the divisions device id serves ("" for the whole
// province). Its next pull gets 410 scope_changed and it resyncs the new
// scope from a snapshot: rows outside it are swept from the device
// (sync.md F12).
func (s *Server) SetDeviceScope(ctx context.Context, id, scope string) error {
	if !validScope(scope) {
		return errBadScope()
	}
	res, err := s.db.ExecContext(ctx, `UPDATE device_keys SET scope = ? WHERE id = ?`, parseScope(scope).String(), id)
	if err != nil {
		return fmt.Errorf("syncserver: set scope of %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return credit.Errorf(credit.ENOTFOUND, "没有该终端。", "No device %s.", id)
	}
	s.log.Info("device scope changed", "device", id, "scope", parseScope(scope).String())
	return nil
}

// RevokeDevice refuses every further request of device id, and any code
// it has not used.
func (s *Server) RevokeDevice(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE device_keys SET status = ?, revoked_at = ?, code_hash = NULL WHERE id = ?`,
		deviceRevoked, formatTime(s.now()), id)
	if err != nil {
		return fmt.Errorf("syncserver: revoke %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return credit.Errorf(credit.ENOTFOUND, "没有该终端。", "No device %s.", id)
	}
	s.log.Warn("device revoked", "device", id)
	return nil
}

// RegisteredDevices lists the devices by id.
func (s *Server) RegisteredDevices(ctx context.Context) ([]Registration, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, scope, public_key IS NOT NULL, status, code_hash IS NOT NULL, code_expires, added_at, enrolled_at, revoked_at
		FROM device_keys ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("syncserver: devices: %w", err)
	}
	defer rows.Close()
	var out []Registration
	for rows.Next() {
		var r Registration
		var status, exp, added, enrolled, revoked string
		if err := rows.Scan(&r.ID, &r.Scope, &r.Enrolled, &status, &r.CodePending, &exp, &added, &enrolled, &revoked); err != nil {
			return nil, fmt.Errorf("syncserver: devices: %w", err)
		}
		r.Revoked = status == deviceRevoked
		for _, f := range []struct {
			s string
			t *time.Time
		}{{exp, &r.CodeExpires}, {added, &r.AddedAt}, {enrolled, &r.EnrolledAt}, {revoked, &r.RevokedAt}} {
			if f.s != "" {
				if err := parseTime(f.s, f.t); err != nil {
					return nil, fmt.Errorf("syncserver: devices: %w", err)
				}
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("syncserver: devices: %w", err)
	}
	return out, nil
}

var errEnrollRefused = errors.New("enrolment refused")

// enroll serves POST /enroll (unsigned: the code is the credential).
func (s *Server) enroll(w http.ResponseWriter, r *http.Request) {
	var e protocol.Enrollment
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&e); err != nil {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad enrolment",
			credit.Errorf(credit.EINVALID, "登记请求格式错误。", "The enrolment request is not valid JSON.")))
		return
	}
	pub, err := base64.StdEncoding.DecodeString(e.PublicKey)
	if err != nil || len(pub) != ed25519.PublicKeySize || !protocol.ValidKeyID(e.DeviceID) {
		s.problem(w, r, protocol.NewProblem(http.StatusBadRequest, protocol.CodeBadRequest, "bad enrolment",
			credit.Errorf(credit.EINVALID, "登记请求缺少终端编号或公钥。", "The enrolment needs a device id and a 32-byte Ed25519 public key.")))
		return
	}
	scope, err := s.register(r.Context(), e.DeviceID, hashCode(e.Code), pub)
	switch {
	case errors.Is(err, errEnrollRefused):
		s.log.Warn("enrolment refused", "device", e.DeviceID, "remote", r.RemoteAddr)
		s.problem(w, r, protocol.NewProblem(http.StatusForbidden, protocol.CodeEnrollmentRefused, "enrolment refused",
			credit.Errorf(credit.EUNAUTHORIZED, "登记码无效、已过期或已使用。", "The enrolment code is wrong, expired or already used.")))
		return
	case err != nil:
		s.internal(w, r, "enroll", err)
		return
	}
	s.log.Info("device enrolled", "device", e.DeviceID)
	writeJSON(w, http.StatusOK, protocol.EnrollmentResult{DeviceID: e.DeviceID, Scope: scope, ServerTime: s.now()})
}

// register stores pub for device id when codeHash matches its unused,
// unexpired code, using the code up. Presenting the used code again with
// the same key answers as the first time (the first answer may have been
// lost).
func (s *Server) register(ctx context.Context, id string, codeHash, pub []byte) (string, error) {
	var scope string
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var status, exp string
		var stored, used, key []byte
		err := tx.QueryRowContext(ctx, `SELECT scope, status, code_hash, code_expires, used_code_hash, public_key FROM device_keys WHERE id = ?`, id).
			Scan(&scope, &status, &stored, &exp, &used, &key)
		if errors.Is(err, sql.ErrNoRows) {
			return errEnrollRefused
		}
		if err != nil {
			return err
		}
		if status != deviceActive {
			return errEnrollRefused
		}
		if len(used) > 0 && subtle.ConstantTimeCompare(used, codeHash) == 1 && subtle.ConstantTimeCompare(key, pub) == 1 {
			return nil // a repeat of the enrolment that used this code
		}
		var expires time.Time
		if len(stored) == 0 || parseTime(exp, &expires) != nil || subtle.ConstantTimeCompare(stored, codeHash) != 1 || !s.now().Before(expires) {
			return errEnrollRefused
		}
		_, err = tx.ExecContext(ctx, `UPDATE device_keys SET public_key = ?, code_hash = NULL, used_code_hash = ?, enrolled_at = ? WHERE id = ?`,
			pub, codeHash, formatTime(s.now()), id)
		return err
	})
	return scope, err
}

// deviceKeyQuery reads an enrolled device's key and status (arg: id).
const deviceKeyQuery = `SELECT public_key, status FROM device_keys WHERE id = ? AND public_key IS NOT NULL`

// deviceKey returns the public key and status of device id (found false
// when it is unknown or has not enrolled).
func (s *Server) deviceKey(ctx context.Context, id string) (pub ed25519.PublicKey, revoked, found bool, err error) {
	var status string
	err = s.rstmts.QueryRowContext(ctx, deviceKeyQuery, id).Scan((*[]byte)(&pub), &status)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, fmt.Errorf("device key: %w", err)
	}
	return pub, status == deviceRevoked, true, nil
}
