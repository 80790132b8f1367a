package storage_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"balise/bot"
	"balise/storage"
)

// MustOpen opens a fresh database in a temporary directory.
func MustOpen(tb testing.TB) (*storage.DB, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "balise.db")
	db, err := storage.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return clock }
	return db, path
}

// clock is the tests' time: five minutes after newDecision opens.
var clock = time.Date(2026, 11, 23, 10, 5, 0, 0, time.UTC)

func TestOpenRefusesANewerSchema(t *testing.T) {
	db, path := MustOpen(t)
	db.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`INSERT INTO schema_version (version) VALUES (999)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if _, err := storage.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "upgrade balise") {
		t.Errorf("Open on a newer schema: got %v, want a refusal asking to upgrade", err)
	}
}

func TestOpenTwiceKeepsData(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	if err := db.SetLang(ctx, "team", "user", bot.English); err != nil {
		t.Fatal(err)
	}
	key1, _ := db.SigningKey(ctx)
	db.Close()
	db2, err := storage.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if l, _ := db2.Lang(ctx, "team", "user"); l != bot.English {
		t.Errorf("Lang after reopen = %q, want en", l)
	}
	if l, _ := db2.Lang(ctx, "other-team", "user"); l != "" {
		t.Errorf("another team sees the choice %q", l)
	}
	if key2, _ := db2.SigningKey(ctx); string(key1) != string(key2) || len(key1) != 32 {
		t.Error("the signing key changed across a restart")
	}
}

func TestBackupCopiesTheDatabase(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	db.SetLang(ctx, "t", "u", bot.French)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, copyPath); err != nil {
		t.Fatal(err)
	}
	c, err := storage.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if l, _ := c.Lang(ctx, "t", "u"); l != bot.French {
		t.Errorf("backup holds %q, want fr", l)
	}
}

func newDecision(team string, anonymous bool) *bot.Decision {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return &bot.Decision{TeamID: team, ChannelID: "ch", AuthorID: "author", Lang: bot.French, Location: time.UTC,
		Title: "Passer à Nextcloud", Kind: bot.Proposal, Options: bot.ProposalOptions, Anonymous: anonymous,
		Voters: []string{"author", "a", "b"}, CreatedAt: now, ClosesAt: now.Add(time.Hour)}
}

// MustCreate stores a decision with its card posted.
func MustCreate(tb testing.TB, db *storage.DB, d *bot.Decision) *bot.Decision {
	tb.Helper()
	ctx := context.Background()
	if err := db.CreateDecision(ctx, d); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetDecisionPost(ctx, d.ID, "post"+d.TeamID); err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestDecisionsAreNumberedPerTeam(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	a1 := MustCreate(t, db, newDecision("A", false))
	a2 := MustCreate(t, db, newDecision("A", false))
	b1 := MustCreate(t, db, newDecision("B", false))
	if a1.Number != 1 || a2.Number != 2 || b1.Number != 1 {
		t.Errorf("numbers: got %d %d %d, want 1 2 1", a1.Number, a2.Number, b1.Number)
	}
	if _, err := db.Decision(ctx, "B", 2); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("team B reading #2: got %v, want not found (it is team A's)", err)
	}
	got, err := db.Decision(ctx, "A", 2)
	if err != nil || got.ID != a2.ID || got.Electorate != 3 {
		t.Errorf("Decision(A, 2) = %+v, %v", got, err)
	}
}

func TestStancesChangeAndCloseOnce(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	for _, c := range []struct {
		user    string
		choice  int
		changed bool
	}{{"a", 0, true}, {"b", 2, true}, {"b", 2, false}, {"b", 0, true}} {
		taken, err := db.TakeStance(ctx, d.ID, c.user, bot.Stance{Choice: c.choice}, bot.StanceNews{})
		if err != nil || taken.Changed != c.changed {
			t.Errorf("TakeStance(%s, %d) = %+v, %v; want changed %v", c.user, c.choice, taken, err, c.changed)
		}
	}
	tally, _ := db.Tally(ctx, d.ID)
	if tally.Voted != 2 || tally.Counts[0] != 2 {
		t.Errorf("tally = %+v, want 2 agree", tally)
	}
	undecided, _ := db.Undecided(ctx, d.ID)
	if len(undecided) != 1 || undecided[0] != "author" {
		t.Errorf("undecided = %v, want [author]", undecided)
	}
	announce := func(d *bot.Decision, t bot.Tally) []bot.Envelope {
		return []bot.Envelope{{Message: bot.Message{ChannelID: d.ChannelID, Text: "closed"}}}
	}
	if closed, err := db.CloseDecision(ctx, d.ID, announce); !closed || err != nil {
		t.Fatalf("first close = %v, %v", closed, err)
	}
	if closed, err := db.CloseDecision(ctx, d.ID, announce); closed || err != nil {
		t.Errorf("second close = %v, %v; want false: closing happens once", closed, err)
	}
	if _, err := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 3}, bot.StanceNews{}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("vote after close: got %v, want conflict", err)
	}
	letters, _ := db.Pending(ctx, 10)
	if len(letters) != 1 || letters[0].Message.Text != "closed" {
		t.Errorf("outbox after close = %+v, want one result", letters)
	}
}

func TestAnonymousStancesCannotBeLinkedAfterClose(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", true))
	db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 3}, bot.StanceNews{})
	db.TakeStance(ctx, d.ID, "b", bot.Stance{Choice: 0}, bot.StanceNews{})
	if taken, _ := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 3}, bot.StanceNews{}); taken.Changed {
		t.Error("an anonymous double click counted as a change")
	}
	if s, ok, _ := db.StanceOf(ctx, d.ID, "a"); !ok || s.Choice != 3 {
		t.Errorf("while open, a member sees their own stance: got %+v %v", s, ok)
	}
	db.CloseDecision(ctx, d.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil })
	raw, _ := sql.Open("sqlite", path)
	defer raw.Close()
	var keyed, timed, total int
	raw.QueryRow(`SELECT COUNT(*) FROM (SELECT voter FROM stance UNION ALL SELECT voter FROM stance_change) WHERE voter NOT LIKE 'anon-%'`).Scan(&keyed)
	raw.QueryRow(`SELECT COUNT(*) FROM stance_change WHERE at != (SELECT closed_at FROM decision WHERE id = ?)`, d.ID).Scan(&timed)
	raw.QueryRow(`SELECT COUNT(DISTINCT voter) FROM stance_change`).Scan(&total)
	if keyed != 0 || timed != 0 || total != 2 {
		t.Errorf("after the close: %d rows keyed by something derived from the user, %d changes with their own time, %d voters; want 0, 0, 2", keyed, timed, total)
	}
	var secret []byte
	raw.QueryRow(`SELECT secret FROM decision WHERE id = ?`, d.ID).Scan(&secret)
	if secret != nil {
		t.Error("the decision's secret is still stored after the close")
	}
	if _, ok, _ := db.StanceOf(ctx, d.ID, "a"); ok {
		t.Error("after the close, a member's choice can still be found from their id")
	}
	tally, _ := db.Tally(ctx, d.ID)
	if tally.Voted != 2 || tally.Counts[3] != 1 {
		t.Errorf("tally after close = %+v, want the counts kept", tally)
	}
}

func TestReminderIsClaimedOnce(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	due, _ := db.ReminderDue(ctx, d.CreatedAt.Add(10*time.Minute))
	if len(due) != 0 {
		t.Errorf("reminder due after 10 minutes of an hour: %d", len(due))
	}
	due, _ = db.ReminderDue(ctx, d.CreatedAt.Add(31*time.Minute))
	if len(due) != 1 {
		t.Fatalf("reminder due half-way: got %d, want 1", len(due))
	}
	if due, _ := db.ReminderDue(ctx, d.ClosesAt.Add(time.Minute)); len(due) != 0 {
		t.Errorf("reminder due after the closing time: got %d, want 0", len(due))
	}
	env := []bot.Envelope{{ToUserID: "a", Message: bot.Message{Text: "vote"}}}
	if ok, _ := db.ClaimReminder(ctx, d.ID, env); !ok {
		t.Error("first claim refused")
	}
	if ok, _ := db.ClaimReminder(ctx, d.ID, env); ok {
		t.Error("second claim accepted: the reminder would go twice")
	}
	letters, _ := db.Pending(ctx, 10)
	if len(letters) != 1 || letters[0].ToUserID != "a" {
		t.Errorf("letters = %+v, want one reminder to a", letters)
	}
	db.Sent(ctx, letters[0].ID, "p1")
	if letters, _ := db.Pending(ctx, 10); len(letters) != 0 {
		t.Errorf("a sent letter is still pending: %+v", letters)
	}
}

func TestFailedLettersWaitAndAreNeverDropped(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	db.Enqueue(ctx, "A", bot.Envelope{Message: bot.Message{Text: "result"}})
	now := clock
	db.Now = func() time.Time { return now }
	for i := 0; i < 30; i++ {
		letters, _ := db.Pending(ctx, 10)
		if len(letters) != 1 {
			t.Fatalf("attempt %d: %d letters pending, want the letter kept", i, len(letters))
		}
		db.Failed(ctx, letters[0].ID, "mattermost down", false)
		if letters, _ := db.Pending(ctx, 10); len(letters) != 0 {
			t.Fatalf("attempt %d: a failed letter is retried at once", i)
		}
		now = now.Add(time.Hour)
	}
}

func TestVotesStopAtTheClosingTime(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	db.Now = func() time.Time { return d.ClosesAt.Add(time.Second) }
	if _, err := db.TakeStance(ctx, d.ID, "a", bot.Stance{Choice: 0}, bot.StanceNews{}); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("a vote after the closing time, before the close job: got %v, want refused", err)
	}
}

func TestListDecisionsSearchesTheRegister(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	other := newDecision("A", false)
	other.Title = "Choisir Paheko"
	MustCreate(t, db, other)
	for _, x := range []*bot.Decision{d, other} {
		db.CloseDecision(ctx, x.ID, func(*bot.Decision, bot.Tally) []bot.Envelope { return nil })
	}
	if err := db.SetOutcome(ctx, d.ID, "Adopté 100%_sûr"); err != nil {
		t.Fatal(err)
	}
	// Words match whole or by their beginning; a query without a letter or
	// digit searches nothing and lists all.
	for q, want := range map[string]int{"": 2, "nextcloud": 1, "next": 1, "PAHEKO": 1, "adopté": 1, "adopte": 1, "100%_": 1, "%": 2, "absent": 0,
		`"`: 2, `nextcloud"`: 1, "choisir nextcloud": 0, "passer nextcloud": 1} {
		got, err := db.ListDecisions(ctx, "A", bot.DecisionFilter{Search: q, AnyChannel: true})
		if err != nil || len(got) != want {
			t.Errorf("search %q: got %d, %v; want %d", q, len(got), err, want)
		}
	}
	if got, _ := db.ListDecisions(ctx, "B", bot.DecisionFilter{AnyChannel: true}); len(got) != 0 {
		t.Errorf("team B sees %d of team A's decisions", len(got))
	}
}

func TestAskedReminderIsNotDoubled(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	d := MustCreate(t, db, newDecision("A", false))
	env := []bot.Envelope{{ToUserID: "a", Message: bot.Message{Text: "vote"}}}
	if ok, err := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute); !ok || err != nil {
		t.Fatalf("first ask = %v, %v", ok, err)
	}
	if ok, _ := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute); ok {
		t.Error("a second ask at once was accepted")
	}
	db.Now = func() time.Time { return clock.Add(11 * time.Minute) }
	if ok, _ := db.ClaimAskedReminder(ctx, d.ID, env, 10*time.Minute); !ok {
		t.Error("an ask 11 minutes later was refused")
	}
	// Both go to a: the second waits for the first (one thread, in order).
	for i := 0; i < 2; i++ {
		letters, _ := db.Pending(ctx, 10)
		if len(letters) != 1 {
			t.Fatalf("letter %d: %d pending, want 1", i+1, len(letters))
		}
		db.Sent(ctx, letters[0].ID, "p")
	}
}
