package bot_test

import (
	"reflect"
	"testing"

	"balise/bot"
)

func TestParseEstimate(t *testing.T) {
	for in, want := range map[string]int{"aucun": 0, "few": 4, "la moitié": 10, "most": 16, "Tout le monde": 20, "7": 7} {
		if _, got, err := bot.ParseEstimate(in, 20); err != nil || got != want {
			t.Errorf("ParseEstimate(%q, 20) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"21", "-1", "beaucoup"} {
		if _, _, err := bot.ParseEstimate(in, 20); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("ParseEstimate(%q, 20): %v, want invalid", in, err)
		}
	}
}

func TestAdoptionCurveAndStall(t *testing.T) {
	p := newPlan(t, "alice") // starts 2026-03-02, ends 2026-09-28 (210 days)
	week := func(n int) bot.Day { return p.Start.AddDays(7 * n) }
	var checks []bot.CheckIn
	for i, used := range []int{2, 6, 6, 6} {
		checks = append(checks, bot.CheckIn{Week: week(15 + i), Used: used})
	}
	curve := p.AdoptionCurve(checks)
	if got := []int{curve[0].Percent, curve[1].Percent, curve[3].Percent}; !reflect.DeepEqual(got, []int{10, 30, 30}) {
		t.Errorf("percents %v, want [10 30 30]", got)
	}
	if g := curve[0].Goal; g != 80*105/210 {
		t.Errorf("goal at week 15 = %d%%, want half of 80", g)
	}
	if !bot.Stalled(curve) {
		t.Error("three flat weeks are not a stall")
	}
	if bot.Stalled(curve[:3]) {
		t.Error("a rise within the last three weeks is a stall")
	}
	gap := p.AdoptionCurve([]bot.CheckIn{{Week: week(1), Used: 6}, {Week: week(2), Used: 6}, {Week: week(4), Used: 6}})
	if bot.Stalled(gap) {
		t.Error("weeks with a gap count as in a row")
	}
	if late := p.AdoptionCurve([]bot.CheckIn{{Week: week(40), Used: 1}}); late[0].Goal != bot.AdoptionGoal {
		t.Errorf("goal after the end = %d, want %d", late[0].Goal, bot.AdoptionGoal)
	}
}

func TestWeeklyNudge(t *testing.T) {
	withTool := newPlan(t, "alice")
	withTool.ID, withTool.ToolID = 1, "nextcloud"
	noTool := newPlan(t, "alice", "bob")
	noTool.ID = 2
	for _, s := range noTool.Steps {
		noTool.Tick(s.Number, "alice", noTool.CreatedAt)
	}
	week := bot.NewDay(2026, 3, 9) // step 1 due 03-16: next week
	answered := func(id int64) bool { return false }
	items := bot.WeeklyNudge("alice", week, []*bot.Plan{withTool, noTool}, answered, nil)
	if len(items) != 1 || items[0].Plan != withTool || !items[0].CheckIn || len(items[0].Steps) != 0 {
		t.Fatalf("week of 03-09: %+v, want a check-in for plan 1 only", items)
	}
	items = bot.WeeklyNudge("alice", week.AddDays(7), []*bot.Plan{withTool, noTool}, func(int64) bool { return true }, nil)
	if len(items) != 1 || len(items[0].Steps) != 1 || items[0].Steps[0].Number != 1 || items[0].CheckIn {
		t.Errorf("week of 03-16: %+v, want step 1 due, check-in answered", items)
	}
	if items := bot.WeeklyNudge("bob", week, []*bot.Plan{withTool, noTool}, answered, nil); items != nil {
		t.Errorf("nothing to act on: %+v, want no message", items)
	}
}
