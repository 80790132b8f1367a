package storage_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"balise/bot"
	"balise/storage"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// planStart is when newPlan's plan is created: Monday 2026-11-02 10:00 in Paris.
var planStart = time.Date(2026, 11, 2, 10, 0, 0, 0, paris)

func newPlan(team string) *bot.Plan {
	p := &bot.Plan{TeamID: team, ChannelID: "ch", CreatorID: "creator", Lang: bot.French, Location: paris,
		Title: "Passer à Nextcloud", Referents: []string{"alice", "bob"}, Start: bot.DayOf(planStart, paris),
		Target: 12, CreatedAt: planStart}
	p.Lay(bot.StandardTemplate, func(k bot.StepKind) string { return "step " + string(k) })
	return p
}

// MustCreatePlan stores a plan with its follow-ups and its card posted.
func MustCreatePlan(tb testing.TB, db *storage.DB, p *bot.Plan) *bot.Plan {
	tb.Helper()
	ctx := context.Background()
	if err := db.CreatePlan(ctx, p, p.FollowUps(planStart, nil, nil)); err != nil {
		tb.Fatal(err)
	}
	if err := db.SetPlanPost(ctx, p.ID, "card"+p.TeamID); err != nil {
		tb.Fatal(err)
	}
	return p
}

// dueFor returns the due sends of a plan's step, by kind.
func dueFor(tb testing.TB, db *storage.DB, now time.Time, planID int64, step int) map[bot.SendKind][]bot.Send {
	tb.Helper()
	sends, err := db.DueSends(context.Background(), now)
	if err != nil {
		tb.Fatal(err)
	}
	out := map[bot.SendKind][]bot.Send{}
	for _, s := range sends {
		if s.PlanID == planID && s.Step == step {
			out[s.Kind] = append(out[s.Kind], s)
		}
	}
	return out
}

func letters(tb testing.TB, db *storage.DB) int {
	tb.Helper()
	l, err := db.Pending(context.Background(), 1000)
	if err != nil {
		tb.Fatal(err)
	}
	return len(l)
}

func claim(tb testing.TB, db *storage.DB, s bot.Send, day bot.Day) bool {
	tb.Helper()
	ok, err := db.ClaimSends(context.Background(), bot.Claim{TeamID: s.TeamID, To: s.To, PlanID: s.PlanID, Day: day, IDs: []int64{s.ID}},
		[]bot.Envelope{{ToUserID: s.To, Message: bot.Message{Text: string(s.Kind)}}})
	if err != nil {
		tb.Fatal(err)
	}
	return ok
}

func TestPlansRoundTripPerTeam(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	a1 := MustCreatePlan(t, db, newPlan("A"))
	a2 := MustCreatePlan(t, db, newPlan("A"))
	b1 := MustCreatePlan(t, db, newPlan("B"))
	if a1.Number != 1 || a2.Number != 2 || b1.Number != 1 {
		t.Errorf("numbers %d %d %d, want 1 2 1", a1.Number, a2.Number, b1.Number)
	}
	got, err := db.Plan(ctx, "A", 2)
	if err != nil {
		t.Fatal(err)
	}
	want := *a2
	want.PostID = "cardA"
	if got.Location.String() != "Europe/Paris" || !got.CreatedAt.Equal(want.CreatedAt) {
		t.Errorf("zone %s created %s", got.Location, got.CreatedAt)
	}
	got.Location, got.CreatedAt, want.Location, want.CreatedAt = nil, time.Time{}, nil, time.Time{}
	for i := range want.Steps {
		if want.Steps[i].Done() { // stored to the millisecond
			want.Steps[i].DoneAt = got.Steps[i].DoneAt
		}
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("plan read back\n got %+v\nwant %+v", got, &want)
	}
	if _, err := db.Plan(ctx, "B", 2); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("team B reads plan #2 of A: %v", err)
	}
	list, _ := db.ListPlans(ctx, "A", bot.PlanFilter{})
	if len(list) != 2 || list[0].Number != 2 {
		t.Errorf("list of A: %d plans, want 2 newest first", len(list))
	}
	mine, _ := db.ReferentPlans(ctx, "A", "bob")
	if len(mine) != 2 {
		t.Errorf("bob is referent of %d plans of A, want 2", len(mine))
	}
}

