package storage_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"balise/bot"
	"balise/storage"
)

func TestShippedQuestionnaireIsValid(t *testing.T) {
	qs, err := storage.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	q := qs[1]
	if q == nil || len(q.Questions) < 25 || len(q.Questions) > 35 || len(q.Dimensions) != 7 {
		t.Fatalf("got %v, want version 1 with 25 to 35 questions in 7 dimensions", q)
	}
	tools, err := storage.ShippedTools()
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, tl := range tools {
		known[tl.ID] = tl.Free
	}
	for _, qu := range q.Questions {
		for _, id := range qu.Measure.Tools {
			if !known[id] {
				t.Errorf("question %s names tool %q, which the catalogue lacks or does not list as free", qu.ID, id)
			}
		}
	}
}

// MustOpenCampaign opens a campaign for team, closing in a week from the
// tests' clock, inviting ann and bob.
func MustOpenCampaign(tb testing.TB, db *storage.DB, team string) *bot.Campaign {
	tb.Helper()
	c := &bot.Campaign{TeamID: team, ChannelID: "ch", OpenerID: "ann", Lang: bot.French, Version: 1, MinGroup: 3,
		Invited: []string{"ann", "bob"}, CreatedAt: clock, ClosesAt: clock.Add(7 * 24 * time.Hour)}
	if err := db.OpenCampaign(context.Background(), c); err != nil {
		tb.Fatal(err)
	}
	return c
}

func TestCampaignsAreNumberedAndOneIsOpenPerTeam(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	a1 := MustOpenCampaign(t, db, "A")
	b1 := MustOpenCampaign(t, db, "B")
	if err := db.OpenCampaign(ctx, &bot.Campaign{TeamID: "A", Version: 1, MinGroup: 3}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("second open campaign: got %v, want a conflict", err)
	}
	closed, err := db.CloseCampaign(ctx, a1.ID, func(c *bot.Campaign) []bot.Envelope {
		return []bot.Envelope{{Message: bot.Message{ChannelID: c.ChannelID, Text: "closed " + c.Label()}}}
	})
	if err != nil || !closed {
		t.Fatalf("CloseCampaign = %v, %v", closed, err)
	}
	if again, _ := db.CloseCampaign(ctx, a1.ID, nil); again {
		t.Error("a campaign closed twice")
	}
	if letters, _ := db.Pending(ctx, 10); len(letters) != 1 || letters[0].Message.Text != "closed V1" {
		t.Errorf("announce: got %+v, want one letter 'closed V1'", letters)
	}
	a2 := MustOpenCampaign(t, db, "A")
	if a1.Number != 1 || b1.Number != 1 || a2.Number != 2 {
		t.Errorf("numbers: got %d %d %d, want 1 1 2", a1.Number, b1.Number, a2.Number)
	}
	latest, err := db.Campaign(ctx, "A", 0)
	if err != nil || latest.ID != a2.ID || !slices.Equal(latest.Invited, []string{"ann", "bob"}) {
		t.Errorf("latest of A: got %+v, %v; want V2 inviting ann and bob", latest, err)
	}
	if _, err := db.Campaign(ctx, "B", 2); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("team B reading V2: got %v, want not found (it is team A's)", err)
	}
	if open, err := db.OpenCampaignOf(ctx, "A"); err != nil || open.ID != a2.ID {
		t.Errorf("open campaign of A: got %+v, %v; want V2", open, err)
	}
	if _, err := db.OpenCampaignOf(ctx, "C"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("open campaign of C: got %v, want not found", err)
	}
}

func TestAnswersAreReplacedNotDuplicated(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	c := MustOpenCampaign(t, db, "A")
	if _, err := db.Answer(ctx, c.ID, "bob", "tools.files", "shared"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("answer before the role: got %v, want a conflict", err)
	}
	if err := db.SetRole(ctx, c.ID, "bob", bot.Volunteer); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		option  string
		changed bool
	}{{"shared", true}, {"shared", false}, {"messy", true}, {bot.DontKnow, true}} {
		changed, err := db.Answer(ctx, c.ID, "bob", "tools.files", tc.option)
		if err != nil || changed != tc.changed {
			t.Errorf("Answer(%s) = %v, %v; want changed %v", tc.option, changed, err, tc.changed)
		}
	}
	for _, tc := range []struct {
		target  int
		changed bool
	}{{75, true}, {75, false}, {bot.TargetDontKnow, true}} {
		changed, err := db.SetTarget(ctx, c.ID, "bob", "tools", tc.target)
		if err != nil || changed != tc.changed {
			t.Errorf("SetTarget(%d) = %v, %v; want changed %v", tc.target, changed, err, tc.changed)
		}
	}
	s, err := db.Sheet(ctx, c.ID, "bob")
	if err != nil || s.Role != bot.Volunteer || len(s.Answers) != 1 || s.Answers["tools.files"] != bot.DontKnow || s.Targets["tools"] != bot.TargetDontKnow {
		t.Errorf("sheet: got %+v, %v; want a volunteer with one answer (don't know) and one target (don't know)", s, err)
	}
	if s, _ := db.Sheet(ctx, c.ID, "ann"); s.Role != "" || len(s.Answers) != 0 {
		t.Errorf("a member who has not started: got %+v, want an empty sheet", s)
	}
}

