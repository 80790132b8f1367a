package plan_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"balise/bot"
	"balise/commands/commandstest"
)

// On start, the dispatcher rebuilds its timer from the rows: 10,000 plans
// (eight steps each, about 40,000 follow-ups waiting, 2,000 referents'
// nudges), nothing due. Each iteration is one start: a new capability and
// its first dispatch.
func BenchmarkStartWith10000Plans(b *testing.B) {
	f := MustPlans(b, commandstest.Now())
	ctx := context.Background()
	loc := paris(b)
	now := f.clock.Now()
	for i := range 10000 {
		p := &bot.Plan{TeamID: fmt.Sprintf("team%d", i%50), ChannelID: "board", CreatorID: "camille", Lang: bot.French, Location: loc,
			Title: "Plan", Target: 10, Start: bot.DayOf(now, loc).AddDays(i % 60), CreatedAt: now,
			Referents: []string{fmt.Sprintf("ref%d", i%2000)}, ToolID: "nextcloud"}
		p.Lay(bot.StandardTemplate, func(k bot.StepKind) string { return string(k) })
		if err := f.db.CreatePlan(ctx, p, p.FollowUps(now, nil, bot.FrenchHolidays)); err != nil {
			b.Fatal(err)
		}
		if i < 2000 {
			at, week := bot.DefaultReminderSettings().NextNudge(now, loc, bot.FrenchHolidays)
			if err := f.db.ArmNudge(ctx, bot.Send{TeamID: p.TeamID, To: p.Referents[0], Due: week, At: at}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		p := f.build()
		if err := p.Dispatch(ctx); err != nil {
			b.Fatal(err)
		}
		if _, armed := p.Armed(); !armed {
			b.Fatal("not armed")
		}
		if d := time.Since(start); d > time.Second {
			b.Fatalf("start took %v, want under 1 s", d)
		}
		p.Stop()
	}
}
