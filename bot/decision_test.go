package bot_test

import (
	"strings"
	"testing"
	"time"

	"balise/bot"
)

func TestDraftValidate(t *testing.T) {
	ok := func() bot.Draft { return bot.Draft{Title: "Passer à Nextcloud", Duration: 7 * 24 * time.Hour} }
	for name, c := range map[string]struct {
		mutate func(*bot.Draft)
		field  string
		key    string
	}{
		"empty title":    {func(d *bot.Draft) { d.Title = "  " }, "title", "decide.error.title_empty"},
		"long title":     {func(d *bot.Draft) { d.Title = strings.Repeat("é", 20000) }, "title", "decide.error.title_long"},
		"@channel":       {func(d *bot.Draft) { d.Title = "Vote @channel !" }, "title", "decide.error.mention"},
		"@here details":  {func(d *bot.Draft) { d.Details = "ping @here" }, "title", "decide.error.mention"},
		"past":           {func(d *bot.Draft) { d.Duration = -time.Hour }, "closes", "decide.error.closes_soon"},
		"too far":        {func(d *bot.Draft) { d.Duration = 100 * 24 * time.Hour }, "closes", "decide.error.closes_far"},
		"one option":     {func(d *bot.Draft) { d.Kind, d.Options = bot.Poll, []string{"A"} }, "options", "decide.error.options_count"},
		"thirty options": {func(d *bot.Draft) { d.Kind, d.Options = bot.Poll, strings.Split(strings.Repeat("x,", 30), ",") }, "options", "decide.error.option_twice"},
		"many options":   {func(d *bot.Draft) { d.Kind, d.Options = bot.Poll, strings.Fields("a b c d e f g h i j k") }, "options", "decide.error.options_count"},
		"twice":          {func(d *bot.Draft) { d.Kind, d.Options = bot.Poll, []string{"Jitsi", "jitsi"} }, "options", "decide.error.option_twice"},
		"quorum":         {func(d *bot.Draft) { d.Quorum = 101 }, "quorum", "decide.error.quorum"},
		"proposal opts":  {func(d *bot.Draft) { d.Kind, d.Options = bot.Proposal, []string{"A", "B"} }, "options", "decide.error.options_on_proposal"},
	} {
		d := ok()
		c.mutate(&d)
		field, err := d.Validate()
		e, isErr := err.(*bot.Error)
		if !isErr || e.Key != c.key || field != c.field {
			t.Errorf("%s: got %q, %v; want %q, %s", name, field, err, c.field, c.key)
		}
	}
	d := ok()
	if _, err := d.Validate(); err != nil || d.Kind != bot.Proposal || len(d.Options) != 4 {
		t.Errorf("valid proposal: got %v, %+v", err, d)
	}
	d = bot.Draft{Title: "Quel outil ?", Duration: time.Hour, Options: []string{" Jitsi ", "", "BigBlueButton"}}
	if _, err := d.Validate(); err != nil || d.Kind != bot.Poll || strings.Join(d.Options, "|") != "Jitsi|BigBlueButton" {
		t.Errorf("valid poll: got %v, %+v", err, d)
	}
}

func TestWholeChannelMention(t *testing.T) {
	for s, want := range map[string]bool{
		"@channel": true, "hi @ALL": true, "@here.": true, "@channelle": false, "@allison": false, "mail@here-corp": false, "rien": false,
	} {
		if got := bot.WholeChannelMention(s); got != want {
			t.Errorf("WholeChannelMention(%q) = %v, want %v", s, got, want)
		}
	}
	if got := bot.Quiet("Vote @channel et @allison"); bot.WholeChannelMention(got) || !strings.Contains(got, "@allison") {
		t.Errorf("Quiet = %q, want @channel neutralised and @allison kept", got)
	}
}

func TestQuorumAndBlocks(t *testing.T) {
	d := &bot.Decision{Kind: bot.Proposal, Options: bot.ProposalOptions, Quorum: 50, Electorate: 5}
	if got := d.QuorumNeeded(); got != 3 {
		t.Errorf("QuorumNeeded = %d, want 3 of 5 at 50%%", got)
	}
	tally := bot.Tally{Counts: []int{1, 0, 0, 1}, Voted: 2}
	if got := d.Missing(tally); got != 1 {
		t.Errorf("Missing = %d, want 1", got)
	}
	if got := d.Blocks(tally); got != 1 {
		t.Errorf("Blocks = %d, want 1", got)
	}
	tally.Voted = 4
	if got := d.Missing(tally); got != 0 {
		t.Errorf("Missing = %d, want 0 once met", got)
	}
}

func TestRemindAt(t *testing.T) {
	start := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	week := &bot.Decision{CreatedAt: start, ClosesAt: start.Add(7 * 24 * time.Hour)}
	if got, want := week.RemindAt(), start.Add(6*24*time.Hour); !got.Equal(want) {
		t.Errorf("a week: RemindAt = %v, want a day before the close %v", got, want)
	}
	short := &bot.Decision{CreatedAt: start, ClosesAt: start.Add(10 * time.Hour)}
	if got, want := short.RemindAt(), start.Add(5*time.Hour); !got.Equal(want) {
		t.Errorf("10 hours: RemindAt = %v, want half-way %v", got, want)
	}
}

func TestUserLang(t *testing.T) {
	for _, c := range []struct {
		choice bot.Lang
		locale string
		want   bot.Lang
	}{
		{"", "", bot.French}, {"", "en", bot.English}, {"", "fr-CA", bot.French}, {"", "de", bot.French}, {bot.English, "fr", bot.English},
	} {
		if got := bot.UserLang(c.choice, c.locale); got != c.want {
			t.Errorf("UserLang(%q, %q) = %q, want %q", c.choice, c.locale, got, c.want)
		}
	}
}
