package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"balise/bot"
)

// RecordCheckIn implements bot.Plans.
func (d *DB) RecordCheckIn(ctx context.Context, c bot.CheckIn) error {
	return d.inTx(ctx, func(tx *txn) error {
		var archived int64
		err := tx.QueryRowContext(ctx, `SELECT archived_at FROM plan WHERE id = ? AND team_id = ?`, c.PlanID, c.TeamID).Scan(&archived)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
		case err != nil:
			return fmt.Errorf("read plan: %w", err)
		case archived > 0:
			return bot.Errorf(bot.ECONFLICT, "plan.error.archived")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO plan_check_in (plan_id, team_id, week, estimate, used, user_id, at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_id, week) DO UPDATE SET estimate = excluded.estimate,
			used = excluded.used, user_id = excluded.user_id, at = excluded.at`,
			c.PlanID, c.TeamID, c.Week.String(), string(c.Estimate), c.Used, c.By, c.At.UnixMilli())
		if err != nil {
			return fmt.Errorf("store check-in: %w", err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE plan SET revision = revision + 1 WHERE id = ?`, c.PlanID)
		return err
	})
}

// CheckIns implements bot.Plans.
func (d *DB) CheckIns(ctx context.Context, planID int64) ([]bot.CheckIn, error) {
	var out []bot.CheckIn
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT plan_id, team_id, week, estimate, used, user_id, at FROM plan_check_in
			WHERE plan_id = ? ORDER BY week`, planID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c bot.CheckIn
			var week string
			var at int64
			if err := rows.Scan(&c.PlanID, &c.TeamID, &week, &c.Estimate, &c.Used, &c.By, &at); err != nil {
				return err
			}
			if c.Week, err = bot.ParseISODay(week); err != nil {
				return err
			}
			c.At = time.UnixMilli(at)
			out = append(out, c)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("check-ins: %w", err)
	}
	return out, nil
}

// TeamAdoption returns, for each plan of the team whose tool is chosen and
// whose referents checked in, its latest adoption estimate, by plan number.
// The diagnostic's report reads it.
func (d *DB) TeamAdoption(ctx context.Context, teamID string) ([]bot.Adoption, error) {
	plans, err := d.manyPlans(ctx, `team_id = ? AND tool_id != ''
		AND id IN (SELECT plan_id FROM plan_check_in WHERE team_id = ?) ORDER BY number`, teamID, teamID)
	if err != nil {
		return nil, fmt.Errorf("team adoption: %w", err)
	}
	var out []bot.Adoption
	for _, p := range plans {
		checkIns, err := d.CheckIns(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		if a, ok := p.LatestAdoption(checkIns); ok {
			out = append(out, a)
		}
	}
	return out, nil
}
