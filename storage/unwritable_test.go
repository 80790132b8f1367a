package storage

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"balise/bot"
)

// A database that cannot be written (read-only, full) gives errors marked
// bot.ErrUnwritable, writes nothing, and works again once the cause goes.
func TestUnwritableDatabaseIsSaidSo(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	letters := func() int {
		var n int
		if err := d.r.QueryRow(`SELECT COUNT(*) FROM outbox`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	letter := bot.Envelope{ToUserID: "u1", Message: bot.Message{Text: strings.Repeat("x", 3000)}}

	// Read-only: SQLITE_READONLY.
	if _, err := d.w.Exec(`PRAGMA query_only = 1`); err != nil {
		t.Fatal(err)
	}
	if err := d.Enqueue(ctx, "team", letter); !errors.Is(err, bot.ErrUnwritable) {
		t.Errorf("read-only: got %v, want ErrUnwritable", err)
	}
	if _, err := d.w.Exec(`PRAGMA query_only = 0`); err != nil {
		t.Fatal(err)
	}
	if err := d.Enqueue(ctx, "team", letter); err != nil {
		t.Fatalf("writable again: %v", err)
	}

	// Full: SQLITE_FULL once the file may grow no more.
	var pages int
	d.w.QueryRow(`PRAGMA page_count`).Scan(&pages)
	if _, err := d.w.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	before := letters()
	var full error
	for i := 0; i < 1000 && full == nil; i++ {
		full = d.Enqueue(ctx, "team", letter, letter, letter)
	}
	if !errors.Is(full, bot.ErrUnwritable) {
		t.Fatalf("full: got %v, want ErrUnwritable", full)
	}
	if n := letters(); (n-before)%3 != 0 {
		t.Errorf("a failed enqueue of three letters left %d of them", (n-before)%3)
	}

	// Other errors are not marked.
	if _, err := d.exec(ctx, `INSERT INTO no_such_table VALUES (1)`); err == nil || errors.Is(err, bot.ErrUnwritable) {
		t.Errorf("a bad statement: got %v, want an error not marked unwritable", err)
	}
}
