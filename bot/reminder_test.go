package bot_test

import (
	"testing"
	"time"

	"balise/bot"
)

func TestNextRespectsQuietHoursAndDays(t *testing.T) {
	paris := MustLoad(t, "Europe/Paris")
	def := bot.DefaultReminderSettings()
	easterMonday := func(d bot.Day) bool { return d == bot.NewDay(2026, 4, 6) }
	lunch := bot.ReminderSettings{QuietFrom: 12 * 60, QuietTo: 14 * 60, Days: 0x7f}
	for _, c := range []struct {
		name string
		s    bot.ReminderSettings
		h    bot.Holidays
		t    time.Time
		want time.Time
	}{
		{"allowed", def, nil, time.Date(2026, 3, 3, 10, 15, 0, 0, paris), time.Date(2026, 3, 3, 10, 15, 0, 0, paris)},
		{"early morning", def, nil, time.Date(2026, 3, 3, 6, 0, 0, 0, paris), time.Date(2026, 3, 3, 8, 0, 0, 0, paris)},
		{"friday night", def, nil, time.Date(2026, 3, 6, 21, 0, 0, 0, paris), time.Date(2026, 3, 9, 8, 0, 0, 0, paris)},
		{"holiday", def, easterMonday, time.Date(2026, 4, 6, 9, 0, 0, 0, paris), time.Date(2026, 4, 7, 8, 0, 0, 0, paris)},
		{"quiet at lunch", lunch, nil, time.Date(2026, 3, 7, 12, 30, 0, 0, paris), time.Date(2026, 3, 7, 14, 0, 0, 0, paris)},
		{"spring change, early", def, nil, time.Date(2026, 3, 30, 1, 0, 0, 0, paris), time.Date(2026, 3, 30, 8, 0, 0, 0, paris)},
	} {
		if got := c.s.Next(c.t, paris, c.h); !got.Equal(c.want) {
			t.Errorf("%s: Next(%s) = %s, want %s", c.name, c.t, got.In(paris), c.want)
		}
	}
	on := def.On(bot.NewDay(2026, 4, 4), 9*60, paris, easterMonday) // Saturday before Easter
	if want := time.Date(2026, 4, 7, 9, 0, 0, 0, paris); !on.Equal(want) {
		t.Errorf("On(Saturday before Easter Monday, 09:00) = %s, want %s (the time kept)", on.In(paris), want)
	}
}

// A weekly nudge comes once a week at its local time, neither skipped nor
// doubled across the daylight-saving changes of Paris (last Sundays of March
// and October) and Montreal (second Sunday of March, first of November).
func TestNextNudgeAcrossDaylightSaving(t *testing.T) {
	always := bot.ReminderSettings{Days: 0x7f} // quiet hours off, every day
	for _, c := range []struct {
		zone   string
		day    time.Weekday
		minute int
		s      bot.ReminderSettings
	}{
		{"Europe/Paris", time.Monday, 9 * 60, bot.DefaultReminderSettings()},
		{"America/Montreal", time.Monday, 9 * 60, bot.DefaultReminderSettings()},
		{"Europe/Paris", time.Sunday, 2*60 + 30, always}, // 02:30 does not exist on 2026-03-29
		{"America/Montreal", time.Sunday, 2*60 + 30, always},
		{"America/Montreal", time.Sunday, 1*60 + 30, always}, // 01:30 happens twice on 2026-11-01
	} {
		loc := MustLoad(t, c.zone)
		s := c.s
		s.NudgeDay, s.NudgeAt = c.day, c.minute
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, loc)
		var prev bot.Day
		for i := 0; i < 52; i++ {
			next, week := s.NextNudge(at, loc, nil)
			if !next.After(at) {
				t.Fatalf("%s: NextNudge(%s) = %s, not after", c.zone, at, next)
			}
			d := bot.DayOf(next, loc)
			if d.Weekday() != c.day || week != d.Monday() {
				t.Errorf("%s: nudge on %s (%s) week %s", c.zone, d, d.Weekday(), week)
			}
			if !prev.IsZero() && d.DaysSince(prev) != 7 {
				t.Errorf("%s: nudge on %s after %s: %d days, want 7", c.zone, d, prev, d.DaysSince(prev))
			}
			local := next.In(loc)
			if m := local.Hour()*60 + local.Minute(); m != c.minute && !((m == c.minute+60 || m == c.minute-60) && d == springDay(c.zone)) {
				t.Errorf("%s: nudge at %s local, want %02d:%02d", c.zone, local, c.minute/60, c.minute%60)
			}
			prev, at = d, next
		}
	}
}

// springDay is the day a zone's clocks go forward in 2026: 02:30 does not
// exist, and a nudge set then comes an hour off (later in Paris, earlier in
// Montreal, as time.Date resolves the gap), once, on that day.
func springDay(zone string) bot.Day {
	if zone == "Europe/Paris" {
		return bot.NewDay(2026, 3, 29)
	}
	return bot.NewDay(2026, 3, 8)
}

func TestNextNudgeMovesOffHolidays(t *testing.T) {
	paris := MustLoad(t, "Europe/Paris")
	easterMonday := func(d bot.Day) bool { return d == bot.NewDay(2026, 4, 6) }
	next, week := bot.DefaultReminderSettings().NextNudge(time.Date(2026, 4, 1, 12, 0, 0, 0, paris), paris, easterMonday)
	if want := time.Date(2026, 4, 7, 9, 0, 0, 0, paris); !next.Equal(want) || week != bot.NewDay(2026, 4, 6) {
		t.Errorf("nudge of Easter week = %s (week %s), want %s (week 2026-04-06)", next.In(paris), week, want)
	}
}
