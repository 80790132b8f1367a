package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"balise/bot"
	"balise/storage"
)

// A backup taken during a vote storm opens, passes SQLite's integrity
// check and holds a consistent state: every stance it holds is counted in
// its decision's revision and history.
func TestBackupDuringAVoteStorm(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	var voters []string
	for i := range 200 {
		voters = append(voters, fmt.Sprintf("member%03d", i))
	}
	d := newDecision("A", false)
	d.Voters = voters
	MustCreate(t, db, d)
	backup := filepath.Join(t.TempDir(), "backup.db")
	var wg sync.WaitGroup
	for i, v := range voters {
		wg.Go(func() {
			if _, err := db.TakeStance(ctx, d.ID, v, bot.Stance{Choice: i % 4}, bot.StanceNews{}); err != nil {
				t.Error(err)
			}
		})
		if i == 100 {
			wg.Go(func() {
				if err := db.Backup(ctx, backup); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	copy, err := storage.OpenExisting(ctx, backup)
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	raw, err := sql.Open("sqlite", "file:"+backup+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	var stances, changes, revision int
	raw.QueryRow(`SELECT COUNT(*) FROM stance`).Scan(&stances)
	raw.QueryRow(`SELECT COUNT(*) FROM stance_change`).Scan(&changes)
	raw.QueryRow(`SELECT revision FROM decision`).Scan(&revision)
	if stances != changes || stances != revision {
		t.Errorf("backup holds %d stances, %d changes, revision %d: want them equal", stances, changes, revision)
	}
	if tally, _ := copy.Tally(ctx, d.ID); tally.Voted != stances {
		t.Errorf("backup's tally counts %d, its table %d", tally.Voted, stances)
	}
}
