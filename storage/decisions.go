package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"balise/bot"
)

var _ bot.Decisions = (*DB)(nil)

const decisionColumns = `id, team_id, number, channel_id, post_id, author_id, lang, time_zone, title, details, kind,
	options, anonymous, hidden, quorum, created_at, closes_at, reminded_at, closed_at, outcome, revision`

type scanner interface{ Scan(...any) error }

func scanDecision(s scanner) (*bot.Decision, error) {
	var d bot.Decision
	var tz, options string
	var created, closes, reminded, closed int64
	err := s.Scan(&d.ID, &d.TeamID, &d.Number, &d.ChannelID, &d.PostID, &d.AuthorID, &d.Lang, &tz, &d.Title, &d.Details,
		&d.Kind, &options, &d.Anonymous, &d.Hidden, &d.Quorum, &created, &closes, &reminded, &closed, &d.Outcome, &d.Revision)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(options), &d.Options); err != nil {
		return nil, fmt.Errorf("decision %d options: %w", d.ID, err)
	}
	if d.Location, err = time.LoadLocation(tz); err != nil {
		d.Location = time.UTC
	}
	d.CreatedAt, d.ClosesAt = time.UnixMilli(created), time.UnixMilli(closes)
	if reminded > 0 {
		d.RemindedAt = time.UnixMilli(reminded)
	}
	if closed > 0 {
		d.ClosedAt = time.UnixMilli(closed)
	}
	return &d, nil
}

// CreateDecision implements bot.Decisions.
func (d *DB) CreateDecision(ctx context.Context, dec *bot.Decision) error {
	options, err := json.Marshal(dec.Options)
	if err != nil {
		return err
	}
	var secret []byte
	if dec.Anonymous {
		secret = make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return err
		}
	}
	tz := "UTC"
	if dec.Location != nil {
		tz = dec.Location.String()
	}
	return d.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM decision WHERE team_id = ?`, dec.TeamID).Scan(&dec.Number); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO decision (team_id, number, channel_id, author_id, lang, time_zone, title, details,
			kind, options, anonymous, hidden, quorum, secret, created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			dec.TeamID, dec.Number, dec.ChannelID, dec.AuthorID, string(dec.Lang), tz, dec.Title, dec.Details, string(dec.Kind),
			string(options), dec.Anonymous, dec.Hidden, dec.Quorum, secret, dec.CreatedAt.UnixMilli(), dec.ClosesAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("create decision: %w", err)
		}
		if dec.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, v := range dec.Voters {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO decision_voter (decision_id, user_id) VALUES (?, ?)`, dec.ID, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// DeleteDecision implements bot.Decisions.
func (d *DB) DeleteDecision(ctx context.Context, id int64) error {
	_, err := d.db.ExecContext(ctx, `DELETE FROM decision WHERE id = ?`, id)
	return err
}

// SetDecisionPost implements bot.Decisions.
func (d *DB) SetDecisionPost(ctx context.Context, id int64, postID string) error {
	_, err := d.db.ExecContext(ctx, `UPDATE decision SET post_id = ? WHERE id = ?`, postID, id)
	return err
}

func (d *DB) loadVoters(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, dec *bot.Decision) error {
	rows, err := q.QueryContext(ctx, `SELECT user_id FROM decision_voter WHERE decision_id = ? ORDER BY user_id`, dec.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	dec.Voters = nil
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return err
		}
		dec.Voters = append(dec.Voters, v)
	}
	return rows.Err()
}

func (d *DB) oneDecision(ctx context.Context, where string, args ...any) (*bot.Decision, error) {
	dec, err := scanDecision(d.db.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read decision: %w", err)
	}
	return dec, d.loadVoters(ctx, d.db, dec)
}

// Decision implements bot.Decisions.
func (d *DB) Decision(ctx context.Context, teamID string, number int) (*bot.Decision, error) {
	return d.oneDecision(ctx, `team_id = ? AND number = ?`, teamID, number)
}

// DecisionByID implements bot.Decisions.
func (d *DB) DecisionByID(ctx context.Context, id int64) (*bot.Decision, error) {
	return d.oneDecision(ctx, `id = ?`, id)
}

