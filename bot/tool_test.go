package bot_test

import (
	"slices"
	"strings"
	"testing"

	"balise/bot"
)

func validTool() *bot.Tool {
	return &bot.Tool{ID: "pad", Name: "Pad", Categories: []string{"writing"},
		Needs:       bot.Phrases{FR: []string{"écrire ensemble"}, EN: []string{"write together"}},
		Description: bot.Text{FR: "Un pad.", EN: "A pad."}, License: "AGPL-3.0-or-later", Free: true,
		Hosting: []string{"self-hosted"}, Cost: bot.Text{FR: "Gratuit", EN: "Free"},
		UserDifficulty: 1, AdminDifficulty: 2, Website: "https://pad.example.org", Source: "https://pad.example.org",
		Checked: "2026-11-23"}
}

func TestToolValidateNamesTheField(t *testing.T) {
	if field, err := validTool().Validate(); err != nil {
		t.Fatalf("a valid tool: got %s %v", field, err)
	}
	for _, c := range []struct {
		field string
		edit  func(*bot.Tool)
	}{
		{"id", func(t *bot.Tool) { t.ID = "Pad Pad" }},
		{"name", func(t *bot.Tool) { t.Name = "  " }},
		{"categories", func(t *bot.Tool) { t.Categories = []string{"cooking"} }},
		{"needs_en", func(t *bot.Tool) { t.Needs.EN = []string{" "} }},
		{"description_fr", func(t *bot.Tool) { t.Description.FR = "Écrivez à @channel" }},
		{"license", func(t *bot.Tool) { t.License = "GPL v3" }},
		{"free", func(t *bot.Tool) { t.License = "LicenseRef-Proprietary" }},
		{"hosting", func(t *bot.Tool) { t.Hosting = []string{"cloud"} }},
		{"user_difficulty", func(t *bot.Tool) { t.UserDifficulty = 4 }},
		{"admin_difficulty", func(t *bot.Tool) { t.AdminDifficulty = 0 }},
		{"website", func(t *bot.Tool) { t.Website = "pad.example.org" }},
		{"source", func(t *bot.Tool) { t.Source = "" }},
		{"checked", func(t *bot.Tool) { t.Checked = "23/11/2026" }},
	} {
		tool := validTool()
		c.edit(tool)
		field, err := tool.Validate()
		if field != c.field || bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("got field %q, %v; want %q refused", field, err, c.field)
		}
	}
}

func TestNewFeedbackIsQuiet(t *testing.T) {
	f, err := bot.NewFeedback("pad", bot.Request{TeamID: "t", UserID: "u"}, "  super   @channel et @here, pas @alice ")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(f.Text, "@channel") || strings.Contains(f.Text, "@here") || !strings.Contains(f.Text, "@alice") ||
		f.TeamID != "t" || f.UserID != "u" {
		t.Errorf("got %+v, want whole-channel mentions neutralised, the team and member kept", f)
	}
	for _, text := range []string{" ", strings.Repeat("x", bot.MaxFeedback+1)} {
		if _, err := bot.NewFeedback("pad", bot.Request{}, text); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("feedback of %d characters: got %v, want EINVALID", len(text), err)
		}
	}
}

func TestToolSearchForgivesTheWayPeopleType(t *testing.T) {
	ix := MustToolIndex(t)
	for _, c := range []struct {
		query string
		lang  bot.Lang
		want  string
	}{
		{"alternative a doodel", bot.French, "framadate"}, // no accent, a typo
		{"VISIOCONFERANCES", bot.French, "jitsi-meet"},    // capitals, plural, typo
		{"whatsap", bot.French, "signal"},
		{"garradin", bot.French, "paheko"},
		{"@channel partage de fichiers", bot.French, "nextcloud"},
	} {
		var ids []string
		for _, m := range ix.Search(c.query, c.lang, 3) {
			ids = append(ids, m.Tool.ID)
		}
		if !strings.Contains(strings.Join(ids, " "), c.want) {
			t.Errorf("%q: got %v, want %s among them", c.query, ids, c.want)
		}
	}
	if got := ix.Search("alternative à Doodle", bot.French, 3); len(got) == 0 || got[0].Replaces != "Doodle" {
		t.Errorf("got %+v, want the first answer to say it replaces Doodle", got)
	}
	// Nor is anything guessed from one word the catalogue knows among
	// words it does not, nor from a typo alone.
	for _, q := range []string{"recette de cuisine", "pizza", "", "de la pour", "pizza delivery"} {
		if got := ix.Search(q, bot.French, 3); len(got) != 0 {
			t.Errorf("%q: got %d answers, want none", q, len(got))
		}
	}
}

