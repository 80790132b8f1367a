package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"balise/bot"
)

// Diagnostic campaigns: opening, looking up, closing, reminders. Sheets
// (roles, answers, targets, tools) are in diag_sheets.go.

var _ bot.Diagnostics = (*DB)(nil)

const campaignColumns = `id, team_id, number, name, channel_id, opener_id, lang, version, min_group,
	created_at, closes_at, closed_at, reminders`

func scanCampaign(s scanner) (*bot.Campaign, error) {
	var c bot.Campaign
	var created, closes, closed int64
	err := s.Scan(&c.ID, &c.TeamID, &c.Number, &c.Name, &c.ChannelID, &c.OpenerID, &c.Lang, &c.Version, &c.MinGroup,
		&created, &closes, &closed, &c.Reminders)
	if err != nil {
		return nil, err
	}
	c.CreatedAt, c.ClosesAt = time.UnixMilli(created), time.UnixMilli(closes)
	if closed > 0 {
		c.ClosedAt = time.UnixMilli(closed)
	}
	return &c, nil
}

// OpenCampaign implements bot.Diagnostics.
func (d *DB) OpenCampaign(ctx context.Context, c *bot.Campaign) error {
	return d.inTx(ctx, func(tx *txn) error {
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM diag_campaign WHERE team_id = ? AND closed_at = 0`, c.TeamID).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return bot.Errorf(bot.ECONFLICT, "diag.error.already_open")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM diag_campaign WHERE team_id = ?`, c.TeamID).Scan(&c.Number); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO diag_campaign (team_id, number, name, channel_id, opener_id, lang, version,
			min_group, created_at, closes_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.TeamID, c.Number, c.Name, c.ChannelID, c.OpenerID, string(c.Lang), c.Version, c.MinGroup,
			c.CreatedAt.UnixMilli(), c.ClosesAt.UnixMilli())
		if err != nil {
			return fmt.Errorf("open campaign: %w", err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for _, u := range c.Invited {
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO diag_invitee (campaign_id, team_id, user_id) VALUES (?, ?, ?)`,
				c.ID, c.TeamID, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// CancelCampaign implements bot.Diagnostics.
func (d *DB) CancelCampaign(ctx context.Context, id int64) error {
	return d.inTx(ctx, func(tx *txn) error {
		c, err := campaignByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if !c.ClosedAt.IsZero() {
			return bot.Errorf(bot.ECONFLICT, "diag.error.closed")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM diag_campaign WHERE id = ?`, id)
		return err
	})
}

// Campaign implements bot.Diagnostics.
func (d *DB) Campaign(ctx context.Context, teamID string, number int) (*bot.Campaign, error) {
	q := `SELECT ` + campaignColumns + ` FROM diag_campaign WHERE team_id = ? AND number = ?`
	args := []any{teamID, number}
	if number == 0 {
		q, args = `SELECT `+campaignColumns+` FROM diag_campaign WHERE team_id = ? ORDER BY number DESC LIMIT 1`, []any{teamID}
	}
	return d.oneCampaign(ctx, "diag.error.not_found", q, args...)
}

// CampaignByID implements bot.Diagnostics.
func (d *DB) CampaignByID(ctx context.Context, id int64) (*bot.Campaign, error) {
	var c *bot.Campaign
	err := d.inTx(ctx, func(tx *txn) error {
		var err error
		c, err = campaignByID(ctx, tx, id)
		return err
	})
	return c, err
}

// OpenCampaignOf implements bot.Diagnostics.
func (d *DB) OpenCampaignOf(ctx context.Context, teamID string) (*bot.Campaign, error) {
	return d.oneCampaign(ctx, "diag.error.none_open",
		`SELECT `+campaignColumns+` FROM diag_campaign WHERE team_id = ? AND closed_at = 0`, teamID)
}

// oneCampaign reads the campaign query selects, with its invitees;
// ENOTFOUND with key when there is none.
func (d *DB) oneCampaign(ctx context.Context, key, query string, args ...any) (*bot.Campaign, error) {
	var c *bot.Campaign
	err := d.inTx(ctx, func(tx *txn) error {
		var err error
		c, err = scanCampaign(tx.QueryRowContext(ctx, query, args...))
		if errors.Is(err, sql.ErrNoRows) {
			return bot.Errorf(bot.ENOTFOUND, key)
		}
		if err != nil {
			return err
		}
		return loadInvited(ctx, tx, c)
	})
	return c, err
}

func campaignByID(ctx context.Context, tx *txn, id int64) (*bot.Campaign, error) {
	c, err := scanCampaign(tx.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM diag_campaign WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "diag.error.not_found")
	}
	if err != nil {
		return nil, err
	}
	return c, loadInvited(ctx, tx, c)
}

func loadInvited(ctx context.Context, tx *txn, c *bot.Campaign) error {
	rows, err := tx.QueryContext(ctx, `SELECT user_id FROM diag_invitee WHERE campaign_id = ? ORDER BY user_id`, c.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	c.Invited = nil
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return err
		}
		c.Invited = append(c.Invited, u)
	}
	return rows.Err()
}

// CloseCampaign implements bot.Diagnostics.
func (d *DB) CloseCampaign(ctx context.Context, id int64, announce func(*bot.Campaign) []bot.Envelope) (bool, error) {
	closed := false
	err := d.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `UPDATE diag_campaign SET closed_at = ? WHERE id = ? AND closed_at = 0`, d.Now().UnixMilli(), id)
		if err != nil {
			return fmt.Errorf("close campaign: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		closed = true
		c, err := campaignByID(ctx, tx, id)
		if err != nil {
			return err
		}
		return d.enqueue(ctx, tx, c.TeamID, announce(c))
	})
	return closed, err
}

// DueCampaigns implements bot.Diagnostics.
func (d *DB) DueCampaigns(ctx context.Context, now time.Time) ([]*bot.Campaign, error) {
	var out []*bot.Campaign
	err := d.inTx(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+campaignColumns+` FROM diag_campaign WHERE closed_at = 0 AND closes_at <= ?
			ORDER BY closes_at`, now.UnixMilli())
		if err != nil {
			return err
		}
		for rows.Next() {
			c, err := scanCampaign(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, c := range out {
			if err := loadInvited(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// ClaimCampaignReminder implements bot.Diagnostics.
func (d *DB) ClaimCampaignReminder(ctx context.Context, id int64, reminders []bot.Envelope) (bool, error) {
	now := d.Now().UnixMilli()
	return d.claim(ctx, reminders, `UPDATE diag_campaign SET reminders = reminders + 1 WHERE id = ? AND reminders < ?
		AND closed_at = 0 AND closes_at > ? RETURNING team_id`, id, bot.MaxCampaignReminders, now)
}

// openForAnswers returns the campaign's team, and ECONFLICT when it no
// longer takes answers.
func (d *DB) openForAnswers(ctx context.Context, tx *txn, campaignID int64) (string, error) {
	var teamID string
	var closes, closed int64
	err := tx.QueryRowContext(ctx, `SELECT team_id, closes_at, closed_at FROM diag_campaign WHERE id = ?`, campaignID).Scan(&teamID, &closes, &closed)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", bot.Errorf(bot.ENOTFOUND, "diag.error.not_found")
	case err != nil:
		return "", err
	case closed != 0 || closes <= d.Now().UnixMilli():
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	return teamID, nil
}
