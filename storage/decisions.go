package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"balise/bot"
)

var _ bot.Decisions = (*DB)(nil)

const decisionColumns = `id, team_id, number, channel_id, post_id, post_key, author_id, lang, time_zone, title, details, kind,
	options, anonymous, hidden, quorum, created_at, closes_at, reminded_at, asked_count, closed_at, outcome, revision,
	(SELECT COUNT(*) FROM decision_voter v WHERE v.decision_id = decision.id)`

type scanner interface{ Scan(...any) error }

// querier is what reads need: a transaction of either pool.
type querier interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// locations caches time zones: time.LoadLocation reads a file each time.
var locations sync.Map

func location(name string) *time.Location {
	if l, ok := locations.Load(name); ok {
		return l.(*time.Location)
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	locations.Store(name, l)
	return l
}

func scanDecision(s scanner) (*bot.Decision, error) {
	var d bot.Decision
	var tz, options string
	var created, closes, reminded, closed int64
	err := s.Scan(&d.ID, &d.TeamID, &d.Number, &d.ChannelID, &d.PostID, &d.PostKey, &d.AuthorID, &d.Lang, &tz, &d.Title, &d.Details,
		&d.Kind, &options, &d.Anonymous, &d.Hidden, &d.Quorum, &created, &closes, &reminded, &d.AskedReminders, &closed, &d.Outcome, &d.Revision, &d.Electorate)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(options), &d.Options); err != nil {
		return nil, fmt.Errorf("decision %d options: %w", d.ID, err)
	}
	d.Location = location(tz)
	d.CreatedAt, d.ClosesAt = time.UnixMilli(created), time.UnixMilli(closes)
	if reminded > 0 {
		d.RemindedAt = time.UnixMilli(reminded)
	}
	if closed > 0 {
		d.ClosedAt = time.UnixMilli(closed)
	}
	return &d, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
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
	if dec.PostKey, err = randomHex(12); err != nil {
		return err
	}
	tz := "UTC"
	if dec.Location != nil {
		tz = dec.Location.String()
	}
	return d.inTx(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM decision WHERE team_id = ?`, dec.TeamID).Scan(&dec.Number); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO decision (team_id, number, channel_id, post_key, author_id, lang, time_zone, title, details,
			kind, options, anonymous, hidden, quorum, secret, created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			dec.TeamID, dec.Number, dec.ChannelID, dec.PostKey, dec.AuthorID, string(dec.Lang), tz, dec.Title, dec.Details, string(dec.Kind),
			string(options), dec.Anonymous, dec.Hidden, dec.Quorum, secret, dec.CreatedAt.UnixMilli(), dec.ClosesAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("create decision: %w", err)
		}
		if dec.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		voters, err := json.Marshal(dec.Voters)
		if err != nil {
			return err
		}
		res, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO decision_voter (decision_id, user_id) SELECT ?, value FROM json_each(?)`, dec.ID, string(voters))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		dec.Electorate = int(n)
		return err
	})
}

// DeleteDecision implements bot.Decisions.
func (d *DB) DeleteDecision(ctx context.Context, id int64) error {
	_, err := d.exec(ctx, `DELETE FROM decision WHERE id = ?`, id)
	return err
}

// SetDecisionPost implements bot.Decisions.
func (d *DB) SetDecisionPost(ctx context.Context, id int64, postID string) error {
	_, err := d.exec(ctx, `UPDATE decision SET post_id = ? WHERE id = ?`, postID, id)
	return err
}

// loadVoters fills the voters of decisions in one query.
func loadVoters(ctx context.Context, q querier, decs ...*bot.Decision) error {
	if len(decs) == 0 {
		return nil
	}
	byID := make(map[int64]*bot.Decision, len(decs))
	ids := make([]int64, 0, len(decs))
	for _, dec := range decs {
		dec.Voters = nil
		byID[dec.ID] = dec
		ids = append(ids, dec.ID)
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT decision_id, user_id FROM decision_voter
		WHERE decision_id IN (SELECT value FROM json_each(?)) ORDER BY decision_id, user_id`, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var v string
		if err := rows.Scan(&id, &v); err != nil {
			return err
		}
		byID[id].Voters = append(byID[id].Voters, v)
	}
	return rows.Err()
}

func (d *DB) oneDecision(ctx context.Context, where string, args ...any) (*bot.Decision, error) {
	var dec *bot.Decision
	err := d.read(ctx, func(tx *txn) error {
		var err error
		dec, err = scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE `+where, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
		}
		if err != nil {
			return fmt.Errorf("read decision: %w", err)
		}
		return nil
	})
	return dec, err
}

