package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"balise/bot"
)

var _ bot.Outbox = (*DB)(nil)

// Enqueue implements bot.Outbox.
func (d *DB) Enqueue(ctx context.Context, teamID string, envs ...bot.Envelope) error {
	return d.inTx(ctx, func(tx *sql.Tx) error { return d.enqueue(ctx, tx, teamID, envs) })
}

func (d *DB) enqueue(ctx context.Context, tx *sql.Tx, teamID string, envs []bot.Envelope) error {
	for _, e := range envs {
		msg, err := json.Marshal(e.Message)
		if err != nil {
			return err
		}
		key := make([]byte, 12)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (post_key, team_id, to_user_id, message, created_at) VALUES (?, ?, ?, ?, ?)`,
			hex.EncodeToString(key), teamID, e.ToUserID, string(msg), d.Now().UnixMilli()); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}

// Pending implements bot.Outbox.
func (d *DB) Pending(ctx context.Context, limit int) ([]bot.Letter, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT id, post_key, team_id, to_user_id, message, attempts FROM outbox
		WHERE sent_at = 0 AND retry_at <= ? ORDER BY id LIMIT ?`, d.Now().UnixMilli(), limit)
	if err != nil {
		return nil, fmt.Errorf("pending letters: %w", err)
	}
	defer rows.Close()
	var out []bot.Letter
	for rows.Next() {
		var l bot.Letter
		var msg, key string
		if err := rows.Scan(&l.ID, &key, &l.TeamID, &l.ToUserID, &msg, &l.Attempts); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(msg), &l.Message); err != nil {
			return nil, fmt.Errorf("letter %d: %w", l.ID, err)
		}
		l.Message.Key = "outbox-" + key
		out = append(out, l)
	}
	return out, rows.Err()
}

// Sent implements bot.Outbox. A sent letter is deleted: Mattermost holds
// the post, and Balise keeps no trace of who was reminded when.
func (d *DB) Sent(ctx context.Context, id int64, postID string) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM outbox WHERE id = ?`, id)
	return err
}

// Failed implements bot.Outbox: the letter is retried later, waiting twice
// as long after each failure, up to an hour. It is never dropped.
func (d *DB) Failed(ctx context.Context, id int64, reason string) error {
	_, err := d.db.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, last_error = ?,
		retry_at = ? + MIN(3600000, 1000 * (1 << MIN(attempts, 12))) WHERE id = ?`, reason, d.Now().UnixMilli(), id)
	return err
}
