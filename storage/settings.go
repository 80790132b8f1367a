package storage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
)

// Setting names.
const (
	SettingSigningKey = "signing_key" // HMAC key for buttons and dialog state
	SettingBotUserID  = "bot_user_id"
	SettingBotToken   = "bot_token"
)

// Setting returns a setting's value, "" when it was never set.
func (d *DB) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := d.r.QueryRowContext(ctx, `SELECT value FROM setting WHERE name = ?`, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", name, err)
	}
	return v, nil
}

// SetSetting stores a setting.
func (d *DB) SetSetting(ctx context.Context, name, value string) error {
	_, err := d.exec(ctx, `INSERT INTO setting (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	if err != nil {
		return fmt.Errorf("store setting %s: %w", name, err)
	}
	return nil
}

// SigningKey returns the key that signs buttons and dialog state, creating
// a random one on first use. It never changes afterwards, so buttons posted
// before a restart keep working.
func (d *DB) SigningKey(ctx context.Context) ([]byte, error) {
	var key string
	err := d.inTx(ctx, func(tx *txn) error {
		err := tx.QueryRowContext(ctx, `SELECT value FROM setting WHERE name = ?`, SettingSigningKey).Scan(&key)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		key = hex.EncodeToString(b)
		_, err = tx.ExecContext(ctx, `INSERT INTO setting (name, value) VALUES (?, ?)`, SettingSigningKey, key)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	return hex.DecodeString(key)
}
