package plan_test

import (
	"context"
	"testing"
	"time"

	"balise/bot"
	"balise/commands/commandstest"
)

// Weekly looks on Sunday at 02:30, quiet hours off, for a referent in Paris
// and one in Montreal, across both daylight-saving changes of each: one a
// week, never skipped nor doubled. 02:30 does not exist in Paris on 29 March
// 2026 (nor in Montreal on 8 March): that look comes at 03:30; it exists
// twice on 25 October (and 1 November in Montreal): one look.
// The clock is a fake one, moved from send to send.
func TestWeeklyLooksAcrossDaylightSaving(t *testing.T) {
	montreal, err := time.LoadLocation("America/Montreal")
	if err != nil {
		t.Fatal(err)
	}
	loc := map[string]*time.Location{"camille": paris(t), "alex": montreal}
	for _, season := range []struct {
		name       string
		from, to   time.Time
		changeDays []bot.Day
	}{
		{"spring", time.Date(2026, 2, 23, 12, 0, 0, 0, time.UTC), time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC),
			[]bot.Day{bot.NewDay(2026, 3, 8), bot.NewDay(2026, 3, 29)}},
		{"autumn", time.Date(2026, 10, 5, 12, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
			[]bot.Day{bot.NewDay(2026, 10, 25), bot.NewDay(2026, 11, 1)}},
	} {
		t.Run(season.name, func(t *testing.T) {
			f := MustPlans(t, season.from)
			f.chat.zones = loc
			f.holidays = func(bot.Day) bool { return false } // 1 November is a Sunday in 2026
			f.restart()
			ctx := context.Background()
			for _, u := range []string{"camille", "alex"} {
				s := bot.DefaultReminderSettings()
				s.QuietFrom, s.QuietTo, s.Days, s.NudgeDay, s.NudgeAt = 0, 0, 0x7f, time.Sunday, 2*60+30
				if err := f.db.SetReminderSettings(ctx, "team", u, s); err != nil {
					t.Fatal(err)
				}
			}
			f.rig.Run("camille", "plan", `new "Nextcloud" --tool nextcloud --referents @camille @alex --template empty`)
			got := map[string][]time.Time{}
			for {
				f.at(f.clock.Now())
				at, armed := f.plans.Armed()
				if !armed || at.After(season.to) {
					break
				}
				f.at(at)
				for u := range loc {
					if n := len(f.rig.Chat.DMs(u)); n > len(got[u]) {
						got[u] = append(got[u], f.clock.Now().In(loc[u]))
					}
				}
			}
			for u, times := range got {
				weeks := map[bot.Day]int{}
				for _, at := range times {
					d := bot.DayOf(at, loc[u])
					weeks[d.Monday()]++
					want := "02:30"
					if u == "camille" && d == bot.NewDay(2026, 3, 29) || u == "alex" && d == bot.NewDay(2026, 3, 8) {
						want = "03:30"
					}
					if at.Weekday() != time.Sunday || at.Format("15:04") != want {
						t.Errorf("%s's look at %v, want Sunday %s", u, at, want)
					}
				}
				for w, n := range weeks {
					if n != 1 {
						t.Errorf("%s got %d looks in the week of %s, want 1", u, n, w)
					}
				}
				for d := bot.DayOf(season.from, time.UTC).AddDays(6); d.At(12, 0, time.UTC).Before(season.to); d = d.AddDays(7) {
					if weeks[d.Monday()] != 1 {
						t.Errorf("%s: no look on Sunday %s", u, d)
					}
				}
				for _, c := range season.changeDays {
					if weeks[c.Monday()] != 1 {
						t.Errorf("%s: %d looks the week of the change on %s, want 1", u, weeks[c.Monday()], c)
					}
				}
			}
			if len(got["camille"]) == 0 || len(got["alex"]) == 0 {
				t.Fatalf("looks = %v, want some for both", got)
			}
		})
	}
}

var _ = commandstest.Now
