package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"balise/bot"
)

// Diagnostic sheets: each respondent's role, answers, targets and tool
// inventory. Every write is one transaction that first checks that the
// campaign still takes answers.

// SetRole implements bot.Diagnostics.
func (d *DB) SetRole(ctx context.Context, campaignID int64, userID string, r bot.Role) error {
	return d.inTx(ctx, func(tx *txn) error {
		teamID, err := d.openForAnswers(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO diag_respondent (campaign_id, team_id, user_id, role, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, user_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at`,
			campaignID, teamID, userID, string(r), d.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("store role: %w", err)
		}
		return nil
	})
}

// Answer implements bot.Diagnostics.
func (d *DB) Answer(ctx context.Context, campaignID int64, userID, questionID, option string) (bool, error) {
	return d.replace(ctx, campaignID, userID,
		`SELECT option_id FROM diag_answer WHERE campaign_id = ? AND user_id = ? AND question_id = ?`,
		`INSERT INTO diag_answer (campaign_id, team_id, user_id, question_id, option_id, answered_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, user_id, question_id) DO UPDATE SET option_id = excluded.option_id, answered_at = excluded.answered_at`,
		questionID, option)
}

// SetTarget implements bot.Diagnostics.
func (d *DB) SetTarget(ctx context.Context, campaignID int64, userID, dimension string, target int) (bool, error) {
	return d.replace(ctx, campaignID, userID,
		`SELECT target FROM diag_target WHERE campaign_id = ? AND user_id = ? AND dimension = ?`,
		`INSERT INTO diag_target (campaign_id, team_id, user_id, dimension, target, answered_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, user_id, dimension) DO UPDATE SET target = excluded.target, answered_at = excluded.answered_at`,
		dimension, target)
}

// replace stores a respondent's answer to one item (a question or a
// dimension's target) unless it is the same as before: it returns whether
// it changed. read selects the current value, write upserts it.
func (d *DB) replace(ctx context.Context, campaignID int64, userID, read, write string, item string, value any) (bool, error) {
	changed := false
	err := d.inTx(ctx, func(tx *txn) error {
		teamID, err := d.respondentTeam(ctx, tx, campaignID, userID)
		if err != nil {
			return err
		}
		var old any
		err = tx.QueryRowContext(ctx, read, campaignID, userID, item).Scan(&old)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		case fmt.Sprint(old) == fmt.Sprint(value):
			return nil
		}
		changed = true
		if _, err := tx.ExecContext(ctx, write, campaignID, teamID, userID, item, value, d.Now().UnixMilli()); err != nil {
			return fmt.Errorf("store answer: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE diag_respondent SET updated_at = ? WHERE campaign_id = ? AND user_id = ?`,
			d.Now().UnixMilli(), campaignID, userID)
		return err
	})
	return changed, err
}

// respondentTeam checks that the campaign takes answers and that the
// member gave their role, and returns the campaign's team.
func (d *DB) respondentTeam(ctx context.Context, tx *txn, campaignID int64, userID string) (string, error) {
	teamID, err := d.openForAnswers(ctx, tx, campaignID)
	if err != nil {
		return "", err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM diag_respondent WHERE campaign_id = ? AND user_id = ?`, campaignID, userID).Scan(&n); err != nil {
		return "", err
	}
	if n == 0 {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.role_first")
	}
	return teamID, nil
}

// SaveToolUse implements bot.Diagnostics.
func (d *DB) SaveToolUse(ctx context.Context, campaignID int64, userID string, u bot.ToolUse) error {
	return d.inTx(ctx, func(tx *txn) error {
		teamID, err := d.respondentTeam(ctx, tx, campaignID, userID)
		if err != nil {
			return err
		}
		var count, known, next int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(tool_key = ?), 0), COALESCE(MAX(position), 0) + 1
			FROM diag_tool_use WHERE campaign_id = ? AND user_id = ?`, u.Key(), campaignID, userID).Scan(&count, &known, &next); err != nil {
			return err
		}
		if known == 0 && count >= bot.MaxToolsPerSheet {
			return bot.Errorf(bot.EINVALID, "diag.error.too_many_tools", "max", bot.MaxToolsPerSheet)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO diag_tool_use (campaign_id, team_id, user_id, tool_key, tool_id, name, category,
			need, how, limits, future, frequency, position, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (campaign_id, user_id, tool_key) DO UPDATE SET tool_id = excluded.tool_id, name = excluded.name,
			category = excluded.category, need = excluded.need, how = excluded.how, limits = excluded.limits,
			future = excluded.future, frequency = excluded.frequency, updated_at = excluded.updated_at`,
			campaignID, teamID, userID, u.Key(), u.ToolID, u.Name, u.Category, u.Need, u.How, u.Limits,
			string(u.Future), string(u.Frequency), next, d.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("store tool use: %w", err)
		}
		return nil
	})
}

// RemoveToolUse implements bot.Diagnostics.
func (d *DB) RemoveToolUse(ctx context.Context, campaignID int64, userID, key string) error {
	return d.inTx(ctx, func(tx *txn) error {
		if _, err := d.respondentTeam(ctx, tx, campaignID, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM diag_tool_use WHERE campaign_id = ? AND user_id = ? AND tool_key = ?`, campaignID, userID, key)
		return err
	})
}

