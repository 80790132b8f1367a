package decide

import (
	"reflect"
	"testing"
	"time"

	"balise/bot"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestParseDraft(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	for _, c := range []struct {
		in   string
		want bot.Draft
	}{
		{`"Passer à Nextcloud" --closes 7d`, bot.Draft{Title: "Passer à Nextcloud", Duration: 7 * 24 * time.Hour}},
		{`Passer à Nextcloud --fermeture 3j --anonyme --quorum 50%`, bot.Draft{Title: "Passer à Nextcloud", Duration: 72 * time.Hour, Anonymous: true, Quorum: 50}},
		{`“Quel outil ?” --options "Jitsi" BigBlueButton «Big Blue» --hidden --closes 48h`, bot.Draft{Title: "Quel outil ?", Kind: bot.Poll,
			Options: []string{"Jitsi", "BigBlueButton", "Big Blue"}, Hidden: true, Duration: 48 * time.Hour}},
		{`Adopter Paheko —fermeture 30min —détails "Pour la compta"`, bot.Draft{Title: "Adopter Paheko", Duration: 30 * time.Minute, Details: "Pour la compta"}},
		{`Choix --closes 2026-11-30`, bot.Draft{Title: "Choix", Duration: time.Date(2026, 11, 30, 18, 0, 0, 0, paris).Sub(now)}},
		{`Sans durée`, bot.Draft{Title: "Sans durée", Duration: 7 * 24 * time.Hour}},
	} {
		got, err := parseDraft(c.in, now, paris)
		if err != nil {
			t.Errorf("parseDraft(%q): %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("parseDraft(%q)\n got %+v\nwant %+v", c.in, got, c.want)
		}
	}
}

// Closing times are built from calendar fields in the author's zone: a
// date alone closes at 18:00 and "7j" at the same time of day, also across
// a daylight-saving change.
func TestClosingTimesKeepTheClockOnDaylightSavingDays(t *testing.T) {
	paris, _ := time.LoadLocation("Europe/Paris")
	before := time.Date(2027, 3, 25, 10, 0, 0, 0, paris)
	for in, want := range map[string]time.Time{
		"2027-03-28":       time.Date(2027, 3, 28, 18, 0, 0, 0, paris),
		"28/03":            time.Date(2027, 3, 28, 18, 0, 0, 0, paris),
		"2027-10-31":       time.Date(2027, 10, 31, 18, 0, 0, 0, paris),
		"7j":               time.Date(2027, 4, 1, 10, 0, 0, 0, paris),
		"2027-03-28 09:30": time.Date(2027, 3, 28, 9, 30, 0, 0, paris),
	} {
		got, err := parseClosing(in, before, paris)
		if err != nil {
			t.Errorf("parseClosing(%q): %v", in, err)
			continue
		}
		if at := before.Add(got); !at.Equal(want) {
			t.Errorf("parseClosing(%q) closes at %s, want %s", in, at.In(paris), want)
		}
	}
}

func TestParseDraftRefusesBadInput(t *testing.T) {
	for in, key := range map[string]string{
		`Titre --vite`:                 "decide.error.unknown_flag",
		`Titre --closes`:               "decide.error.flag_value",
		`Titre --closes bientôt`:       "decide.error.closes_format",
		`Titre --quorum 150%`:          "decide.error.quorum",
		`Titre --options "Seule"`:      "decide.error.options_count",
		`Titre --closes 7d --quorum x`: "decide.error.quorum",
	} {
		_, err := parseDraft(in, now, time.UTC)
		if e, ok := err.(*bot.Error); !ok || e.Key != key {
			t.Errorf("parseDraft(%q) = %v, want %s", in, err, key)
		}
	}
}

func TestDecideVerbLeavesTitlesAlone(t *testing.T) {
	for text, want := range map[string]string{
		"liste":                          "list",
		"list":                           "list",
		"registre nextcloud":             "log",
		"voir #3":                        "show",
		"resultat #3\nOn passe à Paheko": "outcome",
		"fermer 3":                       "close",
		"exporter":                       "export",
		"Export our accounts to Paheko":  "",
		"Fermer le local le lundi":       "",
		"Aide aux devoirs":               "",
		"Issue a press release":          "",
		"list --closes 2d":               "",
		`"Liste des courses"`:            "",
	} {
		if got, _ := decideVerb(text); got != want {
			t.Errorf("decideVerb(%q) = %q, want %q", text, got, want)
		}
	}
}
