package storage_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"slices"
	"strings"
	"testing"

	"balise/bot"
	"balise/storage"
)

// who is the member who asks to be forgotten: a Mattermost id, 26 characters.
const who = "zmemberqqqqqqqqqqqqqqqqqqq"

// fillMember gives who a bit of everything in team: decisions they opened
// and voted in (with reasons, changes and a block told to the author),
// open and closed, anonymous or not, one where they have not voted yet; a
// diagnostic they opened and answered beside two others; feedback, a
// language choice, letters to them and a letter naming them. It returns
// the decisions and the campaign.
func fillMember(t *testing.T, db *storage.DB, team string) ([]*bot.Decision, *bot.Campaign) {
	t.Helper()
	ctx := context.Background()
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	mk := func(anonymous bool, author string) *bot.Decision {
		d := newDecision(team, anonymous)
		d.AuthorID, d.Voters = author, []string{"author", "a", "b", who}
		return MustCreate(t, db, d)
	}
	vote := func(d *bot.Decision, user string, choice int, reason string, news bot.StanceNews) {
		t.Helper()
		if _, err := db.TakeStance(ctx, d.ID, user, bot.Stance{Choice: choice, Reason: reason}, news); err != nil {
			t.Fatal(err)
		}
	}
	closeIt := func(d *bot.Decision) {
		t.Helper()
		if _, err := db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	mine := mk(false, who)
	vote(mine, who, 0, "raison zorglub", bot.StanceNews{})
	vote(mine, "a", 2, "", bot.StanceNews{})
	closeIt(mine)
	open := mk(false, "author")
	vote(open, who, 0, "", bot.StanceNews{})
	vote(open, who, 3, "blocage zorglub", bot.StanceNews{BlockNotice: &bot.Envelope{ToUserID: "author", Message: bot.Message{Text: "block"}}})
	vote(open, "b", 1, "", bot.StanceNews{})
	anonOpen := mk(true, "author")
	vote(anonOpen, who, 1, "anonyme zorglub", bot.StanceNews{})
	vote(anonOpen, "a", 0, "", bot.StanceNews{})
	anonClosed := mk(true, who)
	vote(anonClosed, who, 2, "", bot.StanceNews{})
	closeIt(anonClosed)
	waiting := mk(false, "author") // who has not voted
	vote(waiting, "a", 0, "", bot.StanceNews{})

	c := &bot.Campaign{TeamID: team, ChannelID: "ch", OpenerID: who, Lang: bot.French, Version: 1, MinGroup: 2,
		Invited: []string{"ann", "bob", who}, CreatedAt: clock, ClosesAt: clock.Add(7 * 24 * 3600e9)}
	if err := db.OpenCampaign(ctx, c); err != nil {
		t.Fatal(err)
	}
	for i, u := range []string{who, "ann", "bob"} {
		role := []bot.Role{bot.Board, bot.Board, bot.Staff}[i]
		opt := []string{"auto", "manual", "auto"}[i]
		steps := []error{db.SetRole(ctx, c.ID, u, role)}
		_, err := db.Answer(ctx, c.ID, u, "security.backup", opt)
		steps = append(steps, err)
		_, err = db.SetTarget(ctx, c.ID, u, "security", 75)
		steps = append(steps, err, db.SaveToolUse(ctx, c.ID, u, bot.ToolUse{Name: "Outil " + string(role), Need: "besoin zorglub"}))
		if err := errorsJoin(steps); err != nil {
			t.Fatal(err)
		}
	}
	steps := []error{
		db.AddFeedback(ctx, bot.Feedback{ToolID: "nextcloud", TeamID: team, UserID: who, Text: "avis zorglub", CreatedAt: clock}),
		db.AddFeedback(ctx, bot.Feedback{ToolID: "nextcloud", TeamID: team, UserID: "a", Text: "avis de a", CreatedAt: clock}),
		db.SetLang(ctx, team, who, bot.English),
		db.Enqueue(ctx, team, bot.Envelope{ToUserID: who, Message: bot.Message{Text: "lettre zorglub"}},
			bot.Envelope{Message: bot.Message{ChannelID: "ch", Text: "merci <@" + who + ">"}}),
	}
	if err := errorsJoin(steps); err != nil {
		t.Fatal(err)
	}
	return []*bot.Decision{mine, open, anonOpen, anonClosed, waiting}, c
}

// results are what others see: every decision's tally and electorate, who
// has not voted yet (as a count), and the diagnostic's report.
func results(t *testing.T, db *storage.DB, decisions []*bot.Decision, c *bot.Campaign) string {
	t.Helper()
	ctx := context.Background()
	qs, err := storage.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	for _, d := range decisions {
		tally, err := db.Tally(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		back, err := db.DecisionByID(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		undecided, err := db.Undecided(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, tally, back.Electorate, len(undecided), back.Revision)
	}
	sheets, err := db.Sheets(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := db.CampaignByID(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, bot.Score(qs[1], sheets, c.MinGroup), len(sheets), len(back.Invited),
		len(bot.Attend(qs[1], back, sheets).Finished))
	return mustJSON(out)
}

// Forgetting a member keeps every result as it was, leaves Balise holding
// nothing about them, and leaves their id, their reasons and their
// feedback in no file of the database.
func TestForgetKeepsResultsAndLeavesNoTrace(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	decisions, c := fillMember(t, db, teamA)
	held, err := db.PersonalData(ctx, teamA, who)
	if err != nil {
		t.Fatal(err)
	}
	if len(held.Authored) != 2 || len(held.Stances) != 2 || held.AnonymousStances != 1 || held.Electorates != 5 ||
		len(held.Feedback) != 1 || len(held.Sheets) != 1 || held.CampaignsOpened != 1 || held.Invitations != 1 ||
		held.Letters != 1 || held.Lang != bot.English {
		t.Fatalf("before: %+v", held)
	}
	if s := held.Stances[1]; s.Option != bot.Block || s.Reason != "blocage zorglub" || s.Changes != 2 {
		t.Errorf("stance in the open decision: %+v, want block with its reason and two changes", s)
	}
	if s := held.Sheets[0]; s.Role != bot.Board || s.Answers["security.backup"] != "auto" || s.Targets["security"] != 75 ||
		!slices.Equal(s.Tools, []string{"Outil board"}) {
		t.Errorf("sheet: %+v", s)
	}
	before := results(t, db, decisions, c)

	f, err := db.Forget(ctx, teamA, who)
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Forgotten{Stances: 3, Electorates: 5, Authored: 2, Feedback: 1, Sheets: 1, Campaigns: 1, Invitations: 1,
		Letters: 1, Mentions: 1, Preferences: 1}
	if *f != want {
		t.Errorf("forgot %+v, want %+v", *f, want)
	}
	if after := results(t, db, decisions, c); after != before {
		t.Errorf("results changed:\nbefore %s\nafter  %s", before, after)
	}
	held, err = db.PersonalData(ctx, teamA, who)
	if err != nil || !held.Empty() {
		t.Errorf("after: %+v, %v; want nothing held", held, err)
	}
	// The one who had not voted is still waited for, but nothing is sent
	// to their new key.
	undecided, _ := db.Undecided(ctx, decisions[4].ID)
	var forgotten string
	for _, u := range undecided {
		if bot.IsForgotten(u) {
			forgotten = u
		}
	}
	if forgotten == "" {
		t.Fatalf("undecided %v, want a forgotten voter among them", undecided)
	}
	MustDrain(t, db)
	if err := db.Enqueue(ctx, teamA, bot.Envelope{ToUserID: forgotten, Message: bot.Message{Text: "rappel"}}); err != nil {
		t.Fatal(err)
	}
	if letters, _ := db.Pending(ctx, 10); len(letters) != 0 {
		t.Errorf("a letter to a forgotten voter was queued: %+v", letters)
	}
	for _, file := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(file)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, trace := range []string{who, "raison zorglub", "blocage zorglub", "anonyme zorglub", "avis zorglub", "lettre zorglub"} {
			if i := bytes.Index(b, []byte(trace)); i >= 0 {
				t.Errorf("%s still holds %q at %d (page %d): %q", file, trace, i, i/4096, b[max(0, i-200):i+60])
			}
		}
		if file == path && !bytes.Contains(b, []byte("avis de a")) {
			t.Errorf("%s lost another member's feedback", file)
		}
	}
}

// Forgetting is per team: what the member did in another team stays.
func TestForgetIsPerTeam(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	fillMember(t, db, teamA)
	fillMember(t, db, teamB)
	before, _ := db.PersonalData(ctx, teamB, who)
	if _, err := db.Forget(ctx, teamA, who); err != nil {
		t.Fatal(err)
	}
	after, _ := db.PersonalData(ctx, teamB, who)
	if a, b := mustJSON(before), mustJSON(after); a != b || after.Empty() {
		t.Errorf("the other team's data changed:\nbefore %s\nafter  %s", a, b)
	}
}

// A table holding teams' rows that forgetting does not know of yet (one
// added by a later migration) makes it fail and change nothing, rather
// than leave the member behind.
func TestForgetRefusesToLeaveTheMemberInAnUnknownTable(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	fillMember(t, db, teamA)
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.ExecContext(ctx, `CREATE TABLE later (team_id TEXT NOT NULL, member TEXT NOT NULL);
		INSERT INTO later VALUES (?, ?)`, teamA, who); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, err = db.Forget(ctx, teamA, who)
	if err == nil || !strings.Contains(err.Error(), "later.member") {
		t.Fatalf("Forget = %v, want a refusal naming later.member", err)
	}
	if held, _ := db.PersonalData(ctx, teamA, who); held.Empty() {
		t.Error("a refused erasure changed the data")
	}
}
