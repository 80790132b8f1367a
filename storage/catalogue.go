package storage

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"balise/bot"
)

var _ bot.Catalogue = (*DB)(nil)

//go:embed catalogue/tools.json
var shippedTools []byte

//go:embed catalogue/vocabulary.json
var shippedVocabulary []byte

// ShippedVocabulary returns the words of each category and the
// situations that call for it, shipped beside the catalogue.
func ShippedVocabulary() (bot.ToolVocabulary, error) {
	var v bot.ToolVocabulary
	if err := json.Unmarshal(shippedVocabulary, &v); err != nil {
		return nil, fmt.Errorf("shipped vocabulary: %w", err)
	}
	return v, nil
}

// Vocabulary implements bot.Catalogue: the shipped vocabulary.
func (d *DB) Vocabulary(ctx context.Context) (bot.ToolVocabulary, error) {
	return ShippedVocabulary()
}

// ShippedTools returns the catalogue shipped with this Balise.
func ShippedTools() ([]*bot.Tool, error) {
	var tools []*bot.Tool
	if err := json.Unmarshal(shippedTools, &tools); err != nil {
		return nil, fmt.Errorf("shipped catalogue: %w", err)
	}
	return tools, nil
}

// LoadCatalogue brings the shipped catalogue into the database: it adds
// the entries the database lacks and updates those still as an older
// Balise shipped them, and never touches entries edited locally. Called
// on start.
func (d *DB) LoadCatalogue(ctx context.Context) (added, updated int, err error) {
	tools, err := ShippedTools()
	if err != nil {
		return 0, 0, err
	}
	err = d.inTx(ctx, func(tx *txn) error {
		for _, t := range tools {
			data, err := json.Marshal(t)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			hash := hex.EncodeToString(sum[:])
			var old string
			var local bool
			err = tx.QueryRowContext(ctx, `SELECT shipped_hash, edited_locally FROM tool WHERE team_id = '' AND id = ?`, t.ID).Scan(&old, &local)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				_, err = tx.ExecContext(ctx, `INSERT INTO tool (id, data, shipped_hash, updated_at) VALUES (?, ?, ?, ?)`,
					t.ID, data, hash, d.Now().UnixMilli())
				added++
			case err != nil:
			case local || old == hash:
				continue
			default:
				_, err = tx.ExecContext(ctx, `UPDATE tool SET data = ?, shipped_hash = ?, updated_at = ? WHERE team_id = '' AND id = ?`,
					data, hash, d.Now().UnixMilli(), t.ID)
				updated++
			}
			if err != nil {
				return err
			}
		}
		if added+updated == 0 {
			return nil
		}
		return bumpCatalogue(ctx, tx, "")
	})
	if err != nil {
		return 0, 0, fmt.Errorf("load catalogue: %w", err)
	}
	return added, updated, nil
}

// bumpCatalogue marks a change of team teamID's entries ("" for the
// shared ones): the catalogue's version changes, and the shared version
// too when a shared entry changed.
func bumpCatalogue(ctx context.Context, tx *txn, teamID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE catalogue_version SET version = version + 1 WHERE id = 1`)
	if err == nil && teamID == "" {
		_, err = tx.ExecContext(ctx, `INSERT INTO setting (name, value) VALUES (?, '1')
			ON CONFLICT (name) DO UPDATE SET value = CAST(value AS INTEGER) + 1`, settingSharedCatalogue)
	}
	return err
}

// settingSharedCatalogue is the version of the shared catalogue.
const settingSharedCatalogue = "catalogue_shared_version"

// SharedVersion implements bot.Catalogue.
func (d *DB) SharedVersion(ctx context.Context) (int64, error) {
	v, err := d.Setting(ctx, settingSharedCatalogue)
	if err != nil || v == "" {
		return 0, err
	}
	var n int64
	if _, err := fmt.Sscan(v, &n); err != nil {
		return 0, fmt.Errorf("read shared catalogue version: %w", err)
	}
	return n, nil
}

// TeamTools implements bot.Catalogue.
func (d *DB) TeamTools(ctx context.Context, teamID string) ([]*bot.Tool, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT data FROM tool WHERE team_id = ? ORDER BY id`, teamID)
	if err != nil {
		return nil, fmt.Errorf("read team tools: %w", err)
	}
	defer rows.Close()
	var tools []*bot.Tool
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, fmt.Errorf("read team tools: %w", err)
		}
		t := new(bot.Tool)
		if err := json.Unmarshal(data, t); err != nil {
			return nil, fmt.Errorf("read team tools: %w", err)
		}
		tools = append(tools, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read team tools: %w", err)
	}
	return tools, nil
}

// CatalogueVersion implements bot.Catalogue.
func (d *DB) CatalogueVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := d.r.QueryRowContext(ctx, `SELECT version FROM catalogue_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read catalogue version: %w", err)
	}
	return v, nil
}

// teamView selects the catalogue as a team sees it: its own entries, and
// the shared ones it did not replace. Its two arguments are the team id.
const teamView = `SELECT data FROM tool WHERE team_id = ?
	UNION ALL SELECT data FROM tool s WHERE s.team_id = '' AND NOT EXISTS (SELECT 1 FROM tool t WHERE t.team_id = ? AND t.id = s.id)`

// Tools implements bot.Catalogue.
func (d *DB) Tools(ctx context.Context, teamID string) ([]*bot.Tool, int64, error) {
	var tools []*bot.Tool
	var version int64
	err := d.read(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, `SELECT version FROM catalogue_version WHERE id = 1`).Scan(&version); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT data FROM (`+teamView+`) ORDER BY json_extract(data, '$.id')`, teamID, teamID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data []byte
			if err := rows.Scan(&data); err != nil {
				return err
			}
			t := new(bot.Tool)
			if err := json.Unmarshal(data, t); err != nil {
				return err
			}
			tools = append(tools, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read catalogue: %w", err)
	}
	return tools, version, nil
}

