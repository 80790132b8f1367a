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

// A member's own data (GDPR): what Balise holds about them in a team, and
// forgetting them there. Forgetting keeps every result: a stance stays,
// under a random voter key, so tallies do not move; a diagnostic sheet
// stays, under a random respondent, so scores and counts do not move.
// What says nothing to anyone else is deleted: their language choice,
// their feedback on tools, letters to them.

var _ bot.PersonalStore = (*DB)(nil)

// PersonalData implements bot.PersonalStore, in one snapshot.
func (d *DB) PersonalData(ctx context.Context, teamID, userID string) (*bot.PersonalData, error) {
	p := &bot.PersonalData{TeamID: teamID, UserID: userID}
	err := d.read(ctx, func(tx *txn) error {
		var lang string
		err := tx.QueryRowContext(ctx, `SELECT lang FROM member_preference WHERE team_id = ? AND user_id = ?`, teamID, userID).Scan(&lang)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		p.Lang = bot.Lang(lang)
		err = eachRow(ctx, tx, `SELECT number, title, created_at, closed_at FROM decision WHERE team_id = ? AND author_id = ? ORDER BY number`,
			[]any{teamID, userID}, func(rows *sql.Rows) error {
				ref, err := scanRef(rows)
				p.Authored = append(p.Authored, ref)
				return err
			})
		if err != nil {
			return err
		}
		err = eachRow(ctx, tx, `SELECT d.number, d.title, d.created_at, d.closed_at, d.kind,
			COALESCE(json_extract(d.options, '$[' || s.choice || ']'), ''), s.reason, s.updated_at,
			(SELECT COUNT(*) FROM stance_change c WHERE c.decision_id = s.decision_id AND c.voter = s.voter)
			FROM stance s JOIN decision d ON d.id = s.decision_id
			WHERE d.team_id = ? AND d.anonymous = 0 AND s.voter = ? ORDER BY d.number`,
			[]any{teamID, userID}, func(rows *sql.Rows) error {
				var s bot.StanceRecord
				var created, closed, at int64
				if err := rows.Scan(&s.Decision.Number, &s.Decision.Title, &created, &closed, &s.Kind,
					&s.Option, &s.Reason, &at, &s.Changes); err != nil {
					return err
				}
				s.Decision.CreatedAt, s.Decision.Open, s.At = time.UnixMilli(created), closed == 0, time.UnixMilli(at)
				p.Stances = append(p.Stances, s)
				return nil
			})
		if err != nil {
			return err
		}
		// An open anonymous decision finds its voters by their key.
		err = eachRow(ctx, tx, `SELECT id, secret FROM decision WHERE team_id = ? AND secret IS NOT NULL`,
			[]any{teamID}, func(rows *sql.Rows) error {
				var id int64
				var secret []byte
				if err := rows.Scan(&id, &secret); err != nil {
					return err
				}
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM stance WHERE decision_id = ? AND voter = ?`, id, hide(secret, userID)).Scan(&n); err != nil {
					return err
				}
				p.AnonymousStances += n
				return nil
			})
		if err != nil {
			return err
		}
		err = eachRow(ctx, tx, `SELECT tool_id, text, created_at FROM tool_feedback WHERE team_id = ? AND user_id = ? ORDER BY created_at, id`,
			[]any{teamID, userID}, func(rows *sql.Rows) error {
				var f bot.FeedbackRecord
				var at int64
				if err := rows.Scan(&f.ToolID, &f.Text, &at); err != nil {
					return err
				}
				f.At = time.UnixMilli(at)
				p.Feedback = append(p.Feedback, f)
				return nil
			})
		if err != nil {
			return err
		}
		if err := readSheets(ctx, tx, teamID, userID, p); err != nil {
			return err
		}
		for _, c := range []struct {
			n     *int
			query string
		}{
			{&p.Electorates, `SELECT COUNT(*) FROM decision_voter v JOIN decision d ON d.id = v.decision_id WHERE d.team_id = ? AND v.user_id = ?`},
			{&p.CampaignsOpened, `SELECT COUNT(*) FROM diag_campaign WHERE team_id = ? AND opener_id = ?`},
			{&p.Invitations, `SELECT COUNT(*) FROM diag_invitee WHERE team_id = ? AND user_id = ?`},
			{&p.Letters, `SELECT COUNT(*) FROM outbox WHERE team_id = ? AND to_user_id = ?`},
		} {
			if err := tx.QueryRowContext(ctx, c.query, teamID, userID).Scan(c.n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read a member's data: %w", err)
	}
	return p, nil
}

func scanRef(rows *sql.Rows) (bot.DecisionRef, error) {
	var r bot.DecisionRef
	var created, closed int64
	err := rows.Scan(&r.Number, &r.Title, &created, &closed)
	r.CreatedAt, r.Open = time.UnixMilli(created), closed == 0
	return r, err
}

// readSheets adds the member's diagnostic sheets to p.
func readSheets(ctx context.Context, tx *txn, teamID, userID string, p *bot.PersonalData) error {
	var ids []int64
	err := eachRow(ctx, tx, `SELECT c.id, c.number, c.name, r.role FROM diag_respondent r JOIN diag_campaign c ON c.id = r.campaign_id
		WHERE r.team_id = ? AND r.user_id = ? ORDER BY c.number`, []any{teamID, userID}, func(rows *sql.Rows) error {
		s := bot.SheetRecord{Answers: map[string]string{}, Targets: map[string]int{}}
		var id int64
		if err := rows.Scan(&id, &s.Campaign, &s.Name, &s.Role); err != nil {
			return err
		}
		ids = append(ids, id)
		p.Sheets = append(p.Sheets, s)
		return nil
	})
	if err != nil {
		return err
	}
	for i, id := range ids {
		s := &p.Sheets[i]
		args := []any{id, userID}
		err := eachRow(ctx, tx, `SELECT question_id, option_id FROM diag_answer WHERE campaign_id = ? AND user_id = ?`, args,
			func(rows *sql.Rows) error {
				var q, o string
				err := rows.Scan(&q, &o)
				s.Answers[q] = o
				return err
			})
		if err == nil {
			err = eachRow(ctx, tx, `SELECT dimension, target FROM diag_target WHERE campaign_id = ? AND user_id = ?`, args,
				func(rows *sql.Rows) error {
					var dim string
					var t int
					err := rows.Scan(&dim, &t)
					s.Targets[dim] = t
					return err
				})
		}
		if err == nil {
			err = eachRow(ctx, tx, `SELECT name FROM diag_tool_use WHERE campaign_id = ? AND user_id = ? ORDER BY position`, args,
				func(rows *sql.Rows) error {
					var name string
					err := rows.Scan(&name)
					s.Tools = append(s.Tools, name)
					return err
				})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// forgottenID returns a fresh id standing for a forgotten member.
func forgottenID() (string, error) {
	h, err := randomHex(16)
	return bot.ForgottenPrefix + h, err
}

// Forget implements bot.PersonalStore. Each decision and each campaign
// gets its own random key for the member, so that their places cannot be
// linked to each other either. In an anonymous decision still open, the
// stance is keyed by the decision's HMAC of the new key, as for any voter:
// Undecided still sees that this voter voted.
func (d *DB) Forget(ctx context.Context, teamID, userID string) (*bot.Forgotten, error) {
	if teamID == "" || userID == "" || bot.IsForgotten(userID) {
		return nil, fmt.Errorf("forget a member: no team or member")
	}
	f := &bot.Forgotten{}
	err := d.inTx(ctx, func(tx *txn) error {
		if err := forgetVotes(ctx, tx, teamID, userID, f); err != nil {
			return err
		}
		if err := forgetSheets(ctx, tx, teamID, userID, f); err != nil {
			return err
		}
		for _, c := range []struct {
			n     *int
			query string
			args  []any
		}{
			{&f.Feedback, `DELETE FROM tool_feedback WHERE team_id = ? AND user_id = ?`, []any{teamID, userID}},
			{&f.Preferences, `DELETE FROM member_preference WHERE team_id = ? AND user_id = ?`, []any{teamID, userID}},
			{&f.Letters, `DELETE FROM outbox WHERE team_id = ? AND (to_user_id = ? OR thread = 'dm:' || ?)`, []any{teamID, userID, userID}},
			// Letters to others that carry the id (a mention in a card)
			// name a placeholder instead; their JSON stays valid.
			{&f.Mentions, `UPDATE outbox SET message = replace(message, ?1, 'forgotten'), last_error = replace(last_error, ?1, 'forgotten')
				WHERE team_id = ?2 AND (instr(message, ?1) > 0 OR instr(last_error, ?1) > 0)`, []any{userID, teamID}},
		} {
			res, err := tx.ExecContext(ctx, c.query, c.args...)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			*c.n = int(n)
		}
		return remainsOf(ctx, tx, teamID, userID)
	})
	if err != nil {
		return nil, fmt.Errorf("forget a member: %w", err)
	}
	return f, d.wipeWAL(ctx)
}

// forgetVotes re-keys the member's places among voters, stances, history
// and block notices, decision by decision, empties their reasons, and
// replaces them as author.
func forgetVotes(ctx context.Context, tx *txn, teamID, userID string, f *bot.Forgotten) error {
	type dec struct {
		id     int64
		secret []byte
		author bool
	}
	var list []dec
	err := eachRow(ctx, tx, `SELECT id, secret, author_id = ?2 FROM decision d WHERE team_id = ?1 AND (author_id = ?2
		OR EXISTS (SELECT 1 FROM decision_voter v WHERE v.decision_id = d.id AND v.user_id = ?2)
		OR EXISTS (SELECT 1 FROM stance s WHERE s.decision_id = d.id AND s.voter = ?2)
		OR EXISTS (SELECT 1 FROM stance_change c WHERE c.decision_id = d.id AND c.voter = ?2)
		OR EXISTS (SELECT 1 FROM block_notice b WHERE b.decision_id = d.id AND b.voter = ?2))`, []any{teamID, userID}, func(rows *sql.Rows) error {
		var x dec
		err := rows.Scan(&x.id, &x.secret, &x.author)
		list = append(list, x)
		return err
	})
	if err != nil {
		return err
	}
	for _, x := range list {
		fresh, err := forgottenID()
		if err != nil {
			return err
		}
		if x.author {
			author, err := forgottenID()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE decision SET author_id = ? WHERE id = ?`, author, x.id); err != nil {
				return err
			}
			f.Authored++
		}
		res, err := tx.ExecContext(ctx, `UPDATE decision_voter SET user_id = ? WHERE decision_id = ? AND user_id = ?`, fresh, x.id, userID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		f.Electorates += int(n)
		oldKey, newKey := hide(x.secret, userID), hide(x.secret, fresh)
		res, err = tx.ExecContext(ctx, `UPDATE stance SET voter = ?, reason = '' WHERE decision_id = ? AND voter = ?`, newKey, x.id, oldKey)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		f.Stances += int(n)
		for _, q := range []string{`UPDATE stance_change SET voter = ? WHERE decision_id = ? AND voter = ?`,
			`UPDATE block_notice SET voter = ? WHERE decision_id = ? AND voter = ?`} {
			if _, err := tx.ExecContext(ctx, q, newKey, x.id, oldKey); err != nil {
				return err
			}
		}
	}
	return nil
}

// forgetSheets moves the member's diagnostic sheets and invitations to a
// random respondent, campaign by campaign, and replaces them as opener.
// The sheet's rows point at the respondent: the new respondent is added,
// the rows moved to it, then the old one deleted.
func forgetSheets(ctx context.Context, tx *txn, teamID, userID string, f *bot.Forgotten) error {
	type camp struct {
		id     int64
		opener bool
	}
	var list []camp
	err := eachRow(ctx, tx, `SELECT id, opener_id = ?2 FROM diag_campaign c WHERE team_id = ?1 AND (opener_id = ?2
		OR EXISTS (SELECT 1 FROM diag_invitee i WHERE i.campaign_id = c.id AND i.user_id = ?2)
		OR EXISTS (SELECT 1 FROM diag_respondent r WHERE r.campaign_id = c.id AND r.user_id = ?2))`,
		[]any{teamID, userID}, func(rows *sql.Rows) error {
			var c camp
			err := rows.Scan(&c.id, &c.opener)
			list = append(list, c)
			return err
		})
	if err != nil {
		return err
	}
	for _, c := range list {
		fresh, err := forgottenID()
		if err != nil {
			return err
		}
		if c.opener {
			opener, err := forgottenID()
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE diag_campaign SET opener_id = ? WHERE id = ?`, opener, c.id); err != nil {
				return err
			}
			f.Campaigns++
		}
		res, err := tx.ExecContext(ctx, `UPDATE diag_invitee SET user_id = ? WHERE campaign_id = ? AND user_id = ?`, fresh, c.id, userID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		f.Invitations += int(n)
		res, err = tx.ExecContext(ctx, `INSERT INTO diag_respondent (campaign_id, team_id, user_id, role, updated_at)
			SELECT campaign_id, team_id, ?, role, updated_at FROM diag_respondent WHERE campaign_id = ? AND user_id = ?`, fresh, c.id, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue
		}
		f.Sheets++
		for _, table := range []string{"diag_answer", "diag_target", "diag_tool_use"} {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %q SET user_id = ? WHERE campaign_id = ? AND user_id = ?`, table), fresh, c.id, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM diag_respondent WHERE campaign_id = ? AND user_id = ?`, c.id, userID); err != nil {
			return err
		}
	}
	return nil
}

// remainsOf looks, in every table that holds a team's rows (found from
// the schema, as for a team's export), for a column of the team's rows
// still equal to the member's id: a table added later and not handled
// above makes forgetting fail rather than leave them behind.
func remainsOf(ctx context.Context, tx *txn, teamID, userID string) error {
	tables, err := teamTables(ctx, tx)
	if err != nil {
		return err
	}
	var left []string
	for _, t := range tables {
		cols, err := textColumns(ctx, tx, t.name)
		if err != nil {
			return err
		}
		for _, c := range cols {
			var n int
			q := fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE %s AND %q = ?`, t.name, t.where, c)
			if err := tx.QueryRowContext(ctx, q, teamID, userID).Scan(&n); err != nil {
				return fmt.Errorf("%s.%s: %w", t.name, c, err)
			}
			if n > 0 {
				left = append(left, fmt.Sprintf("%s.%s (%d)", t.name, c, n))
			}
		}
	}
	if len(left) > 0 {
		return fmt.Errorf("the member is still named in %s", strings.Join(left, ", "))
	}
	return nil
}

// textColumns lists a table's columns that may hold an id.
func textColumns(ctx context.Context, tx *txn, table string) ([]string, error) {
	var out []string
	err := eachRow(ctx, tx, `SELECT name FROM pragma_table_info(?) WHERE upper(type) = 'TEXT' AND name != 'team_id'`, []any{table},
		func(rows *sql.Rows) error {
			var n string
			err := rows.Scan(&n)
			out = append(out, n)
			return err
		})
	return out, err
}
