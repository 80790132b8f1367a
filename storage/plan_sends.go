package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"balise/bot"
)

var _ bot.Schedule = (*DB)(nil)

// arm replaces a plan's follow-ups, in the transaction that changed it:
// every send not made goes, so do the sends made for a due date the step no
// longer has (a moved date gets its ladder back), then sends are added
// unless already made.
func (d *DB) arm(ctx context.Context, tx *txn, p *bot.Plan, sends []bot.Send) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM plan_send WHERE plan_id = ? AND (sent_at = 0 OR NOT EXISTS (
		SELECT 1 FROM plan_step s WHERE s.plan_id = plan_send.plan_id AND s.number = plan_send.step AND s.due_day = plan_send.due_day))`,
		p.ID); err != nil {
		return fmt.Errorf("disarm plan %d: %w", p.ID, err)
	}
	for i := range sends {
		sends[i].TeamID, sends[i].PlanID = p.TeamID, p.ID
	}
	return insertSends(ctx, tx, sends)
}

// insertSends adds sends, leaving out any already stored with the same key.
func insertSends(ctx context.Context, tx *txn, sends []bot.Send) error {
	for _, s := range sends {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO plan_send (team_id, plan_id, step, kind, recipient, due_day, send_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, s.TeamID, s.PlanID, s.Step, string(s.Kind), s.To, s.Due.String(), s.At.UnixMilli()); err != nil {
			return fmt.Errorf("arm %s: %w", s.Kind, err)
		}
		if s.Kind == bot.Nudge { // keep last week's made nudge, so that a changed day does not nudge twice in a week
			if _, err := tx.ExecContext(ctx, `DELETE FROM plan_send WHERE team_id = ? AND plan_id = 0 AND recipient = ? AND sent_at > 0
				AND due_day < date(?, '-7 days')`, s.TeamID, s.To, s.Due.String()); err != nil {
				return err
			}
		}
	}
	return nil
}

// DueSends implements bot.Schedule.
func (d *DB) DueSends(ctx context.Context, now time.Time) ([]bot.Send, error) {
	var out []bot.Send
	err := d.read(ctx, func(tx *txn) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, team_id, plan_id, step, kind, recipient, due_day, send_at FROM plan_send s
			WHERE sent_at = 0 AND send_at <= ? AND (plan_id = 0 OR EXISTS (
				SELECT 1 FROM plan_step st JOIN plan p ON p.id = st.plan_id
				WHERE st.plan_id = s.plan_id AND st.number = s.step AND st.due_day = s.due_day AND st.done_at = 0 AND p.archived_at = 0))
			ORDER BY send_at, id`, now.UnixMilli())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s bot.Send
			var due string
			var at int64
			if err := rows.Scan(&s.ID, &s.TeamID, &s.PlanID, &s.Step, &s.Kind, &s.To, &due, &at); err != nil {
				return err
			}
			if s.Due, err = bot.ParseISODay(due); err != nil {
				return err
			}
			s.At = time.UnixMilli(at)
			out = append(out, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("due sends: %w", err)
	}
	return out, nil
}

// NextSendAt implements bot.Schedule.
func (d *DB) NextSendAt(ctx context.Context, now time.Time) (time.Time, bool, error) {
	var at sql.NullInt64
	if err := d.r.QueryRowContext(ctx, `SELECT MIN(send_at) FROM plan_send WHERE sent_at = 0 AND send_at > ?`,
		now.UnixMilli()).Scan(&at); err != nil {
		return time.Time{}, false, fmt.Errorf("next send: %w", err)
	}
	return time.UnixMilli(at.Int64), at.Valid, nil
}

// errTaken rolls back a claim that lost.
var errTaken = errors.New("already claimed")

// ClaimSends implements bot.Schedule.
func (d *DB) ClaimSends(ctx context.Context, c bot.Claim, envs []bot.Envelope) (bool, error) {
	to := c.To
	if to == "" {
		to = fmt.Sprintf("plan:%d", c.PlanID)
	}
	err := d.inTx(ctx, func(tx *txn) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM plan_letter WHERE team_id = ? AND recipient = ? AND day < ?`,
			c.TeamID, to, c.Day.String()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO plan_letter (team_id, recipient, day) VALUES (?, ?, ?)`,
			c.TeamID, to, c.Day.String())
		if err != nil {
			return fmt.Errorf("claim letter: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return errTaken
		}
		in, args := idList(c.IDs)
		res, err = tx.ExecContext(ctx, `UPDATE plan_send SET sent_at = ? WHERE team_id = ? AND sent_at = 0 AND id IN (`+in+`)`,
			append([]any{d.Now().UnixMilli(), c.TeamID}, args...)...)
		if err != nil {
			return fmt.Errorf("claim sends: %w", err)
		}
		if n, _ := res.RowsAffected(); n != int64(len(c.IDs)) {
			return errTaken
		}
		if err := d.enqueue(ctx, tx, c.TeamID, envs); err != nil {
			return err
		}
		return insertSends(ctx, tx, c.Next)
	})
	if errors.Is(err, errTaken) {
		return false, nil
	}
	return err == nil, err
}

// DropSends implements bot.Schedule.
func (d *DB) DropSends(ctx context.Context, ids []int64, next []bot.Send) error {
	return d.inTx(ctx, func(tx *txn) error {
		if len(ids) > 0 {
			in, args := idList(ids)
			if _, err := tx.ExecContext(ctx, `UPDATE plan_send SET sent_at = ? WHERE sent_at = 0 AND id IN (`+in+`)`,
				append([]any{d.Now().UnixMilli()}, args...)...); err != nil {
				return fmt.Errorf("drop sends: %w", err)
			}
		}
		return insertSends(ctx, tx, next)
	})
}

// DeferSends implements bot.Schedule.
func (d *DB) DeferSends(ctx context.Context, ids []int64, at time.Time) error {
	in, args := idList(ids)
	_, err := d.exec(ctx, `UPDATE plan_send SET send_at = ? WHERE sent_at = 0 AND id IN (`+in+`)`,
		append([]any{at.UnixMilli()}, args...)...)
	return err
}

// ArmNudge implements bot.Schedule.
func (d *DB) ArmNudge(ctx context.Context, s bot.Send) error {
	s.Kind, s.PlanID, s.Step = bot.Nudge, 0, 0
	return d.inTx(ctx, func(tx *txn) error {
		if err := disarmNudge(ctx, tx, s.TeamID, s.To); err != nil {
			return err
		}
		return insertSends(ctx, tx, []bot.Send{s})
	})
}

// DisarmNudge implements bot.Schedule.
func (d *DB) DisarmNudge(ctx context.Context, teamID, userID string) error {
	return d.inTx(ctx, func(tx *txn) error { return disarmNudge(ctx, tx, teamID, userID) })
}

func disarmNudge(ctx context.Context, tx *txn, teamID, userID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM plan_send WHERE team_id = ? AND plan_id = 0 AND recipient = ? AND sent_at = 0`, teamID, userID)
	return err
}

// idList returns placeholders and arguments for ids in an IN clause.
func idList(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?,", len(ids)), ","), args
}
