package storage

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func mustOpenInternal(tb testing.TB) *DB {
	tb.Helper()
	d, err := Open(context.Background(), filepath.Join(tb.TempDir(), "balise.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

// The jobs run their queries every tick: none may read a whole table.
func TestJobQueriesUseIndexes(t *testing.T) {
	d := mustOpenInternal(t)
	ctx := context.Background()
	fullScan := regexp.MustCompile(`^SCAN \w+$`)
	for name, q := range map[string]string{
		"Due":         `SELECT ` + decisionColumns + ` FROM decision WHERE ` + queryDue,
		"ReminderDue": `SELECT ` + decisionColumns + ` FROM decision WHERE ` + queryReminder,
		"StaleCards":  `SELECT ` + decisionColumns + ` FROM decision WHERE ` + queryStale,
		"Unposted":    `SELECT ` + decisionColumns + ` FROM decision WHERE ` + queryUnposted,
		"Pending":     queryPending,
	} {
		rows, err := d.r.QueryContext(ctx, `EXPLAIN QUERY PLAN `+q, 0, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
			if fullScan.MatchString(detail) {
				t.Errorf("%s reads a whole table: %q", name, detail)
			}
		}
		rows.Close()
		t.Logf("%s: %s", name, strings.Join(plan, "; "))
	}
}

// One writer connection whose transactions take the write lock at once;
// readers that cannot write.
func TestOneWriterAndReadOnlyReaders(t *testing.T) {
	d := mustOpenInternal(t)
	ctx := context.Background()
	if n := d.w.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer connections: got %d, want 1", n)
	}
	if n := d.r.Stats().MaxOpenConnections; n < 2 {
		t.Errorf("reader connections: got %d, want a pool", n)
	}
	if _, err := d.r.ExecContext(ctx, `INSERT INTO setting (name, value) VALUES ('x', 'y')`); err == nil {
		t.Error("a reader connection wrote")
	}
	for _, c := range []struct{ pragma, want string }{{"journal_mode", "wal"}, {"query_only", "1"}, {"busy_timeout", "10000"}} {
		var got string
		if err := d.r.QueryRowContext(ctx, `PRAGMA `+c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("reader PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.want)
		}
	}
	for _, c := range []struct{ pragma, want string }{{"journal_mode", "wal"}, {"secure_delete", "1"}, {"foreign_keys", "1"}, {"query_only", "0"}} {
		var got string
		if err := d.w.QueryRowContext(ctx, `PRAGMA `+c.pragma).Scan(&got); err != nil || got != c.want {
			t.Errorf("writer PRAGMA %s = %q, %v; want %q", c.pragma, got, err, c.want)
		}
	}
}
