package storage

import (
	"context"
	"testing"
)

// MustForgetShipped makes entries look as an older Balise shipped them:
// another hash, an old French description unless edited locally.
func MustForgetShipped(tb testing.TB, d *DB, ids ...string) {
	tb.Helper()
	for _, id := range ids {
		_, err := d.exec(context.Background(), `UPDATE tool SET shipped_hash = 'old',
			data = CASE edited_locally WHEN 1 THEN data ELSE json_set(data, '$.description.fr', 'old') END WHERE id = ?`, id)
		if err != nil {
			tb.Fatal(err)
		}
	}
}
