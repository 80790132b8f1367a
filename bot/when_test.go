package bot_test

import (
	"testing"
	"time"

	"balise/bot"
)

func MustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

func TestParseWhen(t *testing.T) {
	paris := MustLoad(t, "Europe/Paris")
	// Wednesday 2026-03-25 10:00 in Paris, four days before the spring change.
	spring := time.Date(2026, 3, 25, 10, 0, 0, 0, paris)
	// Thursday 2026-10-22 10:00 in Paris, three days before the autumn change.
	autumn := time.Date(2026, 10, 22, 10, 0, 0, 0, paris)
	// Monday 2026-11-23 10:00 in Paris.
	nov := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	for _, c := range []struct {
		in   string
		now  time.Time
		want time.Time
	}{
		{"30min", nov, nov.Add(30 * time.Minute)},
		{"48h", spring, spring.Add(48 * time.Hour)},
		{"48 heures", spring, spring.Add(48 * time.Hour)},
		// calendar days: the same time of day across the change, 167 or 169 hours
		{"7d", spring, time.Date(2026, 4, 1, 10, 0, 0, 0, paris)},
		{"7j", autumn, time.Date(2026, 10, 29, 10, 0, 0, 0, paris)},
		{"+3j", autumn, time.Date(2026, 10, 25, 10, 0, 0, 0, paris)},
		{"2w", spring, time.Date(2026, 4, 8, 10, 0, 0, 0, paris)},
		{"2sem", nov, time.Date(2026, 12, 7, 10, 0, 0, 0, paris)},
		{"in 2 weeks", nov, time.Date(2026, 12, 7, 10, 0, 0, 0, paris)},
		{"dans 2 semaines", nov, time.Date(2026, 12, 7, 10, 0, 0, 0, paris)},
		{"1 mois", nov, time.Date(2026, 12, 23, 10, 0, 0, 0, paris)},
		// a date alone is at the default hour, 18:00 local on change days too
		{"2026-03-29", spring, time.Date(2026, 3, 29, 18, 0, 0, 0, paris)},
		{"2026-10-25", autumn, time.Date(2026, 10, 25, 18, 0, 0, 0, paris)},
		{"29/3", spring, time.Date(2026, 3, 29, 18, 0, 0, 0, paris)},
		{"25/10/2026", autumn, time.Date(2026, 10, 25, 18, 0, 0, 0, paris)},
		{"2026-12-01 09:30", nov, time.Date(2026, 12, 1, 9, 30, 0, 0, paris)},
		{"2026-12-01T09:30", nov, time.Date(2026, 12, 1, 9, 30, 0, 0, paris)},
		{"1/12", nov, time.Date(2026, 12, 1, 18, 0, 0, 0, paris)},
		{"01/12 18:00", nov, time.Date(2026, 12, 1, 18, 0, 0, 0, paris)},
		{"1/12/26 9h", nov, time.Date(2026, 12, 1, 9, 0, 0, 0, paris)},
		{"1er décembre", nov, time.Date(2026, 12, 1, 18, 0, 0, 0, paris)},
		{"15 janvier", nov, time.Date(2027, 1, 15, 18, 0, 0, 0, paris)}, // past this year: next year's
		{"1/3", nov, time.Date(2027, 3, 1, 18, 0, 0, 0, paris)},
		{"23/11", nov, time.Date(2026, 11, 23, 18, 0, 0, 0, paris)}, // today stays today
		{"demain", nov, time.Date(2026, 11, 24, 18, 0, 0, 0, paris)},
		{"Demain à 8h30", nov, time.Date(2026, 11, 24, 8, 30, 0, 0, paris)},
		{"tomorrow at 7:05", nov, time.Date(2026, 11, 24, 7, 5, 0, 0, paris)},
		{"après-demain", nov, time.Date(2026, 11, 25, 18, 0, 0, 0, paris)},
		{"aujourd’hui", nov, time.Date(2026, 11, 23, 18, 0, 0, 0, paris)},
		{"lundi", nov, time.Date(2026, 11, 30, 18, 0, 0, 0, paris)}, // said on a Monday: next week's
		{"mardi", nov, time.Date(2026, 11, 24, 18, 0, 0, 0, paris)},
		{"Friday", nov, time.Date(2026, 11, 27, 18, 0, 0, 0, paris)},
		{"dimanche 9h", spring, time.Date(2026, 3, 29, 9, 0, 0, 0, paris)},
		{"lundi prochain 9h", nov, time.Date(2026, 11, 30, 9, 0, 0, 0, paris)},
		{"next monday", nov, time.Date(2026, 11, 30, 18, 0, 0, 0, paris)},
		{"14h", nov, nov.Add(14 * time.Hour)}, // a duration, as /decide has always read it
		{"à 14h", nov, time.Date(2026, 11, 23, 14, 0, 0, 0, paris)},
		{"9:00", nov, time.Date(2026, 11, 24, 9, 0, 0, 0, paris)}, // passed today: tomorrow
	} {
		got, err := bot.ParseWhen(c.in, c.now, paris, 18)
		if err != nil {
			t.Errorf("ParseWhen(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) {
			t.Errorf("ParseWhen(%q, %s) = %s, want %s", c.in, c.now.Format(time.DateTime), got.In(paris), c.want)
		}
	}
}

// The daylight-saving bug of /decide: a date alone must close at 18:00
// local, not 19:00 or 17:00, on the days the clocks change.
func TestParseWhenDateAloneOnChangeDays(t *testing.T) {
	paris := MustLoad(t, "Europe/Paris")
	now := time.Date(2026, 1, 5, 10, 0, 0, 0, paris)
	for in, wantUTC := range map[string]time.Time{
		"2026-03-29": time.Date(2026, 3, 29, 16, 0, 0, 0, time.UTC),  // CEST, UTC+2
		"2026-10-25": time.Date(2026, 10, 25, 17, 0, 0, 0, time.UTC), // CET, UTC+1
	} {
		got, err := bot.ParseWhen(in, now, paris, 18)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(wantUTC) || got.In(paris).Hour() != 18 {
			t.Errorf("ParseWhen(%q) = %s, want 18:00 local (%s)", in, got.In(paris), wantUTC)
		}
	}
}

func TestParseWhenRefuses(t *testing.T) {
	for _, in := range []string{"", "bientôt", "31/2", "2026-02-30", "13/13", "25:00", "à", "demain à", "12:75", "lundi 25h", "7x", "2026-13-01", "-3j"} {
		_, err := bot.ParseWhen(in, time.Now(), time.UTC, 18)
		if e, ok := err.(*bot.Error); !ok || e.Code != bot.EINVALID || e.Key != "when.error.format" || e.Args["value"] != in {
			t.Errorf("ParseWhen(%q) = %v, want when.error.format naming the value", in, err)
		}
	}
}

func TestParseDay(t *testing.T) {
	paris := MustLoad(t, "Europe/Paris")
	montreal := MustLoad(t, "America/Montreal")
	// 23:30 in Paris is still the evening before in Montreal.
	now := time.Date(2026, 11, 23, 23, 30, 0, 0, paris)
	for _, c := range []struct {
		in   string
		loc  *time.Location
		want bot.Day
	}{
		{"1/12", paris, bot.NewDay(2026, 12, 1)},
		{"1/12 18:00", paris, bot.NewDay(2026, 12, 1)},
		{"demain", paris, bot.NewDay(2026, 11, 24)},
		{"demain", montreal, bot.NewDay(2026, 11, 24)},
		{"aujourd'hui", montreal, bot.NewDay(2026, 11, 23)},
		{"2h", paris, bot.NewDay(2026, 11, 24)},
		{"7j", paris, bot.NewDay(2026, 11, 30)},
		{"dans 2 semaines", paris, bot.NewDay(2026, 12, 7)},
	} {
		got, err := bot.ParseDay(c.in, now, c.loc)
		if err != nil || got != c.want {
			t.Errorf("ParseDay(%q in %s) = %s, %v; want %s", c.in, c.loc, got, err, c.want)
		}
	}
}

func TestDay(t *testing.T) {
	d := bot.NewDay(2026, 3, 29)
	if got := d.Weekday(); got != time.Sunday {
		t.Errorf("weekday of %s = %s, want Sunday", d, got)
	}
	if got := d.Monday(); got != bot.NewDay(2026, 3, 23) {
		t.Errorf("Monday of %s = %s, want 2026-03-23", d, got)
	}
	if got := bot.NewDay(2026, 3, 23).Monday(); got != bot.NewDay(2026, 3, 23) {
		t.Errorf("Monday of a Monday = %s, want itself", got)
	}
	if got := d.AddDays(3); got != bot.NewDay(2026, 4, 1) {
		t.Errorf("%s + 3 days = %s, want 2026-04-01", d, got)
	}
	if got := bot.NewDay(2026, 4, 1).DaysSince(d); got != 3 {
		t.Errorf("days from %s to 2026-04-01 = %d, want 3", d, got)
	}
	if p, err := bot.ParseISODay(d.String()); err != nil || p != d {
		t.Errorf("ParseISODay(%s) = %s, %v", d, p, err)
	}
	if !bot.NewDay(2026, 1, 1).Before(d) || d.Before(d) || !d.After(bot.NewDay(2026, 1, 1)) {
		t.Error("Before/After disagree with the calendar")
	}
}
