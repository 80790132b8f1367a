package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"balise/bot"
)

var _ bot.Plans = (*DB)(nil)

const planColumns = `id, team_id, number, channel_id, post_id, creator_id, lang, time_zone, title, tool_id, decision_id,
	start_day, target, created_at, archived_at, revision`

func scanPlan(s scanner) (*bot.Plan, error) {
	var p bot.Plan
	var tz, start string
	var created, archived int64
	err := s.Scan(&p.ID, &p.TeamID, &p.Number, &p.ChannelID, &p.PostID, &p.CreatorID, &p.Lang, &tz, &p.Title, &p.ToolID,
		&p.DecisionID, &start, &p.Target, &created, &archived, &p.Revision)
	if err != nil {
		return nil, err
	}
	p.Location = location(tz)
	if p.Start, err = bot.ParseISODay(start); err != nil {
		return nil, fmt.Errorf("plan %d: %w", p.ID, err)
	}
	p.CreatedAt = time.UnixMilli(created)
	if archived > 0 {
		p.ArchivedAt = time.UnixMilli(archived)
	}
	return &p, nil
}

// CreatePlan implements bot.Plans.
func (d *DB) CreatePlan(ctx context.Context, p *bot.Plan, sends []bot.Send) error {
	tz := "UTC"
	if p.Location != nil {
		tz = p.Location.String()
	}
	return d.inTx(ctx, func(tx *txn) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM plan WHERE team_id = ?`, p.TeamID).Scan(&p.Number); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO plan (team_id, number, channel_id, creator_id, lang, time_zone, title, tool_id,
			decision_id, start_day, target, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			p.TeamID, p.Number, p.ChannelID, p.CreatorID, string(p.Lang), tz, p.Title, p.ToolID, p.DecisionID,
			p.Start.String(), p.Target, p.CreatedAt.UnixMilli()).Scan(&p.ID)
		if err != nil {
			return fmt.Errorf("create plan: %w", err)
		}
		if err := writeMembers(ctx, tx, p); err != nil {
			return err
		}
		return d.arm(ctx, tx, p, sends)
	})
}

// writeMembers replaces a plan's referents and steps with p's.
func writeMembers(ctx context.Context, tx *txn, p *bot.Plan) error {
	for _, q := range []string{`DELETE FROM plan_referent WHERE plan_id = ?`, `DELETE FROM plan_step WHERE plan_id = ?`} {
		if _, err := tx.ExecContext(ctx, q, p.ID); err != nil {
			return err
		}
	}
	for i, r := range p.Referents {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO plan_referent (plan_id, team_id, user_id, position) VALUES (?, ?, ?, ?)`,
			p.ID, p.TeamID, r, i); err != nil {
			return err
		}
	}
	for _, s := range p.Steps {
		var done int64
		if s.Done() {
			done = s.DoneAt.UnixMilli()
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO plan_step (plan_id, team_id, number, kind, title, owner_id, due_day, done_at, done_by, blocked)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, p.ID, p.TeamID, s.Number, string(s.Kind), s.Title, s.OwnerID, s.Due.String(),
			done, s.DoneBy, s.Blocked); err != nil {
			return fmt.Errorf("store step %d: %w", s.Number, err)
		}
	}
	return nil
}

// loadMembers reads a plan's referents and steps.
func loadMembers(ctx context.Context, q querier, p *bot.Plan) error {
	rows, err := q.QueryContext(ctx, `SELECT user_id FROM plan_referent WHERE plan_id = ? ORDER BY position`, p.ID)
	if err != nil {
		return err
	}
	p.Referents = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return err
		}
		p.Referents = append(p.Referents, r)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT number, kind, title, owner_id, due_day, done_at, done_by, blocked
		FROM plan_step WHERE plan_id = ? ORDER BY number`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Steps = nil
	for rows.Next() {
		var s bot.Step
		var due string
		var done int64
		if err := rows.Scan(&s.Number, &s.Kind, &s.Title, &s.OwnerID, &due, &done, &s.DoneBy, &s.Blocked); err != nil {
			return err
		}
		if due != "" {
			if s.Due, err = bot.ParseISODay(due); err != nil {
				return err
			}
		}
		if done > 0 {
			s.DoneAt = time.UnixMilli(done)
		}
		p.Steps = append(p.Steps, s)
	}
	return rows.Err()
}

func onePlan(ctx context.Context, q querier, where string, args ...any) (*bot.Plan, error) {
	p, err := scanPlan(q.QueryRowContext(ctx, `SELECT `+planColumns+` FROM plan WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	if err != nil {
		return nil, fmt.Errorf("read plan: %w", err)
	}
	return p, loadMembers(ctx, q, p)
}

