package bot_test

import (
	"reflect"
	"testing"
	"time"

	"balise/bot"
)

// newPlan is a standard plan started Monday 2026-03-02, in Paris.
func newPlan(tb testing.TB, referents ...string) *bot.Plan {
	tb.Helper()
	p := &bot.Plan{ID: 7, TeamID: "team", Number: 1, ChannelID: "ch", CreatorID: "creator", Lang: bot.French,
		Location: MustLoad(tb, "Europe/Paris"), Title: "Passer à Nextcloud", Referents: referents,
		Start: bot.NewDay(2026, 3, 2), Target: 20, CreatedAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	p.Lay(bot.StandardTemplate, func(k bot.StepKind) string { return string(k) })
	if err := p.Validate(); err != nil {
		tb.Fatal(err)
	}
	return p
}

func TestLayStandardTemplate(t *testing.T) {
	p := newPlan(t, "alice", "bob")
	if len(p.Steps) != len(bot.StandardSteps) {
		t.Fatalf("got %d steps, want %d", len(p.Steps), len(bot.StandardSteps))
	}
	for i, s := range p.Steps {
		want := bot.StandardSteps[i]
		if s.Number != i+1 || s.Kind != want.Kind || s.OwnerID != "alice" || s.Due != p.Start.AddDays(want.Offset) {
			t.Errorf("step %d = %+v, want kind %s owned by alice due %s", i+1, s, want.Kind, p.Start.AddDays(want.Offset))
		}
	}
	// referents given: that step is settled; no tool yet: the choice is not
	if s, _ := p.Step(2); !s.Done() {
		t.Error("the referents step is not done although the plan names referents")
	}
	if s, _ := p.Step(3); s.Done() {
		t.Error("the choice of the tool is done although no tool is named")
	}
	empty := &bot.Plan{Start: p.Start, CreatorID: "c"}
	empty.Lay(bot.EmptyTemplate, func(bot.StepKind) string { return "x" })
	if len(empty.Steps) != 0 {
		t.Errorf("the empty template laid %d steps", len(empty.Steps))
	}
	if tpl, err := bot.ParseTemplate("vide"); err != nil || tpl != bot.EmptyTemplate {
		t.Errorf("ParseTemplate(vide) = %q, %v", tpl, err)
	}
}

func TestPlanValidate(t *testing.T) {
	for key, edit := range map[string]func(*bot.Plan){
		"plan.error.title_empty": func(p *bot.Plan) { p.Title = "  " },
		"plan.error.mention":     func(p *bot.Plan) { p.Title = "Nextcloud @here" },
		"plan.error.target":      func(p *bot.Plan) { p.Target = 0 },
		"plan.error.start":       func(p *bot.Plan) { p.Start = bot.Day{} },
	} {
		p := newPlan(t)
		edit(p)
		if e, ok := p.Validate().(*bot.Error); !ok || e.Key != key {
			t.Errorf("Validate: got %v, want %s", p.Validate(), key)
		}
	}
}

func TestStepChanges(t *testing.T) {
	p := newPlan(t, "alice")
	at := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if ok, err := p.Tick(1, "bob", at); !ok || err != nil {
		t.Fatalf("Tick: %v %v", ok, err)
	}
	if ok, _ := p.Tick(1, "bob", at); ok {
		t.Error("a second tick changed the step")
	}
	if done, total := p.Progress(); done != 2 || total != 8 {
		t.Errorf("progress %d/%d, want 2/8", done, total)
	}
	if ok, _ := p.Untick(1); !ok {
		t.Error("Untick of a ticked step changed nothing")
	}
	today := bot.NewDay(2026, 3, 20) // step 1 was due 03-16: late
	if due, _ := p.Postpone(1, today, 7); due != bot.NewDay(2026, 3, 27) {
		t.Errorf("+7 days on a late step: due %s, want 7 days from today 2026-03-27", due)
	}
	if due, _ := p.Postpone(4, today, 7); due != bot.NewDay(2026, 4, 27) {
		t.Errorf("+7 days on a coming step: due %s, want 2026-04-27", due)
	}
	if _, err := p.Step(99); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("Step(99): %v, want not found", err)
	}
	s, err := p.AddStep("Charte d'usage", "bob", bot.Day{})
	if err != nil || s.Number != 9 {
		t.Fatalf("AddStep: %+v %v, want number 9", s, err)
	}
	if err := p.Block(2, "waiting"); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("blocking a done step: %v, want conflict", err)
	}
	if !p.MayTick("bob", 9) || p.MayTick("bob", 1) || !p.MayTick("alice", 1) || !p.MayEdit("creator") {
		t.Error("MayTick/MayEdit: wrong rights for owner, stranger, referent or creator")
	}
}

