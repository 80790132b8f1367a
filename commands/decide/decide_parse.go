package decide

import (
	"strconv"
	"strings"
	"time"

	"balise/bot"
	"balise/commands"
)

// flagNames maps every accepted flag, English and French, to its meaning.
var flagNames = map[string]string{
	"closes": "closes", "close": "closes", "fermeture": "closes", "ferme": "closes", "clôture": "closes", "cloture": "closes",
	"options": "options", "option": "options", "choix": "options",
	"anonymous": "anonymous", "anonyme": "anonymous",
	"hidden": "hidden", "caché": "hidden", "cache": "hidden", "masqué": "hidden", "masque": "hidden",
	"quorum":  "quorum",
	"details": "details", "détails": "details", "description": "details",
}

// parseDraft reads `"Title" --closes 7d [--options "A" "B"] [--anonymous]
// [--hidden] [--quorum 50%] [--details "..."]`, in the author's time zone.
func parseDraft(text string, now time.Time, loc *time.Location) (bot.Draft, error) {
	d := bot.Draft{Duration: 7 * 24 * time.Hour}
	var title []string
	toks := commands.Words(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !strings.HasPrefix(t, "--") {
			title = append(title, t)
			continue
		}
		name, ok := flagNames[strings.ToLower(strings.TrimPrefix(t, "--"))]
		if !ok {
			return d, bot.Errorf(bot.EINVALID, "decide.error.unknown_flag", "flag", t)
		}
		// values are the words up to the next flag
		j := i + 1
		for j < len(toks) && !strings.HasPrefix(toks[j], "--") {
			j++
		}
		values := toks[i+1 : j]
		switch name {
		case "anonymous":
			d.Anonymous = true
			title = append(title, values...)
		case "hidden":
			d.Hidden = true
			title = append(title, values...)
		case "options":
			d.Kind = bot.Poll
			d.Options = append(d.Options, values...)
		case "closes", "quorum", "details":
			if len(values) == 0 {
				return d, bot.Errorf(bot.EINVALID, "decide.error.flag_value", "flag", t)
			}
			if err := setValue(&d, name, strings.Join(values, " "), now, loc); err != nil {
				return d, err
			}
		}
		i = j - 1
	}
	d.Title = strings.Join(title, " ")
	if d.Kind == bot.Poll && len(d.Options) < bot.MinPollOption {
		return d, bot.Errorf(bot.EINVALID, "decide.error.options_count", "min", bot.MinPollOption, "max", bot.MaxPollOption)
	}
	return d, nil
}

func setValue(d *bot.Draft, name, v string, now time.Time, loc *time.Location) error {
	var err error
	switch name {
	case "closes":
		d.Duration, err = parseClosing(v, now, loc)
	case "quorum":
		d.Quorum, err = parseQuorum(v)
	case "details":
		d.Details = v
	}
	return err
}

// closingHour is when a decision closes on a date given without a time.
const closingHour = 18

// parseClosing reads when a decision closes (a duration such as 7d or 7j,
// a date such as 1/12 or 2026-12-01 18:00: see bot.ParseWhen) in the
// author's time zone, and returns the time until then.
func parseClosing(v string, now time.Time, loc *time.Location) (time.Duration, error) {
	t, err := bot.ParseWhen(v, now, loc, closingHour)
	if err != nil {
		return 0, bot.Errorf(bot.EINVALID, "decide.error.closes_format", "value", strings.TrimSpace(v))
	}
	return t.Sub(now), nil
}

func parseQuorum(v string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "%")))
	if err != nil || n < 0 || n > 100 {
		return 0, bot.Errorf(bot.EINVALID, "decide.error.quorum")
	}
	return n, nil
}