func (d *DB) manyPlans(ctx context.Context, where string, args ...any) ([]*bot.Plan, error) {
	var out []*bot.Plan
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+planColumns+` FROM plan WHERE `+where, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			p, err := scanPlan(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, p := range out {
			if err := loadMembers(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list plans: %w", err)
	}
	return out, nil
}

// readPlan reads one plan in a read transaction.
func (d *DB) readPlan(ctx context.Context, where string, args ...any) (*bot.Plan, error) {
	var p *bot.Plan
	err := d.read(ctx, func(tx *txn) error {
		var err error
		p, err = onePlan(ctx, tx, where, args...)
		return err
	})
	return p, err
}

// DeletePlan implements bot.Plans.
func (d *DB) DeletePlan(ctx context.Context, id int64) error {
	return d.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM plan_send WHERE plan_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM plan WHERE id = ?`, id)
		return err
	})
}

// SetPlanPost implements bot.Plans.
func (d *DB) SetPlanPost(ctx context.Context, id int64, postID string) error {
	_, err := d.exec(ctx, `UPDATE plan SET post_id = ? WHERE id = ?`, postID, id)
	return err
}

// Plan implements bot.Plans.
func (d *DB) Plan(ctx context.Context, teamID string, number int) (*bot.Plan, error) {
	return d.readPlan(ctx, `team_id = ? AND number = ?`, teamID, number)
}

// PlanByID implements bot.Plans.
func (d *DB) PlanByID(ctx context.Context, id int64) (*bot.Plan, error) {
	return d.readPlan(ctx, `id = ?`, id)
}

// ListPlans implements bot.Plans.
func (d *DB) ListPlans(ctx context.Context, teamID string, f bot.PlanFilter) ([]*bot.Plan, error) {
	q := `team_id = ? AND (archived_at > 0) = ?`
	args := []any{teamID, f.Archived}
	if f.ChannelID != "" {
		q += ` AND channel_id = ?`
		args = append(args, f.ChannelID)
	}
	if f.Limit <= 0 {
		f.Limit = 20
	}
	return d.manyPlans(ctx, q+` ORDER BY number DESC LIMIT ?`, append(args, f.Limit)...)
}

// ReferentPlans implements bot.Plans.
func (d *DB) ReferentPlans(ctx context.Context, teamID, userID string) ([]*bot.Plan, error) {
	return d.manyPlans(ctx, `archived_at = 0 AND id IN (SELECT plan_id FROM plan_referent WHERE team_id = ? AND user_id = ?)
		ORDER BY number`, teamID, userID)
}

// EditPlan implements bot.Plans.
func (d *DB) EditPlan(ctx context.Context, id int64, edit func(*bot.Plan) ([]bot.Send, error)) (*bot.Plan, error) {
	return d.EditPlanSaying(ctx, id, func(p *bot.Plan) ([]bot.Send, []bot.Envelope, error) {
		sends, err := edit(p)
		return sends, nil, err
	})
}

// FollowedPlans implements bot.Plans.
func (d *DB) FollowedPlans(ctx context.Context) ([]*bot.Plan, error) {
	return d.manyPlans(ctx, `archived_at = 0 ORDER BY id`)
}

// EditPlanSaying implements bot.Plans.
func (d *DB) EditPlanSaying(ctx context.Context, id int64, edit func(*bot.Plan) ([]bot.Send, []bot.Envelope, error)) (*bot.Plan, error) {
	var p *bot.Plan
	err := d.inTx(ctx, func(tx *txn) error {
		var err error
		if p, err = onePlan(ctx, tx, `id = ?`, id); err != nil {
			return err
		}
		sends, envs, err := edit(p)
		if err != nil {
			return err
		}
		if err := d.enqueue(ctx, tx, p.TeamID, envs); err != nil {
			return err
		}
		var archived int64
		if p.Archived() {
			archived = p.ArchivedAt.UnixMilli()
		}
		if _, err := tx.ExecContext(ctx, `UPDATE plan SET title = ?, tool_id = ?, decision_id = ?, target = ?, archived_at = ?,
			revision = revision + 1 WHERE id = ?`, p.Title, p.ToolID, p.DecisionID, p.Target, archived, id); err != nil {
			return fmt.Errorf("store plan: %w", err)
		}
		p.Revision++
		if err := writeMembers(ctx, tx, p); err != nil {
			return err
		}
		return d.arm(ctx, tx, p, sends)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// StalePlanCards implements bot.Plans.
func (d *DB) StalePlanCards(ctx context.Context) ([]*bot.Plan, error) {
	return d.manyPlans(ctx, `post_id != '' AND card_revision < revision ORDER BY id`)
}

// PlanCardShown implements bot.Plans.
func (d *DB) PlanCardShown(ctx context.Context, id int64, revision int) error {
	_, err := d.exec(ctx, `UPDATE plan SET card_revision = MAX(card_revision, ?) WHERE id = ?`, revision, id)
	return err
}
