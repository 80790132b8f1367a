package plan_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"balise/bot"
	"balise/bot/background"
	"balise/commands/commandstest"
	"balise/commands/plan"
	"balise/storage"
)

// zoned is the fake chat with each member's own time zone.
type zoned struct {
	*commandstest.Chat
	zones map[string]*time.Location
}

func (z *zoned) Member(ctx context.Context, userID string) (bot.Member, error) {
	m, err := z.Chat.Member(ctx, userID)
	if loc, ok := z.zones[userID]; ok {
		m.Location = loc
	}
	return m, err
}

// fixture is the plans capability on a rig, a fresh database and a fake
// clock.
type fixture struct {
	t     testing.TB
	rig   *commandstest.Rig
	db    *storage.DB
	clock *clockwork.FakeClock
	plans *plan.Plans
	chat  *zoned
	post  *background.Postman
	// holidays are the team's; the French calendar when nil.
	holidays bot.Holidays
}

func MustPlans(tb testing.TB, at time.Time) *fixture {
	tb.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "b.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	f := &fixture{t: tb, rig: commandstest.New(tb), db: db, clock: clockwork.NewFakeClockAt(at)}
	db.Now = f.clock.Now
	f.chat = &zoned{Chat: f.rig.Chat, zones: map[string]*time.Location{}}
	f.rig.Chat.Members["board"] = []string{"camille", "alex"}
	f.post = background.NewPostman(f.rig.Work, db, f.chat)
	f.plans = f.build()
	f.rig.Serve(f.plans)
	return f
}

// build makes a new capability on the same database: a restart.
func (f *fixture) build() *plan.Plans {
	return plan.New(plan.Config{Kit: f.rig.Kit, Store: f.db, Chat: f.chat, Work: f.rig.Work, Postman: f.post, Clock: f.clock,
		Holidays: f.holidays})
}

func paris(tb testing.TB) *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

