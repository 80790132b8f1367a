package storage

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"balise/bot"
)

// Stances: who chose what, the history of changes, and for anonymous
// decisions the keys that hide voters.

// Tally implements bot.Decisions.
func (d *DB) Tally(ctx context.Context, id int64) (bot.Tally, error) {
	var t bot.Tally
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		t, err = tally(ctx, tx, id)
		return err
	})
	return t, err
}

func tally(ctx context.Context, tx *sql.Tx, id int64) (bot.Tally, error) {
	var options string
	if err := tx.QueryRowContext(ctx, `SELECT options FROM decision WHERE id = ?`, id).Scan(&options); err != nil {
		return bot.Tally{}, fmt.Errorf("tally: %w", err)
	}
	var opts []string
	if err := json.Unmarshal([]byte(options), &opts); err != nil {
		return bot.Tally{}, err
	}
	t := bot.Tally{Counts: make([]int, len(opts))}
	rows, err := tx.QueryContext(ctx, `SELECT choice, COUNT(*) FROM stance WHERE decision_id = ? GROUP BY choice`, id)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var choice, n int
		if err := rows.Scan(&choice, &n); err != nil {
			return t, err
		}
		if choice >= 0 && choice < len(t.Counts) {
			t.Counts[choice] = n
			t.Voted += n
		}
	}
	return t, rows.Err()
}

// voterKey is how a voter is stored: their user id, or for anonymous
// decisions an HMAC of it under the decision's secret.
func (d *DB) voterKey(ctx context.Context, tx *sql.Tx, id int64, userID string) (key string, open bool, err error) {
	var secret []byte
	var closed, closes int64
	if err := tx.QueryRowContext(ctx, `SELECT secret, closed_at, closes_at FROM decision WHERE id = ?`, id).Scan(&secret, &closed, &closes); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return "", false, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
		}
		return "", false, err
	}
	open = closed == 0 && closes > d.Now().UnixMilli()
	if secret == nil {
		return userID, open, nil
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(userID))
	return hex.EncodeToString(mac.Sum(nil)), open, nil
}

// TakeStance implements bot.Decisions.
func (d *DB) TakeStance(ctx context.Context, id int64, userID string, s bot.Stance) (bool, error) {
	var changed bool
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		key, open, err := d.voterKey(ctx, tx, id, userID)
		if err != nil {
			return err
		}
		if !open {
			return bot.Errorf(bot.ECONFLICT, "decide.error.closed")
		}
		var prev int
		var prevReason string
		err = tx.QueryRowContext(ctx, `SELECT choice, reason FROM stance WHERE decision_id = ? AND voter = ?`, id, key).Scan(&prev, &prevReason)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			changed = true
		case err != nil:
			return err
		default:
			changed = prev != s.Choice
			if s.Reason == "" {
				s.Reason = prevReason
			}
		}
		now := d.Now().UnixMilli()
		if _, err := tx.ExecContext(ctx, `INSERT INTO stance (decision_id, voter, choice, reason, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (decision_id, voter) DO UPDATE SET choice = excluded.choice, reason = excluded.reason, updated_at = excluded.updated_at`,
			id, key, s.Choice, s.Reason, now); err != nil {
			return fmt.Errorf("store stance: %w", err)
		}
		if !changed {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stance_change (decision_id, voter, choice, at) VALUES (?, ?, ?, ?)`, id, key, s.Choice, now); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE decision SET revision = revision + 1 WHERE id = ?`, id)
		return err
	})
	return changed, err
}

// StanceOf implements bot.Decisions.
func (d *DB) StanceOf(ctx context.Context, id int64, userID string) (bot.Stance, bool, error) {
	var s bot.Stance
	found := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		key, _, err := d.voterKey(ctx, tx, id, userID)
		if err != nil {
			return err
		}
		err = tx.QueryRowContext(ctx, `SELECT choice, reason FROM stance WHERE decision_id = ? AND voter = ?`, id, key).Scan(&s.Choice, &s.Reason)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	return s, found, err
}

// Undecided implements bot.Decisions.
func (d *DB) Undecided(ctx context.Context, id int64) ([]string, error) {
	var out []string
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		dec := &bot.Decision{ID: id}
		if err := d.loadVoters(ctx, tx, dec); err != nil {
			return err
		}
		for _, v := range dec.Voters {
			key, _, err := d.voterKey(ctx, tx, id, v)
			if err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stance WHERE decision_id = ? AND voter = ?`, id, key).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				out = append(out, v)
			}
		}
		return nil
	})
	return out, err
}

// forgetVoters, at the close of an anonymous decision, replaces each voter's
// key by a random one and the times of their changes by the closing time:
// nothing can then be matched against who was reminded or when anyone
// clicked. The order of changes is kept.
func forgetVoters(ctx context.Context, tx *sql.Tx, id int64, closedAt int64) error {
	var anonymous bool
	if err := tx.QueryRowContext(ctx, `SELECT anonymous FROM decision WHERE id = ?`, id).Scan(&anonymous); err != nil || !anonymous {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT voter FROM stance WHERE decision_id = ?`, id)
	if err != nil {
		return err
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return err
		}
		keys = append(keys, k)
	}
	rows.Close()
	for _, k := range keys {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		fresh := "anon-" + hex.EncodeToString(b)
		for _, q := range []string{`UPDATE stance SET voter = ?, updated_at = ? WHERE decision_id = ? AND voter = ?`,
			`UPDATE stance_change SET voter = ?, at = ? WHERE decision_id = ? AND voter = ?`} {
			if _, err := tx.ExecContext(ctx, q, fresh, closedAt, id, k); err != nil {
				return err
			}
		}
	}
	return nil
}
