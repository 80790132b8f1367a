package decide

import (
	"testing"
	"time"
	"unicode/utf8"

	"balise/bot"
)

// FuzzParseDraft: whatever a member types after /decide, the parser answers
// a draft or a clear refusal, and a draft that validates is one Balise can
// store: a title within bounds, no whole-channel mention, options unique.
func FuzzParseDraft(f *testing.F) {
	for _, s := range []string{
		`"Passer à Nextcloud" --fermeture 7j --quorum 50%`, `“Quel outil ?” --options Jitsi "Big Blue" --hidden`,
		`Adopter Paheko —fermeture 30min —détails "compta"`, `--options`, `"" --closes`, `« » -- --- —`,
		"Titre --fermeture 1/12 18h", "@channel --details @here", "Titre --quorum 101%", "\x00\xff --closes 9999j",
	} {
		f.Add(s)
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := parseDraft(text, now, paris)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("parseDraft(%q): %v, want an EINVALID refusal", text, err)
			}
			return
		}
		if _, err := d.Validate(); err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("Validate(%q): %v, want an EINVALID refusal", text, err)
			}
			return
		}
		if d.Title == "" || utf8.RuneCountInString(d.Title) > bot.MaxTitle || bot.WholeChannelMention(d.Title) {
			t.Fatalf("parseDraft(%q) validated a title %q", text, d.Title)
		}
		if d.Duration < bot.MinDuration || d.Duration > bot.MaxDuration {
			t.Fatalf("parseDraft(%q) validated a duration %s", text, d.Duration)
		}
	})
}
