//go:build e2e

package storage

import (
	"context"
	"fmt"
)

// SetReadOnly turns the writer read-only (SQLite's query_only), or
// writable again: every write then fails as on a read-only database, while
// reads go on. For the end-to-end tests only: this file is built with the
// e2e tag, which a production build never sets.
func (d *DB) SetReadOnly(ctx context.Context, on bool) error {
	v := 0
	if on {
		v = 1
	}
	_, err := d.w.ExecContext(ctx, fmt.Sprintf(`PRAGMA query_only = %d`, v))
	return err
}