// Sheet implements bot.Diagnostics.
func (d *DB) Sheet(ctx context.Context, campaignID int64, userID string) (*bot.Sheet, error) {
	sheets, err := d.sheets(ctx, campaignID, userID)
	if err != nil {
		return nil, err
	}
	if len(sheets) == 0 {
		return &bot.Sheet{UserID: userID, Answers: map[string]string{}, Targets: map[string]int{}}, nil
	}
	return sheets[0], nil
}

// Sheets implements bot.Diagnostics.
func (d *DB) Sheets(ctx context.Context, campaignID int64) ([]*bot.Sheet, error) {
	return d.sheets(ctx, campaignID, "")
}

// sheets reads the sheets of a campaign, or only the member's when userID
// is set, ordered by user id.
func (d *DB) sheets(ctx context.Context, campaignID int64, userID string) ([]*bot.Sheet, error) {
	var out []*bot.Sheet
	err := d.inTx(ctx, func(tx *txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM diag_campaign WHERE id = ?`, campaignID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return bot.Errorf(bot.ENOTFOUND, "diag.error.not_found")
		}
		who := ` AND (? = '' OR user_id = ?)`
		byUser := map[string]*bot.Sheet{}
		err := eachRow(ctx, tx, `SELECT user_id, role, updated_at FROM diag_respondent WHERE campaign_id = ?`+who+` ORDER BY user_id`,
			[]any{campaignID, userID, userID}, func(rows *sql.Rows) error {
				s := &bot.Sheet{Answers: map[string]string{}, Targets: map[string]int{}}
				var updated int64
				if err := rows.Scan(&s.UserID, &s.Role, &updated); err != nil {
					return err
				}
				s.UpdatedAt = time.UnixMilli(updated)
				byUser[s.UserID] = s
				out = append(out, s)
				return nil
			})
		if err != nil {
			return err
		}
		err = eachRow(ctx, tx, `SELECT user_id, question_id, option_id FROM diag_answer WHERE campaign_id = ?`+who,
			[]any{campaignID, userID, userID}, func(rows *sql.Rows) error {
				var u, q, o string
				if err := rows.Scan(&u, &q, &o); err != nil {
					return err
				}
				byUser[u].Answers[q] = o
				return nil
			})
		if err != nil {
			return err
		}
		err = eachRow(ctx, tx, `SELECT user_id, dimension, target FROM diag_target WHERE campaign_id = ?`+who,
			[]any{campaignID, userID, userID}, func(rows *sql.Rows) error {
				var u, dim string
				var t int
				if err := rows.Scan(&u, &dim, &t); err != nil {
					return err
				}
				byUser[u].Targets[dim] = t
				return nil
			})
		if err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT user_id, tool_id, name, category, need, how, limits, future, frequency
			FROM diag_tool_use WHERE campaign_id = ?`+who+` ORDER BY position`,
			[]any{campaignID, userID, userID}, func(rows *sql.Rows) error {
				var u string
				var t bot.ToolUse
				if err := rows.Scan(&u, &t.ToolID, &t.Name, &t.Category, &t.Need, &t.How, &t.Limits, &t.Future, &t.Frequency); err != nil {
					return err
				}
				byUser[u].Tools = append(byUser[u].Tools, t)
				return nil
			})
	})
	return out, err
}

// eachRow runs query and calls fn on each row.
func eachRow(ctx context.Context, tx *txn, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
