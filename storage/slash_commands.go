package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// SlashCommand is a command registered in a team.
type SlashCommand struct {
	TeamID    string
	Trigger   string
	CommandID string
	Token     string
}

// SaveSlashCommand records (or replaces) a team's command and its token.
func (d *DB) SaveSlashCommand(ctx context.Context, c SlashCommand) error {
	_, err := d.exec(ctx, `INSERT INTO slash_command (team_id, trigger, command_id, token) VALUES (?, ?, ?, ?)
		ON CONFLICT (team_id, trigger) DO UPDATE SET command_id = excluded.command_id, token = excluded.token`,
		c.TeamID, c.Trigger, c.CommandID, c.Token)
	if err != nil {
		return fmt.Errorf("store command /%s: %w", c.Trigger, err)
	}
	return nil
}

const qCommandToken = `SELECT token FROM slash_command WHERE team_id = ? AND trigger = ?`

// SlashCommandToken returns the token stored for a team's command, "" when
// the command is unknown.
func (d *DB) SlashCommandToken(ctx context.Context, teamID, trigger string) (string, error) {
	var token string
	err := d.hotR[qCommandToken].QueryRowContext(ctx, teamID, trigger).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read command token: %w", err)
	}
	return token, nil
}
