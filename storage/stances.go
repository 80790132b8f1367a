package storage

import (
	"context"
	"crypto/hmac"
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
	err := d.read(ctx, func(tx *txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT json_array_length(options) FROM decision WHERE id = ?`, id).Scan(&n); err != nil {
			return fmt.Errorf("tally: %w", err)
		}
		var err error
		t, err = tally(ctx, tx, id, n)
		return err
	})
	return t, err
}

// tally counts the stances of a decision with options choices.
// The statements of a vote click.
const (
	qStanceCheck = `SELECT team_id, secret, closed_at, closes_at, json_array_length(options),
	EXISTS (SELECT 1 FROM decision_voter WHERE decision_id = decision.id AND user_id = ?) FROM decision WHERE id = ?`
	qStanceOf     = `SELECT choice, reason FROM stance WHERE decision_id = ? AND voter = ?`
	qStanceUpsert = `INSERT INTO stance (decision_id, voter, choice, reason, updated_at) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (decision_id, voter) DO UPDATE SET choice = excluded.choice, reason = excluded.reason, updated_at = excluded.updated_at`
	qStanceChange   = `INSERT INTO stance_change (decision_id, voter, choice, at) VALUES (?, ?, ?, ?)`
	qStanceRevision = `UPDATE decision SET revision = revision + ? WHERE id = ? RETURNING revision`
	qBlockNotice    = `INSERT OR IGNORE INTO block_notice (decision_id, voter) VALUES (?, ?)`
	qTally          = `SELECT choice, COUNT(*) FROM stance WHERE decision_id = ? GROUP BY choice`
)

func tally(ctx context.Context, q querier, id int64, options int) (bot.Tally, error) {
	t := bot.Tally{Counts: make([]int, options)}
	rows, err := q.QueryContext(ctx, qTally, id)
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

// hide is how a voter is stored: their user id, or for anonymous decisions
// an HMAC of it under the decision's secret.
func hide(secret []byte, userID string) string {
	if secret == nil {
		return userID
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(userID))
	return hex.EncodeToString(mac.Sum(nil))
}

// TakeStance implements bot.Decisions. One transaction reads the few
// columns it needs (not the voters), checks, writes the stance and queues
// the news. It does not count the tally: the card's refresh reads it
// (Tally) outside the writer's lock, and counting every stance of the
// decision at each click took half of the transaction's statements' time.
func (d *DB) TakeStance(ctx context.Context, id int64, userID string, s bot.Stance, news bot.StanceNews) (bot.StanceTaken, error) {
	var out bot.StanceTaken
	err := d.inTx(ctx, func(tx *txn) error {
		var teamID string
		var secret []byte
		var closed, closes int64
		var options int
		var eligible bool
		err := tx.QueryRowContext(ctx, qStanceCheck, userID, id).
			Scan(&teamID, &secret, &closed, &closes, &options, &eligible)
		now := d.Now().UnixMilli()
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
		case err != nil:
			return err
		case closed > 0 || closes <= now:
			return bot.Errorf(bot.ECONFLICT, "decide.error.closed")
		case !eligible:
			return bot.Errorf(bot.EFORBIDDEN, "decide.error.not_eligible")
		case s.Choice < 0 || s.Choice >= options:
			return bot.Errorf(bot.EINVALID, "decide.error.not_found")
		}
		key := hide(secret, userID)
		var prev int
		var prevReason string
		err = tx.QueryRowContext(ctx, qStanceOf, id, key).Scan(&prev, &prevReason)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			out.Changed = true
		case err != nil:
			return err
		default:
			out.Changed = prev != s.Choice
			if s.Reason == "" {
				s.Reason = prevReason
			}
		}
		if _, err := tx.ExecContext(ctx, qStanceUpsert, id, key, s.Choice, s.Reason, now); err != nil {
			return fmt.Errorf("store stance: %w", err)
		}
		if out.Changed {
			if _, err := tx.ExecContext(ctx, qStanceChange, id, key, s.Choice, now); err != nil {
				return err
			}
		}
		bump := 0
		if out.Changed {
			bump = 1
		}
		if err := tx.QueryRowContext(ctx, qStanceRevision, bump, id).Scan(&out.Revision); err != nil {
			return err
		}
		envs := news.Posts
		if news.BlockNotice != nil {
			res, err := tx.ExecContext(ctx, qBlockNotice, id, key)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				out.Notified = true
				envs = append(envs[:len(envs):len(envs)], *news.BlockNotice)
			}
		}
		return d.enqueue(ctx, tx, teamID, envs)
	})
	return out, err
}

// StanceOf implements bot.Decisions.
func (d *DB) StanceOf(ctx context.Context, id int64, userID string) (bot.Stance, bool, error) {
	var s bot.Stance
	found := false
	err := d.read(ctx, func(tx *txn) error {
		var secret []byte
		if err := tx.QueryRowContext(ctx, `SELECT secret FROM decision WHERE id = ?`, id).Scan(&secret); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
			}
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT choice, reason FROM stance WHERE decision_id = ? AND voter = ?`, id, hide(secret, userID)).
			Scan(&s.Choice, &s.Reason)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	return s, found, err
}

// Undecided implements bot.Decisions. The voters' keys are computed once
// (for an anonymous decision) and compared with the stances in one query.
func (d *DB) Undecided(ctx context.Context, id int64) ([]string, error) {
	var out []string
	err := d.read(ctx, func(tx *txn) error {
		var secret []byte
		if err := tx.QueryRowContext(ctx, `SELECT secret FROM decision WHERE id = ?`, id).Scan(&secret); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
			}
			return err
		}
		var rows *sql.Rows
		var err error
		if secret == nil {
			rows, err = tx.QueryContext(ctx, `SELECT user_id FROM decision_voter v WHERE decision_id = ?
				AND NOT EXISTS (SELECT 1 FROM stance s WHERE s.decision_id = v.decision_id AND s.voter = v.user_id) ORDER BY user_id`, id)
		} else {
			dec := &bot.Decision{ID: id}
			if err := loadVoters(ctx, tx, dec); err != nil {
				return err
			}
			keys := make(map[string]string, len(dec.Voters))
			for _, v := range dec.Voters {
				keys[v] = hide(secret, v)
			}
			list, err := json.Marshal(keys)
			if err != nil {
				return err
			}
			rows, err = tx.QueryContext(ctx, `SELECT k.key FROM json_each(?) k
				WHERE NOT EXISTS (SELECT 1 FROM stance s WHERE s.decision_id = ? AND s.voter = k.value) ORDER BY k.key`, string(list), id)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				return err
			}
			out = append(out, v)
		}
		return rows.Err()
	})
	return out, err
}

// forgetVoters, at the close, forgets which voters were told of their block
// and, for an anonymous decision, replaces each voter's key by a random one
// and the times of their changes by the closing time: nothing can then be
// matched against who was reminded or when anyone clicked. The order of
// changes is kept.
func forgetVoters(ctx context.Context, tx *txn, dec *bot.Decision, closedAt int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM block_notice WHERE decision_id = ?`, dec.ID); err != nil || !dec.Anonymous {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT voter FROM stance WHERE decision_id = ?`, dec.ID)
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
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range keys {
		fresh, err := randomHex(16)
		if err != nil {
			return err
		}
		fresh = "anon-" + fresh
		for _, q := range []string{`UPDATE stance SET voter = ?, updated_at = ? WHERE decision_id = ? AND voter = ?`,
			`UPDATE stance_change SET voter = ?, at = ? WHERE decision_id = ? AND voter = ?`} {
			if _, err := tx.ExecContext(ctx, q, fresh, closedAt, dec.ID, k); err != nil {
				return err
			}
		}
	}
	return nil
}
