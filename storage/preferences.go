package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"balise/bot"
)

var _ bot.Preferences = (*DB)(nil)

const qLang = `SELECT lang FROM member_preference WHERE team_id = ? AND user_id = ?`

// Lang implements bot.Preferences.
func (d *DB) Lang(ctx context.Context, teamID, userID string) (bot.Lang, error) {
	var l string
	err := d.hotR[qLang].QueryRowContext(ctx, teamID, userID).Scan(&l)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read language: %w", err)
	}
	return bot.Lang(l), nil
}

// SetLang implements bot.Preferences.
func (d *DB) SetLang(ctx context.Context, teamID, userID string, l bot.Lang) error {
	_, err := d.exec(ctx, `INSERT INTO member_preference (team_id, user_id, lang) VALUES (?, ?, ?)
		ON CONFLICT (team_id, user_id) DO UPDATE SET lang = excluded.lang`, teamID, userID, string(l))
	if err != nil {
		return fmt.Errorf("store language: %w", err)
	}
	return nil
}
