package decide

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"balise/bot"
	"balise/commands"
)

// exportDecisions sends the member, in a direct message, the team's
// register of decisions as CSV and as Markdown. It holds no stance of any
// member, only counts.
func (s *Decide) exportDecisions(ctx context.Context, in *commands.Input) (string, error) {
	channels, err := s.memberChannels(ctx, in.TeamID, in.UserID)
	if err != nil {
		return "", err
	}
	var all []*bot.Decision
	for _, open := range []bool{true, false} {
		list, err := s.store.ListDecisions(ctx, in.TeamID, bot.DecisionFilter{Open: open, Channels: channels, Limit: 100000})
		if err != nil {
			return "", err
		}
		all = append(all, list...)
	}
	tallies := make([]bot.Tally, len(all))
	for i, d := range all {
		t, err := s.store.Tally(ctx, d.ID)
		if err != nil {
			return "", err
		}
		tallies[i] = t
	}
	csvData, err := s.decisionsCSV(in.Lang, all, tallies)
	if err != nil {
		return "", err
	}
	md := s.decisionsMarkdown(in.Lang, s.kit.Location(ctx, in.UserID), all, tallies)
	dm, err := s.chat.DirectChannel(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	day := s.now().Format("2006-01-02")
	_, err = s.chat.Upload(ctx, bot.Message{ChannelID: dm, Text: s.kit.T(in.Lang, "decide.export.post", "count", len(all))},
		[]bot.File{{Name: "decisions-" + day + ".csv", Data: csvData}, {Name: "decisions-" + day + ".md", Data: []byte(md)}})
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "decide.export.sent"), nil
}

func (s *Decide) counts(l bot.Lang, d *bot.Decision, t bot.Tally) string {
	if d.Hidden && d.Open() {
		return s.kit.T(l, "decide.card.hidden")
	}
	var parts []string
	for i := range d.Options {
		parts = append(parts, fmt.Sprintf("%s: %d", s.optionLabel(l, d, i), t.Counts[i]))
	}
	return strings.Join(parts, "; ")
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}

// decisionsCSV writes the register so that the spreadsheets associations
// use open it cleanly: a byte-order mark says UTF-8, and French readers get
// ";" as separator, as their spreadsheet expects (the comma is their
// decimal mark).
func (s *Decide) decisionsCSV(l bot.Lang, all []*bot.Decision, tallies []bot.Tally) ([]byte, error) {
	buf, w := commands.NewCSV(l)
	header := strings.Split(s.kit.T(l, "decide.export.header"), ",")
	if err := w.Write(header); err != nil {
		return nil, err
	}
	for i, d := range all {
		t := tallies[i]
		yesNo := func(b bool) string {
			if b {
				return s.kit.T(l, "decide.export.yes")
			}
			return s.kit.T(l, "decide.export.no")
		}
		quorum := ""
		if d.Quorum > 0 {
			quorum = yesNo(d.Missing(t) == 0)
		}
		row := []string{strconv.Itoa(d.Number), d.Title, s.kit.T(l, "decide.kind."+string(d.Kind)), s.counts(l, d, t),
			strconv.Itoa(t.Voted), strconv.Itoa(d.Electorate), strconv.Itoa(d.Quorum), quorum,
			yesNo(d.Anonymous), stamp(d.CreatedAt, d.Location), stamp(d.ClosesAt, d.Location), stamp(d.ClosedAt, d.Location), d.Outcome}
		for j := range row {
			row[j] = commands.Cell(row[j])
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func (s *Decide) decisionsMarkdown(l bot.Lang, loc *time.Location, all []*bot.Decision, tallies []bot.Tally) string {
	var b strings.Builder
	b.WriteString("# " + s.kit.T(l, "decide.export.md_title") + "\n")
	for i, d := range all {
		t := tallies[i]
		fmt.Fprintf(&b, "\n## #%d %s\n\n", d.Number, d.Title)
		if d.Details != "" {
			b.WriteString(d.Details + "\n\n")
		}
		fmt.Fprintf(&b, "- %s\n- %s\n- %s\n", s.kit.T(l, "decide.kind."+string(d.Kind)),
			s.counts(l, d, t), s.participation(l, d, t))
		if d.Open() {
			fmt.Fprintf(&b, "- %s\n", s.kit.T(l, "decide.card.closes", "when", s.kit.When(l, d.ClosesAt, loc)))
		} else {
			fmt.Fprintf(&b, "- %s\n", s.kit.T(l, "decide.card.closed", "when", s.kit.When(l, d.ClosedAt, loc)))
		}
		if d.Outcome != "" {
			fmt.Fprintf(&b, "\n%s\n", s.kit.T(l, "decide.card.outcome", "outcome", d.Outcome))
		}
	}
	return b.String()
}