func TestOpenAndOverdue(t *testing.T) {
	p := newPlan(t, "alice")
	p.AddStep("Sans date", "", bot.Day{})
	var nums []int
	for _, s := range p.Overdue(bot.NewDay(2026, 4, 7)) { // due 03-16 and 04-06; 03-23 is done
		nums = append(nums, s.Number)
	}
	if !reflect.DeepEqual(nums, []int{1, 3}) {
		t.Errorf("overdue steps %v, want [1 3]", nums)
	}
	all := p.Open(bot.Day{})
	if last := all[len(all)-1]; last.Number != 9 {
		t.Errorf("the step without a due date comes at %d, want last", last.Number)
	}
}

func TestHandOver(t *testing.T) {
	p := newPlan(t, "alice", "bob")
	h := p.HandOver("alice", nil)
	if len(h.Moved) != 7 || h.Heir != "bob" || !h.WasReferent || p.Referents[0] != "bob" || len(p.Referents) != 1 {
		t.Fatalf("handover %+v, referents %v; want 7 open steps to bob", h, p.Referents)
	}
	if s, _ := p.Step(1); s.OwnerID != "bob" {
		t.Errorf("step 1 owner %q, want bob", s.OwnerID)
	}
	if s, _ := p.Step(2); s.OwnerID != "alice" {
		t.Errorf("a done step changed owner to %q", s.OwnerID)
	}
	h = p.HandOver("bob", nil)
	if s, _ := p.Step(1); s.OwnerID != "creator" || !h.CreatorReferent || !reflect.DeepEqual(p.Referents, []string{"creator"}) {
		t.Errorf("with no referent left, step 1 owner %q, referents %v; want the creator, now referent", s.OwnerID, p.Referents)
	}
	if h = p.HandOver("nobody", nil); len(h.Moved) != 0 || h.WasReferent || h.CreatorReferent {
		t.Errorf("someone not in the plan: %+v", h)
	}
}

// Two referents gone at once: the first's steps skip the second, and go to
// the creator; with the creator gone too, to nobody.
func TestHandOverSkipsWhoLeftToo(t *testing.T) {
	p := newPlan(t, "alice", "bob")
	gone := func(id string) bool { return id == "alice" || id == "bob" }
	if h := p.HandOver("alice", gone); h.Heir != "creator" || !h.CreatorReferent {
		t.Errorf("alice and bob gone: %+v, want the creator", h)
	}
	if h := p.HandOver("bob", gone); h.Heir != "creator" || !reflect.DeepEqual(p.Referents, []string{"creator"}) {
		t.Errorf("bob: %+v, referents %v", h, p.Referents)
	}
	q := newPlan(t, "alice")
	all := func(string) bool { return true }
	if h := q.HandOver("alice", all); h.Heir != "" || len(h.Moved) == 0 || len(q.Referents) != 0 {
		t.Errorf("everyone gone: %+v, referents %v; want nobody", h, q.Referents)
	}
	if s, _ := q.Step(1); s.OwnerID != "" {
		t.Errorf("step 1 owner %q, want nobody", s.OwnerID)
	}
}

func TestAwayAndRecipients(t *testing.T) {
	p := newPlan(t, "alice", "bob")
	day := bot.NewDay(2026, 7, 15)
	away := bot.Absences{{UserID: "alice", From: bot.NewDay(2026, 7, 1), Until: day}}
	never := func(string) bool { return false }
	due := bot.Send{Kind: bot.DueToday, To: "alice"}
	if got := p.Recipients(due, day, away, never); !reflect.DeepEqual(got, []string{"bob"}) {
		t.Errorf("alice away: follow-up goes to %v, want bob", got)
	}
	if got := p.Recipients(due, day.AddDays(1), away, never); !reflect.DeepEqual(got, []string{"alice"}) {
		t.Errorf("alice back: follow-up goes to %v, want alice", got)
	}
	bobMuted := func(u string) bool { return u == "bob" }
	if got := p.Recipients(due, day, away, bobMuted); !reflect.DeepEqual(got, []string{""}) {
		t.Errorf("no stand-in: follow-up goes to %v, want the thread", got)
	}
	if got := p.Recipients(bot.Send{Kind: bot.Nudge, To: "alice"}, day, away, never); got != nil {
		t.Errorf("a nudge to someone away goes to %v, want nobody", got)
	}
	if got := p.Recipients(bot.Send{Kind: bot.Late, To: "bob"}, day, away, bobMuted); got != nil {
		t.Errorf("a muted member's message goes to %v, want nobody", got)
	}
	team := bot.Absences{{UserID: "", From: bot.NewDay(2026, 8, 1), Until: bot.NewDay(2026, 8, 21)}}
	if until, ok := team.TeamAway(bot.NewDay(2026, 8, 10)); !ok || until != bot.NewDay(2026, 8, 21) || !team.Away("bob", bot.NewDay(2026, 8, 1)) {
		t.Errorf("team closure: until %s %v", until, ok)
	}
}
