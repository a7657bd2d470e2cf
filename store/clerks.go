package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	credit "github.com/gansu-credit/credit"
)

// AddClerk stores a new clerk account, unlocked. An existing staff number
// fails with ECONFLICT.
func (d *DB) AddClerk(ctx context.Context, a credit.ClerkAccount) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if !strings.HasPrefix(a.PasswordHash, "$argon2id$") {
		return credit.Errorf(credit.EINVALID, "密码须以 argon2id 散列保存。", "The password must be stored as an argon2id hash.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO clerks (id, name, role, password_hash) VALUES (?, ?, ?, ?)`,
		a.ID, a.Name, string(a.Role), a.PasswordHash)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return credit.Errorf(credit.ECONFLICT, "工号%s已存在。", "The staff number %s already exists.", a.ID)
		}
		return fmt.Errorf("store: add clerk: %w", err)
	}
	return nil
}

const clerkCols = `id, name, role, password_hash, failed_count, locked_until`

func scanClerk(sc interface{ Scan(...any) error }) (credit.ClerkAccount, error) {
	var a credit.ClerkAccount
	var role string
	var locked sql.NullInt64
	err := sc.Scan(&a.ID, &a.Name, &role, &a.PasswordHash, &a.FailedCount, &locked)
	a.Role, a.LockedUntil = credit.Role(role), fromNanos(locked)
	return a, err
}

func errNoClerk() error {
	return credit.Errorf(credit.ENOTFOUND, "未找到该工号。", "No such staff number.")
}

// ClerkAccount returns the account with this staff number, or ENOTFOUND.
func (d *DB) ClerkAccount(ctx context.Context, id string) (credit.ClerkAccount, error) {
	a, err := scanClerk(d.db.QueryRowContext(ctx, `SELECT `+clerkCols+` FROM clerks WHERE id = ?`, id))
	if errNoRows(err) {
		return credit.ClerkAccount{}, errNoClerk()
	}
	if err != nil {
		return credit.ClerkAccount{}, fmt.Errorf("store: clerk account: %w", err)
	}
	return a, nil
}

// ListClerks returns every clerk (without credentials) by staff number.
func (d *DB) ListClerks(ctx context.Context) ([]credit.Clerk, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, name, role FROM clerks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: list clerks: %w", err)
	}
	defer rows.Close()
	out := []credit.Clerk{}
	for rows.Next() {
		var c credit.Clerk
		var role string
		if err := rows.Scan(&c.ID, &c.Name, &role); err != nil {
			return nil, fmt.Errorf("store: list clerks: %w", err)
		}
		c.Role = credit.Role(role)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list clerks: %w", err)
	}
	return out, nil
}

// LoginFailed adds one to the consecutive failures in one write
// transaction; at lockAfter the account is locked until lockUntil and the
// count restarts from zero. It returns the account after the change.
func (d *DB) LoginFailed(ctx context.Context, id string, lockAfter int, lockUntil time.Time) (credit.ClerkAccount, error) {
	var a credit.ClerkAccount
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clerks SET
	locked_until = CASE WHEN failed_count + 1 >= ? THEN ? ELSE locked_until END,
	failed_count = CASE WHEN failed_count + 1 >= ? THEN 0 ELSE failed_count + 1 END
WHERE id = ?`, lockAfter, lockUntil.UnixNano(), lockAfter, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errNoClerk()
		}
		a, err = scanClerk(tx.QueryRowContext(ctx, `SELECT `+clerkCols+` FROM clerks WHERE id = ?`, id))
		return err
	})
	if err != nil {
		if credit.ErrorCode(err) == credit.ENOTFOUND {
			return credit.ClerkAccount{}, err
		}
		return credit.ClerkAccount{}, fmt.Errorf("store: login failed: %w", err)
	}
	return a, nil
}

// LoginSucceeded clears the failure count and any lock.
func (d *DB) LoginSucceeded(ctx context.Context, id string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE clerks SET failed_count = 0, locked_until = NULL WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: login succeeded: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: login succeeded: %w", err)
	} else if n == 0 {
		return errNoClerk()
	}
	return nil
}