// A follow-up whose moment came is claimed by one dispatch only: a second
// claim (a double run, a restart) sends nothing more.
func TestDueFollowUpClaimedTwiceIsSentOnce(t *testing.T) {
	db, _ := MustOpen(t)
	p := MustCreatePlan(t, db, newPlan("A"))
	at := time.Date(2026, 11, 16, 9, 0, 0, 0, paris) // step 1 is due Monday 11-16
	if early := dueFor(t, db, at.Add(-time.Second), p.ID, 1); len(early) != 0 {
		t.Errorf("before its moment: %v due", early)
	}
	due := dueFor(t, db, at, p.ID, 1)[bot.DueToday]
	if len(due) != 1 || due[0].To != "alice" {
		t.Fatalf("due reminders of step 1: %+v, want one to alice", due)
	}
	day := bot.DayOf(at, paris)
	if !claim(t, db, due[0], day) {
		t.Fatal("the first claim lost")
	}
	if claim(t, db, due[0], day) || claim(t, db, due[0], day.AddDays(1)) {
		t.Error("a second claim won")
	}
	if n := letters(t, db); n != 1 {
		t.Errorf("%d letters queued, want 1", n)
	}
	if again := dueFor(t, db, at.Add(time.Hour), p.ID, 1)[bot.DueToday]; len(again) != 0 {
		t.Errorf("a sent follow-up is due again: %+v", again)
	}
}

