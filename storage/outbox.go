package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"balise/bot"
)

var _ bot.Outbox = (*DB)(nil)

// Enqueue implements bot.Outbox.
func (d *DB) Enqueue(ctx context.Context, teamID string, envs ...bot.Envelope) error {
	return d.inTx(ctx, func(tx *txn) error { return d.enqueue(ctx, tx, teamID, envs) })
}

// enqueue queues envelopes in tx: every store method that announces a
// change queues its letters with it.
const qEnqueue = `INSERT INTO outbox (post_key, team_id, to_user_id, thread, message, created_at) VALUES (?, ?, ?, ?, ?, ?)`

func (d *DB) enqueue(ctx context.Context, tx *txn, teamID string, envs []bot.Envelope) error {
	for _, e := range envs {
		if bot.IsForgotten(e.ToUserID) {
			continue // a forgotten member's place: nobody to write to
		}
		msg, err := json.Marshal(e.Message)
		if err != nil {
			return err
		}
		key, err := randomHex(12)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, qEnqueue,
			key, teamID, e.ToUserID, e.Thread(), string(msg), d.Now().UnixMilli()); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

// queryPending selects, among live letters due now, the oldest of each
// thread: an older live letter of the same thread (waiting after a failure)
// holds the later ones back. Served by outbox_due (dead letters pile up
// beside live ones, so the rowid order is not a fit) and outbox_thread.
const queryPending = `SELECT id, post_key, team_id, to_user_id, message, attempts, created_at, first_failed_at FROM outbox o INDEXED BY outbox_due
	WHERE sent_at = 0 AND dead_at = 0 AND retry_at <= ?
	AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.thread = o.thread AND p.id < o.id AND p.sent_at = 0 AND p.dead_at = 0)
	ORDER BY id LIMIT ?`

// Pending implements bot.Outbox.
func (d *DB) Pending(ctx context.Context, limit int) ([]bot.Letter, error) {
	var out []bot.Letter
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, queryPending, d.Now().UnixMilli(), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var l bot.Letter
			var msg, key string
			var queued, failed int64
			if err := rows.Scan(&l.ID, &key, &l.TeamID, &l.ToUserID, &msg, &l.Attempts, &queued, &failed); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(msg), &l.Message); err != nil {
				return fmt.Errorf("letter %d: %w", l.ID, err)
			}
			l.Message.Key = "outbox-" + key
			l.QueuedAt = time.UnixMilli(queued)
			if failed > 0 {
				l.FirstFailedAt = time.UnixMilli(failed)
			}
			out = append(out, l)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("pending letters: %w", err)
	}
	return out, nil
}

// Sent implements bot.Outbox. A sent letter is deleted: Mattermost holds
// the post, and Balise keeps no trace of who was reminded when.
func (d *DB) Sent(ctx context.Context, id int64, postID string) error {
	_, err := d.exec(ctx, `DELETE FROM outbox WHERE id = ?`, id)
	return err
}

// Failed implements bot.Outbox: a transient failure is retried later,
// waiting twice as long after each, up to an hour; a permanent one makes the
// letter dead.
func (d *DB) Failed(ctx context.Context, id int64, reason string, permanent bool) error {
	now := d.Now().UnixMilli()
	dead := int64(0)
	if permanent {
		dead = now
	}
	_, err := d.exec(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?, dead_at = ?,
		first_failed_at = CASE WHEN first_failed_at = 0 THEN ? ELSE first_failed_at END,
		retry_at = ? + MIN(3600000, 1000 * (1 << MIN(attempts, 12))) WHERE id = ? AND dead_at = 0`, reason, dead, now, now, id)
	if err != nil {
		return fmt.Errorf("record a failed letter: %w", err)
	}
	return nil
}

// DeadLetters implements bot.Outbox.
func (d *DB) DeadLetters(ctx context.Context) (int, error) {
	var n int
	if err := d.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE dead_at > 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count dead letters: %w", err)
	}
	return n, nil
}

// claim runs update, which marks something announced and returns its
// team_id when it was not yet, and queues letters in the same
// transaction. It returns false when there was nothing to claim: what is
// claimed goes out once.
func (d *DB) claim(ctx context.Context, letters []bot.Envelope, update string, args ...any) (bool, error) {
	claimed := false
	err := d.inTx(ctx, func(tx *txn) error {
		var teamID string
		err := tx.QueryRowContext(ctx, update, args...).Scan(&teamID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		claimed = true
		return d.enqueue(ctx, tx, teamID, letters)
	})
	return claimed, err
}
