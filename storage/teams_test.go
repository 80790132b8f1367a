package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"balise/bot"
	"balise/storage"
)

const (
	teamA = "zorgteamaaaaaaaaaaaaaaaaaa" // Mattermost ids are 26 characters
	teamB = "othrteambbbbbbbbbbbbbbbbbb"
)

// fillTeam gives a team a bit of everything: decisions with votes and
// reasons, feedback, a language choice, a letter, a command, a tool of its
// own. Its texts carry word, so that they can be looked for on disk.
func fillTeam(t *testing.T, db *storage.DB, team, word string) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	d := newDecision(team, false)
	d.Title, d.Details = "Décision "+word, "Détails "+word
	MustCreate(t, db, d)
	if _, err := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 0, Reason: "raison " + word}, bot.StanceNews{}); err != nil {
		t.Fatal(err)
	}
	anon := MustCreate(t, db, newDecision(team, true))
	if _, err := db.TakeStance(ctx, anon.ID, "b", bot.Stance{Choice: 1}, bot.StanceNews{}); err != nil {
		t.Fatal(err)
	}
	steps := []error{
		db.AddFeedback(ctx, bot.Feedback{ToolID: "nextcloud", TeamID: team, UserID: "a", Text: "avis " + word, CreatedAt: clock}),
		db.SetLang(ctx, team, "a", bot.English),
		db.Enqueue(ctx, team, bot.Envelope{ToUserID: "a", Message: bot.Message{Text: "lettre " + word}}),
		db.SaveSlashCommand(ctx, storage.SlashCommand{TeamID: team, Trigger: "balise", CommandID: "cmd" + word, Token: "token" + word}),
	}
	if err := errorsJoin(steps); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.SetOutcome(ctx, d.ID, "Résultat "+word); err != nil {
		t.Fatal(err)
	}
}

func errorsJoin(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// A team's export holds its rows of every table that has a team_id, and
// of their children, and nothing of another team nor any secret.
func TestTeamExportHoldsItsDataAndNothingElse(t *testing.T) {
	db, _ := MustOpen(t)
	fillTeam(t, db, teamA, "zorglub")
	fillTeam(t, db, teamB, "bidule")
	exp, err := db.ExportTeam(context.Background(), teamA)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(exp)
	text := string(b)
	for _, want := range []string{"decision", "decision_voter", "stance", "stance_change", "tool_feedback", "member_preference", "outbox", "slash_command"} {
		if len(exp[want]) == 0 {
			t.Errorf("the export has no rows of %s", want)
		}
	}
	for _, want := range []string{"Décision zorglub", "raison zorglub", "avis zorglub", "lettre zorglub", "Résultat zorglub"} {
		if !strings.Contains(text, want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	for _, not := range []string{teamB, "bidule", "tokenzorglub", `"secret"`, `"token"`} {
		if strings.Contains(text, not) {
			t.Errorf("the export holds %q", not)
		}
	}
}

// Erasing a team leaves no row of it, anywhere in the database file or its
// WAL, and leaves the other team whole.
func TestTeamErasureLeavesNoTrace(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	fillTeam(t, db, teamA, "zorglub")
	fillTeam(t, db, teamB, "bidule")
	before, _ := db.ExportTeam(ctx, teamB)
	counts, err := db.EraseTeam(ctx, teamA)
	if err != nil {
		t.Fatal(err)
	}
	if counts["decision"] != 2 || counts["stance"] != 2 || counts["tool_feedback"] != 1 {
		t.Errorf("erased %v, want 2 decisions, 2 stances, 1 feedback", counts)
	}
	left, err := db.ExportTeam(ctx, teamA)
	if err != nil {
		t.Fatal(err)
	}
	for table, rows := range left {
		if len(rows) > 0 {
			t.Errorf("after erasure, %s still holds %d rows of the team", table, len(rows))
		}
	}
	after, _ := db.ExportTeam(ctx, teamB)
	if a, b := mustJSON(before), mustJSON(after); a != b {
		t.Errorf("the other team's data changed:\nbefore %s\nafter  %s", a, b)
	}
	if list, err := db.ListDecisions(ctx, teamB, bot.DecisionFilter{Search: "bidule", AnyChannel: true}); err != nil || len(list) != 1 {
		t.Errorf("the other team's register search: %d, %v; want its decision found", len(list), err)
	}
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, trace := range []string{teamA, "zorglub", "tokenzorglub"} {
			if bytes.Contains(bytes.ToLower(b), []byte(trace)) {
				t.Errorf("%s still holds %q", file, trace)
			}
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