func TestToolIndexFinds(t *testing.T) {
	ix := MustToolIndex(t)
	for name, want := range map[string]string{"jitsi meet": "jitsi-meet", "Jitsi-Meet": "jitsi-meet", "Nextclod": "nextcloud",
		"Framadate": "framadate", "google drive": "google-drive", "jitsi": "jitsi-meet", "Garradin": "paheko"} {
		if got := ix.Find(name); got == nil || got.ID != want {
			t.Errorf("Find(%q) = %v, want %s", name, got, want)
		}
	}
	for _, name := range []string{"zz", "wiki", "visio"} {
		if got := ix.Find(name); got != nil {
			t.Errorf("Find(%s) = %s, want none: no entry has that name, several have that need", name, got.ID)
		}
	}
	for name, want := range map[string]string{"visio": "video-meetings", "video-meetings": "video-meetings", "sauvegarde": "backups",
		"Wiki": "wiki", "video meetings": "video-meetings", "de diffusion": ""} {
		if got := ix.Category(name); got != want {
			t.Errorf("Category(%q) = %q, want %q", name, got, want)
		}
	}
	if got := ix.Alternatives("Doodle"); len(got) < 2 {
		t.Errorf("Alternatives(Doodle) = %v, want Framadate and Rallly", got)
	}
}

func TestApplyPicksDropsWhatIsNotACandidate(t *testing.T) {
	a, b, c := &bot.Tool{ID: "a"}, &bot.Tool{ID: "b"}, &bot.Tool{ID: "c"}
	matches := []bot.ToolMatch{{Tool: a}, {Tool: b}, {Tool: c}}
	got := bot.ApplyPicks(matches, []bot.Pick{{ID: "evil"}, {ID: "c", Reason: "Simple."}, {ID: "c"}, {ID: "a", Reason: "see https://x"}})
	var ids []string
	for _, m := range got {
		ids = append(ids, m.Tool.ID+":"+m.Explained)
	}
	if strings.Join(ids, " ") != "c:Simple. a: b:" {
		t.Errorf("got %v, want c (with its reason), a (reason with a link dropped), b", ids)
	}
}

// A host must say who it is, where, and when and from where that was checked.
func TestToolHostsAreChecked(t *testing.T) {
	tool := *MustReadTools(t)[0]
	tool.Hosts = []bot.Host{{Name: "Zaclys", URL: "https://www.zaclys.com", Source: "https://www.chatons.org", Checked: "2026-11-25"}}
	if field, err := tool.Validate(); err != nil {
		t.Fatalf("a good host: got %s %v, want none", field, err)
	}
	for _, h := range []bot.Host{
		{Name: "Zaclys", URL: "zaclys.com", Source: "https://www.chatons.org", Checked: "2026-11-25"},
		{Name: "Zaclys", URL: "https://www.zaclys.com", Source: "", Checked: "2026-11-25"},
		{Name: "Zaclys", URL: "https://www.zaclys.com", Source: "https://www.chatons.org", Checked: "25/11/2026"},
		{Name: "", URL: "https://www.zaclys.com", Source: "https://www.chatons.org", Checked: "2026-11-25"},
	} {
		tool.Hosts = []bot.Host{h}
		if field, _ := tool.Validate(); field != "hosts" {
			t.Errorf("%+v: got field %q at fault, want hosts", h, field)
		}
	}
}

// A proprietary service named anywhere in a question, inside a long
// sentence or after many words, in any case or with a typo, brings the
// free tools that replace it, as answers that fit rather than guesses.
func TestToolSearchFindsTheServiceNamedInASentence(t *testing.T) {
	ix := MustToolIndex(t)
	for _, c := range []struct {
		query string
		lang  bot.Lang
		want  []string
	}{
		{"we want to stop using zoom, the free version cuts after 40 minutes", bot.English, []string{"jitsi-meet", "bigbluebutton", "galene", "nextcloud-talk"}},
		{"on veut arrêter DOODLE, la version gratuite est pleine de pubs", bot.French, []string{"framadate", "rallly"}},
		{"the choir meets every week and the treasurer, the secretary and the conductor argue about concerts, rehearsals and fees, all of it on whatsap", bot.English, []string{"signal", "element", "mattermost", "zulip", "rocket-chat", "nextcloud-talk"}},
	} {
		got := ix.Search(c.query, c.lang, 3)
		if len(got) == 0 || !slices.Contains(c.want, got[0].Tool.ID) || got[0].Guess || got[0].Replaces == "" {
			t.Errorf("%q: got %+v, want first one of %v replacing the service named, not a guess", c.query, got, c.want)
		}
	}
}

// A guess from the words of members' daily life still comes when they
// are all the question holds.
func TestToolSearchGuessesFromEverydayWords(t *testing.T) {
	ix := MustToolIndex(t)
	for q, want := range map[string]string{"trésorier": "members-accounting", "petition": "forms"} {
		got := ix.Search(q, bot.French, 3)
		if len(got) == 0 || !slices.Contains(got[0].Tool.Categories, want) {
			t.Errorf("%q: got %+v, want a tool of %s", q, got, want)
		}
	}
}
