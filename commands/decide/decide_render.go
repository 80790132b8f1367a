package decide

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"balise/bot"
)

// optionLabel is how an option reads: a proposal's stances are translated.
func (s *Decide) optionLabel(l bot.Lang, d *bot.Decision, i int) string {
	if d.Kind == bot.Proposal {
		return s.kit.T(l, "decide.stance."+d.Options[i])
	}
	return d.Options[i]
}

// bar draws n out of total as ten blocks.
func bar(n, total int) string {
	full := 0
	if total > 0 {
		full = (n*10 + total/2) / total
	}
	return strings.Repeat("▓", full) + strings.Repeat("░", 10-full)
}

// results renders the counts with bars, or says they are hidden.
func (s *Decide) results(l bot.Lang, d *bot.Decision, t bot.Tally) string {
	if d.Hidden && d.Open() {
		return s.kit.T(l, "decide.card.hidden")
	}
	var lines []string
	for i := range d.Options {
		lines = append(lines, fmt.Sprintf("`%s` %s **%d**", bar(t.Counts[i], t.Voted), s.optionLabel(l, d, i), t.Counts[i]))
	}
	if n := d.Blocks(t); n > 0 {
		lines = append(lines, s.kit.T(l, "decide.card.blocks", "count", n))
	}
	return strings.Join(lines, "\n")
}

// participation says how many took part and what the quorum still needs.
func (s *Decide) participation(l bot.Lang, d *bot.Decision, t bot.Tally) string {
	line := s.kit.T(l, "decide.card.participation", "count", t.Voted, "eligible", d.Electorate)
	switch {
	case d.Quorum == 0:
	case d.Missing(t) > 0:
		line += " · " + s.kit.T(l, "decide.card.quorum_missing", "quorum", d.Quorum, "count", d.Missing(t))
	default:
		line += " · " + s.kit.T(l, "decide.card.quorum_met", "quorum", d.Quorum)
	}
	return line
}

// card renders a decision's post: what is decided, until when, the tally,
// and the buttons while it is open.
func (s *Decide) card(d *bot.Decision, t bot.Tally) bot.Message {
	l := d.Lang
	var flags []string
	flags = append(flags, s.kit.T(l, "decide.kind."+string(d.Kind)))
	if d.Open() {
		flags = append(flags, s.kit.T(l, "decide.card.closes", "when", s.kit.When(l, d.ClosesAt, d.Location)))
	} else {
		flags = append(flags, s.kit.T(l, "decide.card.closed", "when", s.kit.When(l, d.ClosedAt, d.Location)))
	}
	if d.Anonymous {
		flags = append(flags, s.kit.T(l, "decide.card.anonymous"))
	}
	if d.Hidden {
		flags = append(flags, s.kit.T(l, "decide.card.hidden_flag"))
	}
	body := []string{}
	if d.Details != "" {
		body = append(body, bot.Quiet(d.Details), "")
	}
	body = append(body, strings.Join(flags, " · "), "", s.results(l, d, t), "", s.participation(l, d, t))
	if d.Outcome != "" {
		body = append(body, "", s.kit.T(l, "decide.card.outcome", "outcome", bot.Quiet(d.Outcome)))
	}
	color := "#1c7c54"
	if !d.Open() {
		color = "#888888"
	}
	card := &bot.Card{Title: fmt.Sprintf("#%d %s", d.Number, bot.Quiet(d.Title)), Text: strings.Join(body, "\n"), Color: color}
	if d.Open() {
		card.Buttons = s.voteButtons(d)
	}
	return bot.Message{ChannelID: d.ChannelID, Card: card}
}

var stanceStyle = map[string]string{bot.Agree: "good", bot.Disagree: "default", bot.Abstain: "default", bot.Block: "danger"}

func (s *Decide) voteButtons(d *bot.Decision) []bot.Button {
	l, id := d.Lang, strconv.FormatInt(d.ID, 10)
	var out []bot.Button
	for i := range d.Options {
		style := "primary"
		if d.Kind == bot.Proposal {
			style = stanceStyle[d.Options[i]]
		}
		out = append(out, s.kit.Button("vote"+strconv.Itoa(i), s.optionLabel(l, d, i), style, "vote",
			map[string]string{"team": d.TeamID, "d": id, "c": strconv.Itoa(i)}))
	}
	if !d.Anonymous {
		out = append(out, s.kit.Button("reason", s.kit.T(l, "decide.button.reason"), "default", "reason", map[string]string{"team": d.TeamID, "d": id}))
	}
	out = append(out,
		s.kit.Button("closenow", s.kit.T(l, "decide.button.close"), "default", "close", map[string]string{"team": d.TeamID, "d": id}),
		s.kit.Button("remind", s.kit.T(l, "decide.button.remind"), "default", "remind", map[string]string{"team": d.TeamID, "d": id}))
	return out
}

// summary is one line of a list or the register, for a reader.
func (s *Decide) summary(l bot.Lang, loc *time.Location, d *bot.Decision, t bot.Tally) string {
	line := fmt.Sprintf("**#%d** %s", d.Number, bot.Quiet(d.Title))
	if d.Open() {
		return line + " · " + s.kit.T(l, "decide.card.closes", "when", s.kit.When(l, d.ClosesAt, loc)) + " · " +
			s.kit.T(l, "decide.card.participation", "count", t.Voted, "eligible", d.Electorate)
	}
	line += " · " + s.kit.T(l, "decide.card.closed", "when", s.kit.When(l, d.ClosedAt, loc))
	if d.Outcome != "" {
		return line + "\n> " + bot.Quiet(strings.ReplaceAll(d.Outcome, "\n", " "))
	}
	return line + " · " + s.kit.T(l, "decide.list.no_outcome")
}

// resultPost is what Balise posts in the thread at the close.
func (s *Decide) resultPost(d *bot.Decision, t bot.Tally, authorName string) bot.Envelope {
	l := d.Lang
	quorum := ""
	if d.Quorum > 0 {
		key := "decide.result.quorum_met"
		if d.Missing(t) > 0 {
			key = "decide.result.quorum_missed"
		}
		quorum = "\n" + s.kit.T(l, key, "quorum", d.Quorum, "count", d.QuorumNeeded())
	}
	text := s.kit.T(l, "decide.result.title", "number", d.Number) + "\n" + s.results(l, d, t) + "\n" +
		s.participation(l, d, t) + quorum + "\n\n" + s.kit.T(l, "decide.result.ask_outcome", "author", authorName)
	card := &bot.Card{Buttons: []bot.Button{s.kit.Button("outcome", s.kit.T(l, "decide.button.outcome"), "primary", "outcome",
		map[string]string{"team": d.TeamID, "d": strconv.FormatInt(d.ID, 10)})}}
	return bot.Envelope{Message: bot.Message{ChannelID: d.ChannelID, RootID: d.PostID, Text: text, Card: card}}
}