// Decision implements bot.Decisions.
func (d *DB) Decision(ctx context.Context, teamID string, number int) (*bot.Decision, error) {
	return d.oneDecision(ctx, `team_id = ? AND number = ?`, teamID, number)
}

// qDecisionByID reads the decision a click or a card refresh is about.
const qDecisionByID = `SELECT ` + decisionColumns + ` FROM decision WHERE id = ?`

// DecisionByID implements bot.Decisions.
func (d *DB) DecisionByID(ctx context.Context, id int64) (*bot.Decision, error) {
	return d.oneDecision(ctx, `id = ?`, id)
}

func (d *DB) manyDecisions(ctx context.Context, query string, args ...any) ([]*bot.Decision, error) {
	var out []*bot.Decision
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE `+query, args...)
		if err != nil {
			return fmt.Errorf("list decisions: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			dec, err := scanDecision(rows)
			if err != nil {
				return err
			}
			out = append(out, dec)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		return nil
	})
	return out, err
}

// ListDecisions implements bot.Decisions.
func (d *DB) ListDecisions(ctx context.Context, teamID string, f bot.DecisionFilter) ([]*bot.Decision, error) {
	q := `team_id = ? AND post_id != '' AND closed_at = 0`
	if !f.Open {
		q = `team_id = ? AND post_id != '' AND closed_at > 0`
	}
	args := []any{teamID}
	switch {
	case f.AnyChannel:
	case len(f.Channels) == 0 && f.Channels != nil:
		return nil, nil
	case f.Channels == nil:
		return nil, errors.New("list decisions: the filter names no channels and not AnyChannel")
	default:
		channels, err := json.Marshal(f.Channels)
		if err != nil {
			return nil, err
		}
		q += ` AND channel_id IN (SELECT value FROM json_each(?))`
		args = append(args, string(channels))
	}
	if m := searchQuery(f.Search); m != "" {
		q += ` AND id IN (SELECT rowid FROM decision_search WHERE decision_search MATCH ?)`
		args = append(args, m)
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	args = append(args, f.Limit)
	return d.manyDecisions(ctx, q+` ORDER BY number DESC LIMIT ?`, args...)
}

// DecisionChannels implements bot.Decisions.
func (d *DB) DecisionChannels(ctx context.Context, teamID string) ([]string, error) {
	var out []string
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT channel_id FROM decision WHERE team_id = ? AND post_id != '' ORDER BY channel_id`, teamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				return err
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("decision channels: %w", err)
	}
	return out, nil
}

// Unposted implements bot.Decisions.
func (d *DB) Unposted(ctx context.Context) ([]*bot.Decision, error) {
	return d.manyDecisions(ctx, queryUnposted)
}

