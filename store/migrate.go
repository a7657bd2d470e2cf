package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// ErrSchemaTooNew is returned by Open for a database written by a newer
// program: opening it could corrupt data this version does not understand.
var ErrSchemaTooNew = errors.New("database schema is newer than this program; upgrade the program")

// migration is one forward-only schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// loadMigrations reads migrations/NNN-name.sql in order and checks that the
// numbers run 1, 2, 3, ... without gaps.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := strings.TrimPrefix(n, "migrations/")
		num, _, ok := strings.Cut(base, "-")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNN-name.sql", base)
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: base, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the schema version this program writes.
func SchemaVersion() int {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies the migrations newer than PRAGMA user_version, each in
// its own transaction together with the new user_version.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := loadMigrations(migrationFS)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var cur int
	if err := d.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
		return fmt.Errorf("migrate: read user_version: %w", err)
	}
	if cur > len(ms) {
		return fmt.Errorf("migrate: schema version %d, program supports up to %d: %w", cur, len(ms), ErrSchemaTooNew)
	}
	for _, m := range ms[cur:] {
		if err := d.applyMigration(ctx, m); err != nil {
			return err
		}
		d.log.InfoContext(ctx, "store: migrated", "version", m.version, "name", m.name)
	}
	return nil
}

// applyMigration runs one migration and records its version atomically.
func (d *DB) applyMigration(ctx context.Context, m migration) error {
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		// Another process may have migrated since we looked; the write
		// transaction (BEGIN IMMEDIATE) makes this check race-free.
		var cur int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&cur); err != nil {
			return err
		}
		if cur >= m.version {
			return nil
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return err
		}
		// PRAGMA takes no parameters; the version is an int we produced.
		_, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version))
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate %s: %w", m.name, err)
	}
	return nil
}