func TestNoAnswerAfterTheClose(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	c := MustOpenCampaign(t, db, "A")
	db.SetRole(ctx, c.ID, "bob", bot.Board)
	db.Answer(ctx, c.ID, "bob", "security.backup", "auto")
	db.Now = func() time.Time { return c.ClosesAt }
	if _, err := db.Answer(ctx, c.ID, "bob", "security.backup", "no"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("answer at the closing time: got %v, want a conflict", err)
	}
	if due, _ := db.DueCampaigns(ctx, c.ClosesAt); len(due) != 1 || due[0].ID != c.ID {
		t.Errorf("due: got %v, want the campaign", due)
	}
	db.CloseCampaign(ctx, c.ID, func(*bot.Campaign) []bot.Envelope { return nil })
	for name, err := range map[string]error{
		"role":   db.SetRole(ctx, c.ID, "ann", bot.Staff),
		"tool":   db.SaveToolUse(ctx, c.ID, "bob", bot.ToolUse{Name: "X"}),
		"cancel": db.CancelCampaign(ctx, c.ID),
	} {
		if bot.ErrorCode(err) != bot.ECONFLICT {
			t.Errorf("%s after the close: got %v, want a conflict", name, err)
		}
	}
	if s, _ := db.Sheet(ctx, c.ID, "bob"); s.Answers["security.backup"] != "auto" {
		t.Errorf("stored answer: got %q, want auto, unchanged", s.Answers["security.backup"])
	}
}

func TestToolInventoryIsKeyedByTool(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	c := MustOpenCampaign(t, db, "A")
	db.SetRole(ctx, c.ID, "bob", bot.Staff)
	for _, u := range []bot.ToolUse{
		{ToolID: "nextcloud", Name: "Nextcloud", Category: "files"},
		{Name: "WhatsApp", Category: "chat"},
		{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Limits: "lent", Future: bot.Keep, Frequency: "daily"},
		{Name: "whatsapp", Need: "se prévenir vite"},
	} {
		if err := db.SaveToolUse(ctx, c.ID, "bob", u); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := db.Sheet(ctx, c.ID, "bob")
	want := []bot.ToolUse{
		{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Limits: "lent", Future: bot.Keep, Frequency: "daily"},
		{Name: "whatsapp", Need: "se prévenir vite"},
	}
	if !slices.Equal(s.Tools, want) {
		t.Errorf("tools: got %+v, want %+v", s.Tools, want)
	}
	if err := db.RemoveToolUse(ctx, c.ID, "bob", "nextcloud"); err != nil {
		t.Fatal(err)
	}
	for i := range bot.MaxToolsPerSheet - 1 {
		if err := db.SaveToolUse(ctx, c.ID, "bob", bot.ToolUse{Name: string(rune('a'+i%26)) + string(rune('a'+i/26))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveToolUse(ctx, c.ID, "bob", bot.ToolUse{Name: "one too many"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("tool %d: got %v, want refused", bot.MaxToolsPerSheet+1, err)
	}
	if err := db.SaveToolUse(ctx, c.ID, "bob", bot.ToolUse{Name: "WhatsApp", Future: bot.Drop}); err != nil {
		t.Errorf("editing a listed tool at the limit: got %v, want it saved", err)
	}
}

func TestSheetsSurviveARestartAndCarryTheirTeam(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	c := MustOpenCampaign(t, db, "A")
	for _, u := range []string{"bob", "ann"} {
		db.SetRole(ctx, c.ID, u, bot.Volunteer)
		db.Answer(ctx, c.ID, u, "values.free", "often")
		db.SetTarget(ctx, c.ID, u, "values", 100)
		db.SaveToolUse(ctx, c.ID, u, bot.ToolUse{Name: "Framadate"})
	}
	db.Close()
	db, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sheets, err := db.Sheets(ctx, c.ID)
	if err != nil || len(sheets) != 2 || sheets[0].UserID != "ann" || sheets[1].Answers["values.free"] != "often" || len(sheets[1].Tools) != 1 {
		t.Errorf("sheets after a restart: got %+v, %v", sheets, err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"diag_campaign", "diag_invitee", "diag_respondent", "diag_answer", "diag_target", "diag_tool_use"} {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table + ` WHERE team_id != 'A'`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d rows without team A's id (%v)", table, n, err)
		}
	}
}

func TestCampaignRemindersAreCappedAndCancelForgets(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	c := MustOpenCampaign(t, db, "A")
	for i, want := range []bool{true, true, false} {
		// one recipient per reminder: Pending gives one letter per thread
		got, err := db.ClaimCampaignReminder(ctx, c.ID, []bot.Envelope{{ToUserID: fmt.Sprint("member", i), Message: bot.Message{Text: "?"}}})
		if err != nil || got != want {
			t.Errorf("reminder %d: got %v, %v; want %v", i+1, got, err, want)
		}
	}
	if letters, _ := db.Pending(ctx, 10); len(letters) != bot.MaxCampaignReminders {
		t.Errorf("queued reminders: got %d, want %d", len(letters), bot.MaxCampaignReminders)
	}
	db.SetRole(ctx, c.ID, "bob", bot.Board)
	db.Answer(ctx, c.ID, "bob", "strategy.plan", "no")
	if err := db.CancelCampaign(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Sheets(ctx, c.ID); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("sheets of a cancelled campaign: got %v, want not found", err)
	}
	if again := MustOpenCampaign(t, db, "A"); again.Number != 1 {
		t.Errorf("after a cancel: got V%d, want V1 again", again.Number)
	}
}