// CloseDecision implements bot.Decisions. Closing an anonymous decision
// erases its secret and its voters' keys from the database file
// (secure_delete) and then from the WAL (wipeWAL).
func (d *DB) CloseDecision(ctx context.Context, id int64, announce func(*bot.Decision, bot.Tally) []bot.Envelope) (bool, error) {
	closed, anonymous := false, false
	err := d.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE decision SET closed_at = ?, secret = NULL, revision = revision + 1
			WHERE id = ? AND closed_at = 0`, d.Now().UnixMilli(), id)
		if err != nil {
			return fmt.Errorf("close decision: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		closed = true
		dec, err := scanDecision(tx.QueryRowContext(ctx, `SELECT `+decisionColumns+` FROM decision WHERE id = ?`, id))
		if err != nil {
			return err
		}
		anonymous = dec.Anonymous
		if err := forgetVoters(ctx, tx, dec, d.Now().UnixMilli()); err != nil {
			return err
		}
		t, err := tally(ctx, tx, id, len(dec.Options))
		if err != nil {
			return err
		}
		return d.enqueue(ctx, tx, dec.TeamID, announce(dec, t))
	})
	if err == nil && anonymous {
		// The close is kept; a wipe that a reader delays is owed to the
		// next write.
		_ = d.wipeWAL(ctx)
	}
	return closed, err
}

// SetOutcome implements bot.Decisions.
func (d *DB) SetOutcome(ctx context.Context, id int64, outcome string, envs ...bot.Envelope) error {
	return d.inTx(ctx, func(tx *txn) error {
		var teamID string
		err := tx.QueryRowContext(ctx, `UPDATE decision SET outcome = ?, revision = revision + 1 WHERE id = ? AND closed_at > 0
			RETURNING team_id`, outcome, id).Scan(&teamID)
		if errors.Is(err, sql.ErrNoRows) {
			return bot.Errorf(bot.ECONFLICT, "decide.error.still_open")
		}
		if err != nil {
			return fmt.Errorf("store outcome: %w", err)
		}
		return d.enqueue(ctx, tx, teamID, envs)
	})
}

// The jobs' queries, each served by an index (see TestJobQueriesUseIndexes).
const (
	queryDue      = `closed_at = 0 AND post_id != '' AND closes_at <= ? ORDER BY closes_at`
	queryReminder = `closed_at = 0 AND reminded_at = 0 AND post_id != '' AND ` + remindAt + ` <= ? AND closes_at > ? ORDER BY closes_at`
	queryStale    = `post_id != '' AND card_revision < revision ORDER BY id`
	queryUnposted = `post_id = '' ORDER BY id`
	// remindAt is bot.Decision.RemindAt in SQL, to the millisecond.
	remindAt = `CASE WHEN closes_at - created_at < 172800000 THEN created_at + (closes_at - created_at) / 2
	ELSE closes_at - 86400000 END`
)

// Due implements bot.Decisions.
func (d *DB) Due(ctx context.Context, now time.Time) ([]*bot.Decision, error) {
	return d.manyDecisions(ctx, queryDue, now.UnixMilli())
}

// ReminderDue implements bot.Decisions.
func (d *DB) ReminderDue(ctx context.Context, now time.Time) ([]*bot.Decision, error) {
	open, err := d.manyDecisions(ctx, queryReminder, now.UnixMilli(), now.UnixMilli())
	if err != nil {
		return nil, err
	}
	var due []*bot.Decision
	for _, dec := range open {
		if !dec.RemindAt().After(now) { // the rule itself, to the nanosecond
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
	claimed := false
	err := d.inTx(ctx, func(tx *txn) error {
		now := d.Now().UnixMilli()
		var teamID string
		var asked, count, closed, closes int64
		err := tx.QueryRowContext(ctx, `SELECT team_id, asked_at, asked_count, closed_at, closes_at FROM decision WHERE id = ?`, id).
			Scan(&teamID, &asked, &count, &closed, &closes)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
		case err != nil:
			return err
		case closed > 0 || closes <= now:
			return bot.Errorf(bot.ECONFLICT, "decide.error.closed")
		case asked > now-gap.Milliseconds():
			return nil // a double click
		case count >= bot.MaxAskedReminders:
			return bot.Errorf(bot.ECONFLICT, "decide.error.reminders_used", "max", bot.MaxAskedReminders)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE decision SET asked_at = ?, asked_count = asked_count + 1 WHERE id = ?`, now, id); err != nil {
			return err
		}
		claimed = true
		return d.enqueue(ctx, tx, teamID, reminders)
	})
	return claimed, err
}

// StaleCards implements bot.Decisions.
func (d *DB) StaleCards(ctx context.Context) ([]*bot.Decision, error) {
	return d.manyDecisions(ctx, queryStale)
}

// CardShown implements bot.Decisions.
func (d *DB) CardShown(ctx context.Context, id int64, revision int) error {
	_, err := d.exec(ctx, `UPDATE decision SET card_revision = MAX(card_revision, ?) WHERE id = ?`, revision, id)
	return err
}

// IsVoter implements bot.Decisions.
func (d *DB) IsVoter(ctx context.Context, id int64, userID string) (bool, error) {
	var voter bool
	err := d.read(ctx, func(tx *txn) error {
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM decision_voter WHERE decision_id = ? AND user_id = ?)`, id, userID).Scan(&voter)
	})
	return voter, err
}