// Tool implements bot.Catalogue.
func (d *DB) Tool(ctx context.Context, teamID, id string) (*bot.Tool, error) {
	var data []byte
	err := d.r.QueryRowContext(ctx, `SELECT data FROM tool WHERE id = ? AND team_id IN ('', ?) ORDER BY team_id DESC LIMIT 1`, id, teamID).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read tool %s: %w", id, err)
	}
	t := new(bot.Tool)
	if err := json.Unmarshal(data, t); err != nil {
		return nil, fmt.Errorf("read tool %s: %w", id, err)
	}
	return t, nil
}

// seen counts the entries with this id that a team sees.
func seen(ctx context.Context, tx *txn, teamID, id string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tool WHERE id = ? AND team_id IN ('', ?)`, id, teamID).Scan(&n)
	return n, err
}

// AddTool implements bot.Catalogue.
func (d *DB) AddTool(ctx context.Context, teamID string, t *bot.Tool) error {
	return d.inTx(ctx, func(tx *txn) error {
		n, err := seen(ctx, tx, teamID, t.ID)
		if err != nil {
			return fmt.Errorf("add tool: %w", err)
		}
		if n > 0 {
			return bot.Errorf(bot.ECONFLICT, "tool.error.exists", "id", t.ID)
		}
		return d.putLocal(ctx, tx, teamID, t)
	})
}

// EditTool implements bot.Catalogue.
func (d *DB) EditTool(ctx context.Context, teamID string, t *bot.Tool) error {
	return d.inTx(ctx, func(tx *txn) error {
		n, err := seen(ctx, tx, teamID, t.ID)
		if err != nil {
			return fmt.Errorf("edit tool: %w", err)
		}
		if n == 0 {
			return bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", t.ID)
		}
		return d.putLocal(ctx, tx, teamID, t)
	})
}

// ImportTools adds or replaces shared entries, all or none, marked edited
// locally. Called by `balise catalogue import` with validated entries.
func (d *DB) ImportTools(ctx context.Context, tools []*bot.Tool) error {
	return d.inTx(ctx, func(tx *txn) error {
		for _, t := range tools {
			if err := d.putLocal(ctx, tx, "", t); err != nil {
				return err
			}
		}
		return nil
	})
}

// putLocal stores an entry for a team ("" for the shared catalogue) as
// edited locally and bumps the version. An entry identical to the one the
// team sees changes nothing: re-importing an export must not freeze
// shipped entries against upgrades.
func (d *DB) putLocal(ctx context.Context, tx *txn, teamID string, t *bot.Tool) error {
	data, err := json.Marshal(t)
	if err != nil {
		return err
	}
	var stored []byte
	err = tx.QueryRowContext(ctx, `SELECT data FROM tool WHERE id = ? AND team_id IN ('', ?) ORDER BY team_id DESC LIMIT 1`, t.ID, teamID).Scan(&stored)
	if err == nil && bytes.Equal(stored, data) {
		return nil
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tool (team_id, id, data, edited_locally, updated_at) VALUES (?, ?, ?, 1, ?)
		ON CONFLICT (team_id, id) DO UPDATE SET data = excluded.data, edited_locally = 1, updated_at = excluded.updated_at`,
		teamID, t.ID, data, d.Now().UnixMilli())
	if err == nil {
		err = bumpCatalogue(ctx, tx, teamID)
	}
	if err != nil {
		return fmt.Errorf("store tool %s: %w", t.ID, err)
	}
	return nil
}

// AddFeedback implements bot.Catalogue.
func (d *DB) AddFeedback(ctx context.Context, f bot.Feedback) error {
	return d.inTx(ctx, func(tx *txn) error {
		n, err := seen(ctx, tx, f.TeamID, f.ToolID)
		if err != nil {
			return fmt.Errorf("add feedback: %w", err)
		}
		if n == 0 {
			return bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", f.ToolID)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO tool_feedback (tool_id, team_id, user_id, text, created_at) VALUES (?, ?, ?, ?, ?)`,
			f.ToolID, f.TeamID, f.UserID, f.Text, d.Now().UnixMilli())
		if err != nil {
			return fmt.Errorf("add feedback: %w", err)
		}
		return nil
	})
}

// Usage implements bot.Catalogue.
func (d *DB) Usage(ctx context.Context, toolID, teamID string, limit int) (bot.Usage, error) {
	var u bot.Usage
	err := d.read(ctx, func(tx *txn) error {
		err := tx.QueryRowContext(ctx, `SELECT COUNT(DISTINCT team_id) FROM tool_feedback WHERE tool_id = ?`, toolID).Scan(&u.Teams)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT user_id, text, created_at FROM tool_feedback
			WHERE tool_id = ? AND team_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, toolID, teamID, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			f := bot.Feedback{ToolID: toolID, TeamID: teamID}
			var at int64
			if err := rows.Scan(&f.UserID, &f.Text, &at); err != nil {
				return err
			}
			f.CreatedAt = time.UnixMilli(at)
			u.Feedback = append(u.Feedback, f)
		}
		return rows.Err()
	})
	if err != nil {
		return bot.Usage{}, fmt.Errorf("read feedback: %w", err)
	}
	return u, nil
}

// TeamsUsing implements bot.Catalogue.
func (d *DB) TeamsUsing(ctx context.Context, ids []string) (map[string]int, error) {
	out := map[string]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := d.r.QueryContext(ctx, `SELECT tool_id, COUNT(DISTINCT team_id) FROM tool_feedback
		WHERE tool_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) GROUP BY tool_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("count teams using tools: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("count teams using tools: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}
