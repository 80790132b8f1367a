package storage

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// JobRun is what the database knows of a periodic job's last runs.
type JobRun struct {
	Name         string
	Every        time.Duration
	LastRun      time.Time
	LastOK       time.Time // zero if it never succeeded
	LastError    string    // "" when the last run succeeded
	FailingSince time.Time // zero when the last run succeeded
}

// RecordJobRun records that job name (run every every) started at started
// and ended with err. balise serve records every run; balise check reads
// them.
func (d *DB) RecordJobRun(ctx context.Context, name string, every time.Duration, started time.Time, err error) error {
	at := started.UnixMilli()
	var q string
	var args []any
	if err == nil {
		q = `INSERT INTO job_run (name, every_ms, last_run_at, last_ok_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET every_ms = excluded.every_ms, last_run_at = excluded.last_run_at,
			last_ok_at = excluded.last_ok_at, last_error = '', failing_since = 0`
		args = []any{name, every.Milliseconds(), at, at}
	} else {
		q = `INSERT INTO job_run (name, every_ms, last_run_at, last_error, failing_since) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET every_ms = excluded.every_ms, last_run_at = excluded.last_run_at,
			last_error = excluded.last_error,
			failing_since = CASE WHEN failing_since = 0 THEN excluded.failing_since ELSE failing_since END`
		args = []any{name, every.Milliseconds(), at, err.Error(), at}
	}
	if _, err := d.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("record the run of job %s: %w", name, err)
	}
	return nil
}

// JobRuns returns the last runs of every job serve ever ran, by name.
func (d *DB) JobRuns(ctx context.Context) ([]JobRun, error) {
	var out []JobRun
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, every_ms, last_run_at, last_ok_at, last_error, failing_since FROM job_run ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var j JobRun
			var every, run, ok, failing int64
			if err := rows.Scan(&j.Name, &every, &run, &ok, &j.LastError, &failing); err != nil {
				return err
			}
			j.Every, j.LastRun = time.Duration(every)*time.Millisecond, time.UnixMilli(run)
			if ok > 0 {
				j.LastOK = time.UnixMilli(ok)
			}
			if failing > 0 {
				j.FailingSince = time.UnixMilli(failing)
			}
			out = append(out, j)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("job runs: %w", err)
	}
	return out, nil
}

// OutboxState is what waits in the outbox.
type OutboxState struct {
	Waiting int       // letters not yet posted, dead ones apart
	Oldest  time.Time // when the oldest waiting letter was queued; zero if none
	Dead    int       // letters Mattermost can never take
}

// Outbox returns the outbox's state, for the operator.
func (d *DB) Outbox(ctx context.Context) (OutboxState, error) {
	var s OutboxState
	var oldest sql.NullInt64
	err := d.read(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at = 0 AND dead_at = 0`).
			Scan(&s.Waiting, &oldest); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE dead_at > 0`).Scan(&s.Dead)
	})
	if err != nil {
		return s, fmt.Errorf("outbox state: %w", err)
	}
	if oldest.Valid {
		s.Oldest = time.UnixMilli(oldest.Int64)
	}
	return s, nil
}

// CatalogueSize counts the catalogue's entries: the shared ones and every
// team's own.
func (d *DB) CatalogueSize(ctx context.Context) (int, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tool`).Scan(&n); err != nil {
		return 0, fmt.Errorf("catalogue size: %w", err)
	}
	return n, nil
}

// SetupTeams returns the ids of the teams where setup registered Balise's
// commands.
func (d *DB) SetupTeams(ctx context.Context) ([]string, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT DISTINCT team_id FROM slash_command ORDER BY team_id`)
	if err != nil {
		return nil, fmt.Errorf("teams: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// SlashCommandIDs returns Mattermost's ids of Balise's commands in a team,
// by trigger.
func (d *DB) SlashCommandIDs(ctx context.Context, teamID string) (map[string]string, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT trigger, command_id FROM slash_command WHERE team_id = ?`, teamID)
	if err != nil {
		return nil, fmt.Errorf("commands of team %s: %w", teamID, err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var trigger, id string
		if err := rows.Scan(&trigger, &id); err != nil {
			return nil, err
		}
		out[trigger] = id
	}
	return out, rows.Err()
}
