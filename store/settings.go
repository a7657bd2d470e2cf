package store

import (
	"context"
	"fmt"

	credit "github.com/gansu-credit/credit"
)

// Setting returns the value stored under key, or ENOTFOUND.
func (d *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := d.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errNoRows(err) {
		return "", credit.Errorf(credit.ENOTFOUND, "未设置。", "Not set.")
	}
	if err != nil {
		return "", fmt.Errorf("store: setting: %w", err)
	}
	return v, nil
}

// Settings returns every stored setting.
func (d *DB) Settings(ctx context.Context) (map[string]string, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("store: settings: %w", err)
		}
		out[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: settings: %w", err)
	}
	return out, nil
}

// SetSetting stores value under key, recording who changed it and when.
func (d *DB) SetSetting(ctx context.Context, key, value, by string) error {
	if key == "" || by == "" {
		return credit.Errorf(credit.EINVALID, "设置项不完整。", "The setting is incomplete.")
	}
	_, err := d.db.ExecContext(ctx, `INSERT INTO settings (key, value, updated_by, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		key, value, by, d.now().UnixNano())
	if err != nil {
		return fmt.Errorf("store: set setting: %w", err)
	}
	return nil
}
