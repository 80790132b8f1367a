package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"balise/bot"
	"balise/storage"
)

// Seeding writes straight into Balise's database while it is stopped,
// through the storage layer where it is quick enough, so that the
// figures of a large installation are measured without hours of clicks.

// seedLarge grows the database to a large installation: the shared
// catalogue to catalogue entries, teams teams (each with its commands, a
// local tool and decisions/teams open decisions with 10 voters).
func seedLarge(ctx context.Context, path string, catalogue, teams, decisions int) error {
	d, err := storage.Open(ctx, path)
	if err != nil {
		return err
	}
	defer d.Close()
	shipped, err := storage.ShippedTools()
	if err != nil {
		return err
	}
	var grown []*bot.Tool
	for i := len(shipped); i < catalogue; i++ {
		t := *shipped[i%len(shipped)]
		t.ID, t.Name = fmt.Sprintf("%s-%d", t.ID, i), fmt.Sprintf("%s %d", t.Name, i)
		grown = append(grown, &t)
	}
	if err := d.ImportTools(ctx, grown); err != nil {
		return fmt.Errorf("catalogue: %w", err)
	}
	now := time.Now()
	for t := range teams {
		team := fmt.Sprintf("seedteam%03d", t)
		for _, trigger := range []string{"balise", "tool", "decide", "diag", "outil", "decision", "plan"} {
			if err := d.SaveSlashCommand(ctx, storage.SlashCommand{TeamID: team, Trigger: trigger,
				CommandID: team + trigger, Token: fmt.Sprintf("token-%s-%s", team, trigger)}); err != nil {
				return err
			}
		}
		local := *shipped[t%len(shipped)]
		local.ID, local.Name = fmt.Sprintf("local-%d", t), fmt.Sprintf("Outil local %d", t)
		if err := d.AddTool(ctx, team, &local); err != nil {
			return fmt.Errorf("local tool: %w", err)
		}
		for i := range decisions / teams {
			dec := &bot.Decision{TeamID: team, ChannelID: "seedchannel", AuthorID: "seedauthor", Lang: bot.French, Location: time.UTC,
				Title: fmt.Sprintf("Décision %d de l'équipe %d", i, t), Kind: bot.Proposal, Options: bot.ProposalOptions,
				CreatedAt: now, ClosesAt: now.Add(30 * 24 * time.Hour)}
			for v := range 10 {
				dec.Voters = append(dec.Voters, fmt.Sprintf("seeduser%02d", v))
			}
			if err := d.CreateDecision(ctx, dec); err != nil {
				return err
			}
			if err := d.SetDecisionPost(ctx, dec.ID, fmt.Sprintf("seedpost%d", dec.ID)); err != nil {
				return err
			}
		}
	}
	return nil
}

// seedCampaign opens a diagnostic campaign in the team with respondents
// who answered every question (roles and answers spread), and closes it:
// it returns its label (V2...).
func seedCampaign(ctx context.Context, path, teamID, channelID, openerID string, respondents int) (string, error) {
	d, err := storage.Open(ctx, path)
	if err != nil {
		return "", err
	}
	defer d.Close()
	qs, err := storage.Questionnaires()
	if err != nil {
		return "", err
	}
	version := 0
	for v := range qs {
		version = max(version, v)
	}
	q := qs[version]
	now := time.Now()
	c := &bot.Campaign{TeamID: teamID, Name: "Bench 100", ChannelID: channelID, OpenerID: openerID, Lang: bot.English,
		Version: version, MinGroup: bot.DefaultMinGroup, CreatedAt: now, ClosesAt: now.Add(7 * 24 * time.Hour)}
	if err := d.OpenCampaign(ctx, c); err != nil {
		return "", fmt.Errorf("open campaign: %w", err)
	}
	users := make([]string, respondents)
	for i := range users {
		users[i] = fmt.Sprintf("seedrespondent%03d", i)
		if err := d.SetRole(ctx, c.ID, users[i], bot.Roles[i%len(bot.Roles)]); err != nil {
			return "", err
		}
	}
	// The answers in one transaction: 100 × 40 through Answer would be as
	// many transactions, and what is timed is the report, not the seeding.
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return "", err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	for i, u := range users {
		for j, qu := range q.Questions {
			opt := qu.Options[(i+j)%len(qu.Options)].ID
			if _, err := tx.ExecContext(ctx, `INSERT INTO diag_answer (campaign_id, team_id, user_id, question_id, option_id, answered_at)
				VALUES (?, ?, ?, ?, ?, ?)`, c.ID, teamID, u, qu.ID, opt, now.UnixMilli()); err != nil {
				return "", err
			}
		}
		for j, tool := range []string{"nextcloud", "name:whatsapp", "name:excel"}[:1+i%3] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO diag_tool_use (campaign_id, team_id, user_id, tool_key, name, need, position, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, teamID, u, tool, tool, "partager des fichiers", j, now.UnixMilli()); err != nil {
				return "", err
			}
		}
		for j, dim := range q.Dimensions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO diag_target (campaign_id, team_id, user_id, dimension, target, answered_at)
				VALUES (?, ?, ?, ?, ?, ?)`, c.ID, teamID, u, dim.ID, 50+((i+j)%5)*10, now.UnixMilli()); err != nil {
				return "", err
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return "", err
	}
	if _, err := d.CloseCampaign(ctx, c.ID, func(*bot.Campaign) []bot.Envelope { return nil }); err != nil {
		return "", err
	}
	return c.Label(), nil
}
