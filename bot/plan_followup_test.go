package bot_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"balise/bot"
)

// ladderOf lists a step's sends as "kind to local-time".
func ladderOf(sends []bot.Send, step int, loc *time.Location) []string {
	var out []string
	for _, s := range sends {
		if s.Step == step {
			out = append(out, fmt.Sprintf("%s %s %s", s.Kind, s.To, s.At.In(loc).Format("2006-01-02 15:04")))
		}
	}
	return out
}

func TestFollowUpLadder(t *testing.T) {
	p := newPlan(t, "alice", "bob")
	paris, montreal := p.Location, MustLoad(t, "America/Montreal")
	people := map[string]bot.Person{"bob": {ID: "bob", Location: montreal, Settings: bot.DefaultReminderSettings()}}
	easterMonday := func(d bot.Day) bool { return d == bot.NewDay(2026, 4, 6) }
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, paris)
	sends := p.FollowUps(now, people, easterMonday)
	for _, s := range sends {
		if s.TeamID != "team" || s.PlanID != 7 || s.Due.IsZero() {
			t.Errorf("send %+v lacks its keys", s)
		}
	}
	for _, c := range []struct {
		step int
		want []string
	}{
		// due Monday 03-16: the day before is a Sunday, so one reminder, Monday
		{1, []string{"due alice 2026-03-16 09:00", "overdue  2026-03-18 09:00",
			"late alice 2026-03-23 09:00", "late bob 2026-03-23 14:00"}}, // 09:00 in Montreal
		// step 2 is done: nothing
		{2, nil},
		// due Easter Monday 04-06: the reminder waits for Tuesday, the thread counts working days
		{3, []string{"due alice 2026-04-07 09:00", "overdue  2026-04-08 09:00",
			"late alice 2026-04-13 09:00", "late bob 2026-04-13 15:00"}},
		// due Monday 04-20
		{4, []string{"due alice 2026-04-20 09:00", "overdue  2026-04-22 09:00",
			"late alice 2026-04-27 09:00", "late bob 2026-04-27 15:00"}},
	} {
		if got := ladderOf(sends, c.step, paris); !reflect.DeepEqual(got, c.want) {
			t.Errorf("step %d ladder\n got %q\nwant %q", c.step, got, c.want)
		}
	}
}

func TestFollowUpDayBeforeAndChangeDays(t *testing.T) {
	p := newPlan(t, "alice")
	paris := p.Location
	p.SetDue(1, bot.NewDay(2026, 3, 30))  // Monday after the spring change
	p.SetDue(4, bot.NewDay(2026, 10, 27)) // Tuesday after the autumn change
	sends := p.FollowUps(time.Date(2026, 3, 2, 10, 0, 0, 0, paris), nil, nil)
	if got, want := ladderOf(sends, 4, paris), []string{"day_before alice 2026-10-26 09:00", "due alice 2026-10-27 09:00",
		"overdue  2026-10-29 09:00", "late alice 2026-11-03 09:00"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ladder across the autumn change\n got %q\nwant %q", got, want)
	}
	if got := ladderOf(sends, 1, paris); got[0] != "due alice 2026-03-30 09:00" {
		t.Errorf("first rung after the spring change: %q, want due at 09:00", got[0])
	}
}

func TestFollowUpsSkipDoneBlockedAndPast(t *testing.T) {
	p := newPlan(t, "alice")
	paris := p.Location
	p.Block(4, "no budget yet")
	p.Tick(5, "alice", time.Now())
	// 2026-03-25 12:00: step 1 (due 03-16) is 9 days late, step 3 due 04-06
	sends := p.FollowUps(time.Date(2026, 3, 25, 12, 0, 0, 0, paris), nil, nil)
	if got := ladderOf(sends, 1, paris); !reflect.DeepEqual(got, []string{"late alice 2026-03-23 09:00"}) {
		t.Errorf("a late step gets only the last rung reached, got %q", got)
	}
	if got := ladderOf(sends, 4, paris); len(got) != 2 || got[0] != "overdue  2026-04-22 09:00" {
		t.Errorf("a blocked step: got %q, want no owner reminder, the escalation kept", got)
	}
	if got := ladderOf(sends, 5, paris); got != nil {
		t.Errorf("a done step got %q", got)
	}
}
