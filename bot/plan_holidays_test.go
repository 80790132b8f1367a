package bot_test

import (
	"testing"
	"time"

	"balise/bot"
)

func TestEaster(t *testing.T) {
	for year, want := range map[int]bot.Day{
		2024: bot.NewDay(2024, time.March, 31), 2025: bot.NewDay(2025, time.April, 20),
		2026: bot.NewDay(2026, time.April, 5), 2027: bot.NewDay(2027, time.March, 28), 2038: bot.NewDay(2038, time.April, 25),
	} {
		if got := bot.Easter(year); got != want {
			t.Errorf("Easter(%d) = %s, want %s", year, got, want)
		}
	}
}

func TestFrenchHolidays(t *testing.T) {
	holidays := []bot.Day{
		bot.NewDay(2026, 1, 1), bot.NewDay(2026, 4, 6), bot.NewDay(2026, 5, 1), bot.NewDay(2026, 5, 8),
		bot.NewDay(2026, 5, 14), bot.NewDay(2026, 5, 25), bot.NewDay(2026, 7, 14), bot.NewDay(2026, 8, 15),
		bot.NewDay(2026, 11, 1), bot.NewDay(2026, 11, 11), bot.NewDay(2026, 12, 25),
	}
	n := 0
	for d := bot.NewDay(2026, 1, 1); d.Before(bot.NewDay(2027, 1, 1)); d = d.AddDays(1) {
		if bot.FrenchHolidays(d) {
			n++
		}
	}
	if n != len(holidays) {
		t.Errorf("2026 has %d holidays, want %d", n, len(holidays))
	}
	for _, d := range holidays {
		if !bot.FrenchHolidays(d) {
			t.Errorf("%s is not a holiday, want one", d)
		}
	}
}
