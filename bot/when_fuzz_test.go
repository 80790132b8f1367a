package bot_test

import (
	"testing"
	"time"

	"balise/bot"
)

// FuzzParseWhen: any text gives a time or an EINVALID refusal, never a
// panic; a date alone lands at the default hour in the member's zone.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"7j", "30min", "+3j", "2w", "1/12", "01/12 18:00", "2026-12-01", "2026-12-01T18:00",
		"demain", "lundi 18h", "1er décembre", "dans 2 semaines", "14h", "31/02", "99999d", "", "à", "\xff"} {
		f.Add(s)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, paris)
	f.Fuzz(func(t *testing.T, v string) {
		at, err := bot.ParseWhen(v, now, paris, 18)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseWhen(%q): %v, want EINVALID", v, err)
			}
			return
		}
		if at.IsZero() {
			t.Fatalf("ParseWhen(%q) = zero time without an error", v)
		}
		if _, err := bot.ParseDay(v, now, paris); err != nil {
			t.Fatalf("ParseWhen(%q) read it but ParseDay refused: %v", v, err)
		}
	})
}