func (d *DB) manyDecisions(ctx context.Context, query string, args ...any) ([]*bot.Decision, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE `+query, args...)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	var out []*bot.Decision
	for rows.Next() {
		dec, err := scanDecision(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, dec)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, dec := range out {
		if err := d.loadVoters(ctx, d.db, dec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ListDecisions implements bot.Decisions.
func (d *DB) ListDecisions(ctx context.Context, teamID string, f bot.DecisionFilter) ([]*bot.Decision, error) {
	q := `team_id = ? AND post_id != '' AND closed_at = 0`
	if !f.Open {
		q = `team_id = ? AND post_id != '' AND closed_at > 0`
	}
	args := []any{teamID}
	for _, w := range strings.Fields(f.Search) {
		q += ` AND (title || ' ' || details || ' ' || outcome) LIKE ? ESCAPE '\'`
		w = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(w)
		args = append(args, "%"+w+"%")
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	args = append(args, f.Limit)
	return d.manyDecisions(ctx, q+` ORDER BY number DESC LIMIT ?`, args...)
}

// CloseDecision implements bot.Decisions.
func (d *DB) CloseDecision(ctx context.Context, id int64, announce func(*bot.Decision, bot.Tally) []bot.Envelope) (bool, error) {
	closed := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE decision SET closed_at = ?, secret = NULL, revision = revision + 1
			WHERE id = ? AND closed_at = 0`, d.Now().UnixMilli(), id)
		if err != nil {
			return fmt.Errorf("close decision: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		closed = true
		if err := forgetVoters(ctx, tx, id, d.Now().UnixMilli()); err != nil {
			return err
		}
		dec, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE id = ?`, id))
		if err != nil {
			return err
		}
		if err := d.loadVoters(ctx, tx, dec); err != nil {
			return err
		}
		t, err := tally(ctx, tx, id)
		if err != nil {
			return err
		}
		return d.enqueue(ctx, tx, dec.TeamID, announce(dec, t))
	})
	return closed, err
}

// SetOutcome implements bot.Decisions.
func (d *DB) SetOutcome(ctx context.Context, id int64, outcome string) error {
	res, err := d.db.ExecContext(ctx, `UPDATE decision SET outcome = ?, revision = revision + 1 WHERE id = ? AND closed_at > 0`, outcome, id)
	if err != nil {
		return fmt.Errorf("store outcome: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return bot.Errorf(bot.ECONFLICT, "decide.error.still_open")
	}
	return nil
}

// Due implements bot.Decisions.
func (d *DB) Due(ctx context.Context, now time.Time) ([]*bot.Decision, error) {
	return d.manyDecisions(ctx, `closed_at = 0 AND post_id != '' AND closes_at <= ? ORDER BY closes_at`, now.UnixMilli())
}

// ReminderDue implements bot.Decisions.
func (d *DB) ReminderDue(ctx context.Context, now time.Time) ([]*bot.Decision, error) {
	open, err := d.manyDecisions(ctx, `closed_at = 0 AND post_id != '' AND reminded_at = 0 AND closes_at > ? ORDER BY closes_at`, now.UnixMilli())
	if err != nil {
		return nil, err
	}
	var due []*bot.Decision
	for _, dec := range open {
		if !dec.RemindAt().After(now) {
			due = append(due, dec)
		}
	}
	return due, nil
}

// ClaimReminder implements bot.Decisions.
func (d *DB) ClaimReminder(ctx context.Context, id int64, reminders []bot.Envelope) (bool, error) {
	now := d.Now().UnixMilli()
	return d.claim(ctx, reminders, `UPDATE decision SET reminded_at = ? WHERE id = ? AND reminded_at = 0
		AND closed_at = 0 AND closes_at > ? RETURNING team_id`, now, id, now)
}

// ClaimAskedReminder implements bot.Decisions.
func (d *DB) ClaimAskedReminder(ctx context.Context, id int64, reminders []bot.Envelope, gap time.Duration) (bool, error) {
	now := d.Now().UnixMilli()
	return d.claim(ctx, reminders, `UPDATE decision SET asked_at = ? WHERE id = ? AND asked_at <= ? RETURNING team_id`,
		now, id, now-gap.Milliseconds())
}

// claim runs update, which marks a decision and returns its team only when
// the mark was not there yet, and queues letters in the same transaction.
// It returns false when update changed nothing: the letters go out once.
func (d *DB) claim(ctx context.Context, letters []bot.Envelope, update string, args ...any) (bool, error) {
	claimed := false
	err := d.inTx(ctx, func(tx *sql.Tx) error {
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

// StaleCards implements bot.Decisions.
func (d *DB) StaleCards(ctx context.Context) ([]*bot.Decision, error) {
	return d.manyDecisions(ctx, `post_id != '' AND card_revision < revision ORDER BY id`)
}

// CardShown implements bot.Decisions.
func (d *DB) CardShown(ctx context.Context, id int64, revision int) error {
	_, err := d.db.ExecContext(ctx, `UPDATE decision SET card_revision = MAX(card_revision, ?) WHERE id = ?`, revision, id)
	return err
}