// Nextcloud Deck's bug: a reminder that fired once never fired again after
// its date changed. A moved due date re-arms the ladder; an edit that keeps
// it does not repeat what was sent.
func TestChangedDueDateRearmsItsFollowUp(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	at := time.Date(2026, 11, 16, 9, 0, 0, 0, paris)
	due := dueFor(t, db, at, p.ID, 1)[bot.DueToday]
	if len(due) != 1 || !claim(t, db, due[0], bot.DayOf(at, paris)) {
		t.Fatalf("first reminder not claimed: %+v", due)
	}
	now := at.Add(time.Hour)
	edit := func(change func(*bot.Plan) error) {
		t.Helper()
		if _, err := db.EditPlan(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, error) {
			if err := change(p); err != nil {
				return nil, err
			}
			return p.FollowUps(now, nil, nil), nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	edit(func(p *bot.Plan) error { return p.Assign(2, "bob") }) // another step changes
	if again := dueFor(t, db, now, p.ID, 1)[bot.DueToday]; len(again) != 0 {
		t.Errorf("an unrelated edit re-sent the reminder: %+v", again)
	}
	// moved to tomorrow, then back to today: today's reminder comes back
	edit(func(p *bot.Plan) error { return p.SetDue(1, bot.NewDay(2026, 11, 17)) })
	now = at.Add(2 * time.Hour)
	edit(func(p *bot.Plan) error { return p.SetDue(1, bot.NewDay(2026, 11, 16)) })
	back := dueFor(t, db, now, p.ID, 1)[bot.DueToday]
	if len(back) != 1 || back[0].Due != bot.NewDay(2026, 11, 16) {
		t.Errorf("moved back: %+v, want the 11-16 reminder again", back)
	}
	// +7 days: a reminder on the new date
	edit(func(p *bot.Plan) error { _, err := p.Postpone(1, bot.DayOf(now, paris), 7); return err })
	newAt := time.Date(2026, 11, 23, 9, 0, 0, 0, paris)
	rearmed := dueFor(t, db, newAt, p.ID, 1)[bot.DueToday]
	if len(rearmed) != 1 || rearmed[0].Due != bot.NewDay(2026, 11, 23) {
		t.Fatalf("after +7 days: %+v, want a reminder for 11-23", rearmed)
	}
	if !claim(t, db, rearmed[0], bot.DayOf(newAt, paris)) {
		t.Error("the re-armed reminder could not be claimed")
	}
}

func TestDoneStepsAndArchivedPlansGetNothing(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	late := time.Date(2027, 6, 1, 9, 0, 0, 0, paris)
	if _, err := db.EditPlan(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, error) {
		p.Tick(1, "alice", planStart)
		return p.FollowUps(planStart, nil, nil), nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := dueFor(t, db, late, p.ID, 1); len(got) != 0 {
		t.Errorf("a done step has follow-ups: %v", got)
	}
	if got := dueFor(t, db, late, p.ID, 3); len(got) == 0 {
		t.Error("an open step has none")
	}
	if _, err := db.EditPlan(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, error) {
		p.ArchivedAt = planStart
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DueSends(ctx, late); len(got) != 0 {
		t.Errorf("an archived plan has %d follow-ups", len(got))
	}
	if _, ok, _ := db.NextSendAt(ctx, planStart); ok {
		t.Error("an archived plan has a next send")
	}
}

func TestEditPlanErrorChangesNothing(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	_, err := db.EditPlan(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, error) {
		p.Title = "changed"
		return nil, p.Block(2, "done steps cannot block")
	})
	if bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("EditPlan: %v, want the edit's conflict", err)
	}
	got, _ := db.PlanByID(ctx, p.ID)
	if got.Title != p.Title || got.Revision != 0 {
		t.Errorf("a failed edit stored title %q revision %d", got.Title, got.Revision)
	}
	if next, ok, _ := db.NextSendAt(ctx, planStart); !ok || !next.Equal(time.Date(2026, 11, 16, 9, 0, 0, 0, paris)) {
		t.Errorf("next send %s %v, want step 1's reminder on 11-16 09:00", next, ok)
	}
	if stale, _ := db.StalePlanCards(ctx); len(stale) != 0 {
		t.Errorf("%d stale cards after a failed edit", len(stale))
	}
}

// At most one message from the plans per person and local day.
func TestOneLetterPerPersonAndDay(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	sends, _ := db.DueSends(ctx, time.Date(2026, 12, 31, 9, 0, 0, 0, paris))
	var alice []bot.Send
	for _, s := range sends {
		if s.To == "alice" {
			alice = append(alice, s)
		}
	}
	if len(alice) < 2 {
		t.Fatalf("alice has %d due sends, want several", len(alice))
	}
	day := bot.NewDay(2026, 12, 31)
	if !claim(t, db, alice[0], day) || claim(t, db, alice[1], day) {
		t.Error("two letters to alice the same day")
	}
	if err := db.DeferSends(ctx, []int64{alice[1].ID}, time.Date(2027, 1, 4, 9, 0, 0, 0, paris)); err != nil {
		t.Fatal(err)
	}
	if !claim(t, db, alice[1], day.AddDays(4)) {
		t.Error("the deferred send could not go the next open day")
	}
	if !claim(t, db, bot.Send{ID: alice[2].ID, TeamID: "A", PlanID: p.ID, To: ""}, day) {
		t.Error("the plan's thread shares alice's daily letter")
	}
}

func TestWeeklyNudgeOncePerWeek(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	s := bot.DefaultReminderSettings()
	at, week := s.NextNudge(planStart, paris, nil)
	nudge := bot.Send{TeamID: "A", To: "alice", Due: week, At: at}
	if err := db.ArmNudge(ctx, nudge); err != nil {
		t.Fatal(err)
	}
	due, _ := db.DueSends(ctx, at)
	if len(due) != 1 || due[0].Kind != bot.Nudge {
		t.Fatalf("due at the nudge's time: %+v", due)
	}
	nextAt, nextWeek := s.NextNudge(at, paris, nil)
	next := bot.Send{TeamID: "A", Kind: bot.Nudge, To: "alice", Due: nextWeek, At: nextAt}
	ok, err := db.ClaimSends(ctx, bot.Claim{TeamID: "A", To: "alice", Day: bot.DayOf(at, paris), IDs: []int64{due[0].ID},
		Next: []bot.Send{next}}, []bot.Envelope{{ToUserID: "alice"}})
	if err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	// alice moves her nudge to Wednesday, the same week: no second nudge this week
	if err := db.ArmNudge(ctx, bot.Send{TeamID: "A", To: "alice", Due: week, At: at.AddDate(0, 0, 2)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DueSends(ctx, at.AddDate(0, 0, 3)); len(got) != 0 {
		t.Errorf("a second nudge in the same week: %+v", got)
	}
	if got, _ := db.DueSends(ctx, nextAt); len(got) != 0 {
		t.Errorf("re-arming dropped next week's nudge and kept... %+v", got)
	}
	if err := db.ArmNudge(ctx, next); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DueSends(ctx, nextAt); len(got) != 1 {
		t.Errorf("next week's nudge: %d due, want 1", len(got))
	}
	if err := db.DisarmNudge(ctx, "A", "alice"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.DueSends(ctx, nextAt); len(got) != 0 {
		t.Errorf("a disarmed nudge is due: %+v", got)
	}
}

func TestCheckIns(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	w1, w2 := bot.NewDay(2026, 11, 9), bot.NewDay(2026, 11, 16)
	for _, c := range []bot.CheckIn{
		{PlanID: p.ID, TeamID: "A", Week: w2, Estimate: bot.EstimateHalf, Used: 6, By: "alice", At: planStart},
		{PlanID: p.ID, TeamID: "A", Week: w1, Estimate: bot.EstimateFew, Used: 2, By: "alice", At: planStart},
		{PlanID: p.ID, TeamID: "A", Week: w2, Estimate: bot.EstimateCount, Used: 7, By: "bob", At: planStart},
	} {
		if err := db.RecordCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.CheckIns(ctx, p.ID)
	if err != nil || len(got) != 2 || got[0].Week != w1 || got[1].Used != 7 || got[1].By != "bob" {
		t.Errorf("check-ins %+v %v, want week 1 then week 2 answered 7 by bob", got, err)
	}
	if err := db.RecordCheckIn(ctx, bot.CheckIn{PlanID: p.ID, TeamID: "B", Week: w1}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("another team's check-in: %v, want not found", err)
	}
}

func TestAvailability(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	if s, err := db.ReminderSettings(ctx, "A", "alice"); err != nil || s != bot.DefaultReminderSettings() {
		t.Errorf("settings never chosen: %+v %v, want the defaults", s, err)
	}
	mine := bot.ReminderSettings{QuietFrom: 22 * 60, QuietTo: 7 * 60, Days: 0x7f, Muted: true, NudgeDay: time.Friday, NudgeAt: 16 * 60}
	if err := db.SetReminderSettings(ctx, "A", "alice", mine); err != nil {
		t.Fatal(err)
	}
	if s, _ := db.ReminderSettings(ctx, "A", "alice"); s != mine {
		t.Errorf("settings read back %+v, want %+v", s, mine)
	}
	db.SetAway(ctx, bot.Away{TeamID: "A", UserID: "alice", From: bot.NewDay(2026, 7, 1), Until: bot.NewDay(2026, 7, 20)})
	db.SetAway(ctx, bot.Away{TeamID: "A", From: bot.NewDay(2026, 8, 1), Until: bot.NewDay(2026, 8, 21)})
	if as, _ := db.Absences(ctx, "A", bot.NewDay(2026, 7, 20)); !as.Away("alice", bot.NewDay(2026, 7, 20)) || as.Away("bob", bot.NewDay(2026, 7, 20)) {
		t.Errorf("absences on 07-20: %+v", as)
	}
	if as, _ := db.Absences(ctx, "B", bot.NewDay(2026, 8, 2)); len(as) != 0 {
		t.Errorf("team B sees A's closure: %+v", as)
	}
	db.EndAway(ctx, "A", "alice")
	if as, _ := db.Absences(ctx, "A", bot.NewDay(2026, 7, 10)); len(as) != 0 {
		t.Errorf("an ended absence remains: %+v", as)
	}
}

// A change the thread must hear of is queued with it, and not when the
// edit fails; FollowedPlans leaves archived plans out.
func TestEditPlanSayingQueuesWithTheChange(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	p := MustCreatePlan(t, db, newPlan("A"))
	archived := MustCreatePlan(t, db, newPlan("B"))
	if _, err := db.EditPlan(ctx, archived.ID, func(p *bot.Plan) ([]bot.Send, error) { p.ArchivedAt = planStart; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	say := []bot.Envelope{{Message: bot.Message{ChannelID: "ch", RootID: "cardA", Text: "alice left"}}}
	before := letters(t, db)
	_, err := db.EditPlanSaying(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, []bot.Envelope, error) {
		p.HandOver("alice", nil)
		return nil, say, bot.Errorf(bot.ECONFLICT, "plan.error.archived")
	})
	if err == nil || letters(t, db) != before {
		t.Fatalf("a failed edit: %v, %d letters queued", err, letters(t, db)-before)
	}
	edited, err := db.EditPlanSaying(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, []bot.Envelope, error) {
		p.HandOver("alice", nil)
		return p.FollowUps(planStart, nil, nil), say, nil
	})
	if err != nil || letters(t, db) != before+1 || edited.IsReferent("alice") {
		t.Fatalf("edit: %v, %d letters queued, referents %v", err, letters(t, db)-before, edited.Referents)
	}
	followed, err := db.FollowedPlans(ctx)
	if err != nil || len(followed) != 1 || followed[0].ID != p.ID {
		t.Errorf("followed plans = %d %v, want only the plan not archived", len(followed), err)
	}
}

// The diagnostic's report reads each plan's latest adoption estimate: only
// the team's plans with a tool and check-ins, the latest week of each.
func TestTeamAdoption(t *testing.T) {
	db, _ := MustOpen(t)
	ctx := context.Background()
	withTool := func(team string) *bot.Plan {
		p := newPlan(team)
		p.ToolID = "nextcloud"
		return MustCreatePlan(t, db, p)
	}
	p, quiet, other := withTool("A"), withTool("A"), withTool("B")
	w1, w2 := bot.NewDay(2026, 11, 9), bot.NewDay(2026, 11, 16)
	for _, c := range []bot.CheckIn{
		{PlanID: p.ID, TeamID: "A", Week: w2, Estimate: bot.EstimateCount, Used: 7, By: "bob", At: planStart},
		{PlanID: p.ID, TeamID: "A", Week: w1, Estimate: bot.EstimateFew, Used: 2, By: "alice", At: planStart},
		{PlanID: other.ID, TeamID: "B", Week: w1, Estimate: bot.EstimateAll, Used: 12, By: "alice", At: planStart},
	} {
		if err := db.RecordCheckIn(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got, err := db.TeamAdoption(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Plan != p.Number || got[0].ToolID != "nextcloud" || got[0].Week != w2 || got[0].Percent != 58 {
		t.Errorf("team A's adoption %+v, want plan #%d at 58%% (7 of 12) the week of %s, and not plan #%d (no check-in)",
			got, p.Number, w2, quiet.Number)
	}
}