// at moves the clock to t, dispatches what is due and delivers it.
func (f *fixture) at(t time.Time) {
	f.t.Helper()
	f.advance(t)
	f.rig.Settle()
	if err := f.plans.Dispatch(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	f.rig.Settle()
	if err := f.post.Deliver(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// advance moves the clock to t. A timer that fires runs its dispatch in
// the background, which re-arms the timer for the next send: wait for that
// timer, not for time.
func (f *fixture) advance(t time.Time) {
	f.t.Helper()
	f.rig.Settle() // no dispatch under way: only the timer's can re-arm it
	f.clock.Advance(t.Sub(f.clock.Now()))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.clock.BlockUntilContext(ctx, 1); err != nil {
		f.t.Fatal("the timer was not re-armed:", err)
	}
}

// restart stops the capability and builds a new one on the same database.
func (f *fixture) restart() {
	f.rig.Settle()
	f.plans.Stop()
	f.plans = f.build()
	f.rig.Serve(f.plans)
	if err := f.plans.Dispatch(context.Background()); err != nil { // the job's first run, at start
		f.t.Fatal(err)
	}
}

// card returns the plan card, the first post.
func (f *fixture) card() bot.Message {
	f.t.Helper()
	posts := f.rig.Chat.Posts()
	if len(posts) == 0 {
		f.t.Fatal("no card posted")
	}
	return f.rig.Chat.PostOf(posts[0])
}

func button(tb testing.TB, m bot.Message, prefix string) map[string]any {
	tb.Helper()
	for _, c := range append([]*bot.Card{m.Card}, m.More...) {
		if c == nil {
			continue
		}
		for _, b := range c.Buttons {
			if strings.HasPrefix(b.ID, prefix) {
				return b.Context
			}
		}
	}
	tb.Fatalf("no button %s in %q", prefix, m.Text)
	return nil
}

// newPlan types the standard plan of the tests: started on Tuesday 1
// December 2026, its first step due on the 15th.
func (f *fixture) newPlan() {
	f.t.Helper()
	got := f.rig.Run("camille", "plan", `nouveau "Passer à Nextcloud" --outil nextcloud --referents @camille @alex --debut 1/12 --membres 10`)
	if !strings.Contains(got, "Plan #1") {
		f.t.Fatalf("reply = %q, want plan #1 created", got)
	}
	f.rig.Settle()
}

func TestNewPlanPostsItsCard(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	card := f.card()
	if !strings.Contains(card.Card.Title, "#1 Passer à Nextcloud") || !strings.Contains(card.Card.Text, "2 étape(s) sur 8") {
		t.Errorf("card = %q / %q, want the title and 2 of 8 steps done", card.Card.Title, card.Card.Text)
	}
	if !strings.Contains(card.Card.Text, "@alex") || len(card.Card.Buttons) != 6 {
		t.Errorf("card = %q with %d buttons, want its referents and the next step's 5 buttons and the curve", card.Card.Text, len(card.Card.Buttons))
	}
	if got := f.rig.Run("camille", "plan", "liste"); !strings.Contains(got, "#1") {
		t.Errorf("list = %q, want plan #1", got)
	}
	if got := f.rig.Run("alex", "plan", "show #1"); !strings.Contains(got, "due Tue 15 Dec") {
		t.Errorf("show in English = %q, want its steps with English dates", got)
	}
	if got := f.rig.Run("camille", "plan", "nouveau --modele rien"); !strings.Contains(got, "rien") {
		t.Errorf("bad template = %q, want it named", got)
	}
}

func TestOnlyChannelMembersStartAPlan(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	got := f.rig.Run("dominique", "plan", `new "Move"`)
	if !strings.Contains(got, "membres de ce canal") {
		t.Errorf("reply = %q, want a refusal", got)
	}
	if len(f.rig.Chat.Posts()) != 0 {
		t.Error("a card was posted for a stranger")
	}
}

// The ladder from creation: the day before, one message with the step's
// buttons (and the weekly look, the same day: one message); Done, a stale
// click, +7 days, Blocked; a restart repeats nothing.
func TestFollowUpsFromCreationToDone(t *testing.T) {
	loc := paris(t)
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	// Monday 14 December, 09:00 in Paris: step 1 is due tomorrow.
	f.at(time.Date(2026, 12, 14, 9, 0, 0, 0, loc))
	dms := f.rig.Chat.DMs("camille")
	if len(dms) != 1 {
		t.Fatalf("camille got %d messages, want 1 (follow-up and weekly look together)", len(dms))
	}
	m := dms[0]
	if !strings.Contains(m.Text, "Demain") && !strings.Contains(m.Text, "demain") {
		t.Errorf("follow-up = %q, want the day before", m.Text)
	}
	if !strings.Contains(m.Text, "point") && !strings.Contains(m.Text, "semaine") {
		t.Errorf("follow-up = %q, want the weekly look with it", m.Text)
	}
	// Again at the same moment, and after a restart: nothing more.
	f.at(time.Date(2026, 12, 14, 9, 0, 1, 0, loc))
	f.restart()
	f.at(time.Date(2026, 12, 14, 9, 0, 2, 0, loc))
	if n := len(f.rig.Chat.DMs("camille")); n != 1 {
		t.Fatalf("camille got %d messages after a restart, want still 1", n)
	}
	done := button(t, m, "done1x1")
	if code, text := f.rig.ClickContext("camille", "dm", done); code != 200 || !strings.Contains(text, "Merci") {
		t.Fatalf("done = %d %q", code, text)
	}
	f.rig.Settle()
	if !strings.Contains(f.card().Card.Text, "3 ") {
		t.Errorf("card = %q, want 3 steps done", f.card().Card.Text)
	}
	if _, text := f.rig.ClickContext("camille", "dm", done); !strings.Contains(text, "dépassée") {
		t.Errorf("stale click = %q, want plan.step.stale", text)
	}
	// Step 1 done: its due-day follow-up never comes. Step 4 (funding, due
	// 19 January, a Tuesday): +7 days from its follow-up.
	f.at(time.Date(2026, 12, 15, 9, 0, 0, 0, loc))
	if n := len(f.rig.Chat.DMs("camille")); n != 1 {
		t.Errorf("camille got %d messages, want nothing about a done step", n)
	}
	f.at(time.Date(2027, 1, 18, 9, 0, 0, 0, loc))
	dms = f.rig.Chat.DMs("camille")
	later := button(t, dms[len(dms)-1], "later1x4")
	if _, text := f.rig.ClickContext("camille", "dm", later); !strings.Contains(text, "26 janv.") {
		t.Errorf("+7 days = %q, want 26 January", text)
	}
	if _, text := f.rig.ClickContext("camille", "dm", later); !strings.Contains(text, "dépassée") {
		t.Errorf("second +7 days on the old follow-up = %q, want plan.step.stale", text)
	}
	// Blocked, with a reason: the plan's thread hears it.
	block := button(t, f.rig.Chat.PostOf(f.rig.Chat.Posts()[0]), "block1x4")
	f.rig.ClickContext("camille", "board", block)
	if code, resp := f.rig.Submit("camille", "board", "planblock", map[string]any{"reason": "Pas de budget avant mars"}); code != 200 || resp.Error != "" {
		t.Fatalf("blocked = %d %+v", code, resp)
	}
	f.rig.Settle()
	f.post.Deliver(context.Background())
	found := false
	for _, id := range f.rig.Chat.Posts() {
		if p := f.rig.Chat.PostOf(id); p.RootID != "" && strings.Contains(p.Text, "Pas de budget") {
			found = true
		}
	}
	if !found {
		t.Error("the blocked reason was not posted in the plan's thread")
	}
}

func TestAdoptionCheckInAndCurve(t *testing.T) {
	loc := paris(t)
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.at(time.Date(2026, 11, 30, 9, 0, 0, 0, loc)) // the first weekly look
	dms := f.rig.Chat.DMs("alex")
	if len(dms) != 1 {
		t.Fatalf("alex got %d messages, want the weekly look", len(dms))
	}
	half := button(t, dms[0], "cihalf")
	if _, text := f.rig.ClickContext("alex", "dm", half); !strings.Contains(text, "Thank you") {
		t.Errorf("check-in = %q", text)
	}
	f.at(time.Date(2026, 12, 7, 9, 0, 0, 0, loc))
	dms = f.rig.Chat.DMs("alex")
	f.rig.ClickContext("alex", "dm", button(t, dms[len(dms)-1], "cn"))
	if code, resp := f.rig.Submit("alex", "dm", "plancount", map[string]any{"used": "7"}); code != 200 || len(resp.Errors) > 0 {
		t.Fatalf("number = %d %+v", code, resp)
	}
	if code, resp := f.rig.Submit("alex", "dm", "plancount", map[string]any{"used": "70"}); code != 200 || resp.Errors["used"] == "" {
		t.Errorf("70 of 10 = %d %+v, want a field error", code, resp)
	}
	got := f.rig.Run("alex", "plan", "adoption #1")
	if !strings.Contains(got, "thread") {
		t.Fatalf("adoption = %q", got)
	}
	posts := f.rig.Chat.Posts()
	last := posts[len(posts)-1]
	files := f.rig.Chat.Files(last)
	if len(files) != 1 || !bytes.HasPrefix(files[0].Data, []byte("\x89PNG")) {
		t.Fatalf("files = %d, want one PNG", len(files))
	}
	if text := f.rig.Chat.PostOf(last).Text; !strings.Contains(text, "50%") || !strings.Contains(text, "70%") {
		t.Errorf("table = %q, want 50%% then 70%%", text)
	}
}

// The timer wakes the dispatch at the next send, within the second; no
// sleep: the fake clock fires it.
func TestTimerArmedAtTheNextSend(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.at(f.clock.Now())
	at, armed := f.plans.Armed()
	want := time.Date(2026, 11, 30, 9, 0, 0, 0, paris(t)) // the first weekly look
	if !armed || !at.Equal(want) {
		t.Fatalf("armed = %v %v, want %v", armed, at, want)
	}
	f.advance(at)
	f.rig.Settle()
	f.post.Deliver(context.Background())
	if n := len(f.rig.Chat.DMs("camille")); n != 1 {
		t.Errorf("camille got %d messages when the timer fired, want 1", n)
	}
	if next, _ := f.plans.Armed(); !next.After(want) {
		t.Errorf("re-armed at %v, want after %v", next, want)
	}
}

func TestAwayHandsFollowUpsToTheOtherReferent(t *testing.T) {
	loc := paris(t)
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.at(time.Date(2026, 12, 7, 9, 0, 0, 0, loc))
	if got := f.rig.Run("camille", "plan", "absent jusqu'au 31/12"); !strings.Contains(got, "31 déc.") {
		t.Fatalf("away = %q", got)
	}
	before := len(f.rig.Chat.DMs("alex"))
	f.at(time.Date(2026, 12, 14, 9, 0, 0, 0, loc))
	if n := len(f.rig.Chat.DMs("camille")); n != 1 {
		t.Errorf("camille, away, got %d messages, want only the one before", n)
	}
	dms := f.rig.Chat.DMs("alex")
	if len(dms) != before+1 || !strings.Contains(dms[len(dms)-1].Text, "@camille") {
		t.Errorf("alex got %d new messages (%v), want one standing in for @camille", len(dms)-before, dms)
	}
}

func TestNudgeSettingAndParsing(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	if got := f.rig.Run("camille", "plan", "relance vendredi 16h30"); !strings.Contains(got, "vendredi") || !strings.Contains(got, "16:30") {
		t.Errorf("nudge = %q", got)
	}
	f.at(f.clock.Now())
	if at, _ := f.plans.Armed(); !at.Equal(time.Date(2026, 11, 27, 16, 30, 0, 0, paris(t))) {
		t.Errorf("next send = %v, want camille's look on Friday 27 at 16:30", at)
	}
	if got := f.rig.Run("camille", "plan", "relance jamais"); !strings.Contains(got, "lundi 9h") {
		t.Errorf("bad nudge = %q, want the example", got)
	}
}

// A decision's or a diagnostic's "Start a plan" opens the form prefilled;
// the form creates the plan.
func TestStartAPlanFromAButton(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	ctx := f.rig.Kit.Button("start", "Start", "primary", "planstart", map[string]string{"team": "team", "title": "Passer à Nextcloud", "tool": "nextcloud"}).Context
	if code, _ := f.rig.ClickContext("camille", "post", ctx); code != 200 {
		t.Fatalf("click = %d", code)
	}
	dlgs := f.rig.Chat.Dialogs()
	if len(dlgs) != 1 || dlgs[0].Fields[0].Default != "Passer à Nextcloud" || dlgs[0].Fields[1].Default != "nextcloud" {
		t.Fatalf("dialogs = %+v, want the form prefilled", dlgs)
	}
	if code, resp := f.rig.Submit("camille", "board", "plan", map[string]any{"title": "Passer à Nextcloud", "tool": "nextcloud",
		"referents": "@nobody", "template": "standard"}); code != 200 || resp.Errors["referents"] == "" {
		t.Errorf("unknown referent = %d %+v, want a field error", code, resp)
	}
	if code, resp := f.rig.Submit("camille", "board", "plan", map[string]any{"title": "Passer à Nextcloud", "tool": "nextcloud",
		"template": "standard", "members": float64(12)}); code != 200 || resp.Error != "" || len(resp.Errors) > 0 {
		t.Fatalf("submit = %d %+v", code, resp)
	}
	if !strings.Contains(f.card().Card.Title, "Passer à Nextcloud") {
		t.Errorf("card = %+v", f.card().Card)
	}
}
