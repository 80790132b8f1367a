package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"balise/bot"
)

var _ bot.Availability = (*DB)(nil)

// ReminderSettings implements bot.Availability.
func (d *DB) ReminderSettings(ctx context.Context, teamID, userID string) (bot.ReminderSettings, error) {
	var s bot.ReminderSettings
	err := d.r.QueryRowContext(ctx, `SELECT quiet_from, quiet_to, days, muted, nudge_day, nudge_at FROM reminder_setting
		WHERE team_id = ? AND user_id = ?`, teamID, userID).Scan(&s.QuietFrom, &s.QuietTo, &s.Days, &s.Muted, &s.NudgeDay, &s.NudgeAt)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.DefaultReminderSettings(), nil
	}
	if err != nil {
		return s, fmt.Errorf("read reminder settings: %w", err)
	}
	return s, nil
}

// SetReminderSettings implements bot.Availability.
func (d *DB) SetReminderSettings(ctx context.Context, teamID, userID string, s bot.ReminderSettings) error {
	_, err := d.exec(ctx, `INSERT INTO reminder_setting (team_id, user_id, quiet_from, quiet_to, days, muted, nudge_day, nudge_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET quiet_from = excluded.quiet_from,
		quiet_to = excluded.quiet_to, days = excluded.days, muted = excluded.muted, nudge_day = excluded.nudge_day,
		nudge_at = excluded.nudge_at`, teamID, userID, s.QuietFrom, s.QuietTo, s.Days, s.Muted, int(s.NudgeDay), s.NudgeAt)
	if err != nil {
		return fmt.Errorf("store reminder settings: %w", err)
	}
	return nil
}

// SetAway implements bot.Availability.
func (d *DB) SetAway(ctx context.Context, a bot.Away) error {
	_, err := d.exec(ctx, `INSERT INTO away (team_id, user_id, from_day, until_day) VALUES (?, ?, ?, ?)
		ON CONFLICT (team_id, user_id) DO UPDATE SET from_day = excluded.from_day, until_day = excluded.until_day`,
		a.TeamID, a.UserID, a.From.String(), a.Until.String())
	if err != nil {
		return fmt.Errorf("store absence: %w", err)
	}
	return nil
}

// EndAway implements bot.Availability.
func (d *DB) EndAway(ctx context.Context, teamID, userID string) error {
	_, err := d.exec(ctx, `DELETE FROM away WHERE team_id = ? AND user_id = ?`, teamID, userID)
	return err
}

// Absences implements bot.Availability.
func (d *DB) Absences(ctx context.Context, teamID string, day bot.Day) (bot.Absences, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT user_id, from_day, until_day FROM away
		WHERE team_id = ? AND from_day <= ? AND until_day >= ?`, teamID, day.String(), day.String())
	if err != nil {
		return nil, fmt.Errorf("absences: %w", err)
	}
	defer rows.Close()
	var out bot.Absences
	for rows.Next() {
		a := bot.Away{TeamID: teamID}
		var from, until string
		if err := rows.Scan(&a.UserID, &from, &until); err != nil {
			return nil, err
		}
		if a.From, err = bot.ParseISODay(from); err != nil {
			return nil, err
		}
		if a.Until, err = bot.ParseISODay(until); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
