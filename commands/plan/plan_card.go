package plan

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/commands"
)

// day writes a calendar date for a reader: "lun. 7 déc.".
func (s *Plans) day(l bot.Lang, d bot.Day) string {
	if d.IsZero() {
		return s.kit.T(l, "plan.card.no_due")
	}
	days := strings.Split(s.kit.T(l, "time.weekdays"), ",")
	months := strings.Split(s.kit.T(l, "time.months"), ",")
	_, m, n := d.Date()
	if len(days) != 7 || len(months) != 12 {
		return d.String()
	}
	return fmt.Sprintf("%s %d %s", days[d.Weekday()], n, months[m-1])
}

// stepLine is one step as a list shows it.
func (s *Plans) stepLine(ctx context.Context, l bot.Lang, st bot.Step) string {
	line := s.kit.T(l, "plan.card.step", "number", st.Number, "title", bot.Quiet(st.Title), "owner", s.name(ctx, st.OwnerID),
		"due", s.day(l, st.Due))
	if st.Blocked != "" {
		line += " · " + s.kit.T(l, "plan.card.blocked", "reason", bot.Quiet(st.Blocked))
	}
	return line
}

// maxNext is how many coming steps a card shows.
const maxNext = 3

// card renders a plan's post: progress, what is overdue, what comes next,
// and the buttons of the next step while the plan is followed.
func (s *Plans) card(ctx context.Context, p *bot.Plan) bot.Message {
	l := p.Lang
	today := s.today(p.Location)
	done, total := p.Progress()
	var body []string
	if p.ToolID != "" {
		body = append(body, s.kit.T(l, "plan.card.tool", "tool", bot.Quiet(s.toolName(ctx, p))))
	}
	var refs []string
	for _, r := range p.Referents {
		refs = append(refs, s.name(ctx, r))
	}
	body = append(body, s.kit.T(l, "plan.card.referents", "names", strings.Join(refs, ", ")))
	body = append(body, "`"+bar(done, total)+"` "+s.kit.T(l, "plan.card.progress", "done", done, "total", total))
	overdue := p.Overdue(today)
	if len(overdue) > 0 {
		body = append(body, "", "**"+s.kit.T(l, "plan.card.overdue")+"**")
		for _, st := range overdue {
			body = append(body, "• "+s.stepLine(ctx, l, st))
		}
	}
	var next []bot.Step
	for _, st := range p.Open(bot.Day{}) {
		if st.Due.IsZero() || !st.Due.Before(today) {
			next = append(next, st)
		}
	}
	if len(next) > 0 {
		body = append(body, "", "**"+s.kit.T(l, "plan.card.next")+"**")
		for _, st := range next[:min(maxNext, len(next))] {
			body = append(body, "• "+s.stepLine(ctx, l, st))
		}
	}
	color := "#2a6fdb"
	if len(overdue) > 0 {
		color = "#d24b4e"
	}
	card := &bot.Card{Title: fmt.Sprintf("#%d %s", p.Number, bot.Quiet(p.Title)), Color: color}
	if p.Archived() {
		card.Color = "#888888"
		body = append(body, "", s.kit.T(l, "plan.card.archived"))
	} else if open := p.Open(bot.Day{}); len(open) > 0 {
		first := open[0]
		if len(overdue) > 0 {
			first = overdue[0]
		}
		body = append(body, "", s.kit.T(l, "plan.card.buttons", "number", first.Number, "title", bot.Quiet(first.Title)))
		card.Buttons = s.stepButtons(l, p, first, false)
	}
	if nextDiagnostic(p) {
		card.Buttons = append(card.Buttons, s.nextDiagnosticButton(l, p))
	}
	if !p.Archived() && p.ToolID != "" {
		card.Buttons = append(card.Buttons, s.kit.Button("curve", s.kit.T(l, "plan.button.curve"), "default", "plancurve",
			map[string]string{"team": p.TeamID, "p": strconv.FormatInt(p.ID, 10)}))
	}
	card.Text = strings.Join(body, "\n")
	return bot.Message{ChannelID: p.ChannelID, Card: card}
}

// nextDiagnostic reports whether a followed plan offers the next
// diagnostic: its "evaluate adoption" step is done, or is the next one.
func nextDiagnostic(p *bot.Plan) bool {
	if p.Archived() {
		return false
	}
	open := p.Open(bot.Day{})
	for _, st := range p.Steps {
		if st.Kind == bot.StepEvaluate && (st.Done() || len(open) > 0 && open[0].Number == st.Number) {
			return true
		}
	}
	return false
}

// nextDiagnosticButton starts the next diagnostic campaign in the plan's
// channel: the diagnostic capability answers it, as /diag start there.
func (s *Plans) nextDiagnosticButton(l bot.Lang, p *bot.Plan) bot.Button {
	return s.kit.Button("diagstart", s.kit.T(l, "plan.button.next_diagnostic"), "primary", "diagstart",
		map[string]string{"team": p.TeamID, "ch": p.ChannelID})
}

// bar draws n out of total as ten blocks.
func bar(n, total int) string {
	full := 0
	if total > 0 {
		full = (n*10 + total/2) / total
	}
	return strings.Repeat("▓", full) + strings.Repeat("░", 10-full)
}

// stepButtons are a step's buttons: Done, +7 days, Pick a date, Reassign,
// Blocked. A follow-up's (stale) carry the due date it was about, so that a
// click after the step changed says so instead of acting.
func (s *Plans) stepButtons(l bot.Lang, p *bot.Plan, st bot.Step, stale bool) []bot.Button {
	f := map[string]string{"team": p.TeamID, "p": strconv.FormatInt(p.ID, 10), "s": strconv.Itoa(st.Number)}
	if stale {
		f["due"] = st.Due.String()
	}
	id := strconv.FormatInt(p.ID, 10) + "x" + strconv.Itoa(st.Number)
	b := func(name, label, style, action string) bot.Button {
		return s.kit.Button(name+id, s.kit.T(l, label), style, action, f)
	}
	return []bot.Button{
		b("done", "plan.button.done", "good", "plandone"),
		b("later", "plan.button.postpone", "default", "planlater"),
		b("date", "plan.button.pick_date", "default", "plandate"),
		b("assign", "plan.button.reassign", "default", "planassign"),
		b("block", "plan.button.blocked", "danger", "planblock"),
	}
}

// updateCard re-renders a plan's card from the store.
func (s *Plans) updateCard(ctx context.Context, id int64) error {
	p, err := s.store.PlanByID(ctx, id)
	if err != nil {
		return err
	}
	if p.PostID == "" {
		return nil
	}
	if err := s.chat.Update(ctx, p.PostID, s.card(ctx, p)); bot.IsPermanent(err) {
		zerolog.Ctx(ctx).Warn().Err(err).Int64("plan", id).Msg("plan card can no longer be updated; left as it is")
	} else if err != nil {
		return err
	}
	return s.store.PlanCardShown(ctx, id, p.Revision)
}

func (s *Plans) refreshStale(ctx context.Context) error {
	stale, err := s.store.StalePlanCards(ctx)
	if err != nil {
		return err
	}
	for _, p := range stale {
		s.cards.Refresh(p.ID)
	}
	return nil
}

func (s *Plans) listPlans(ctx context.Context, in *commands.Input) (string, error) {
	all, err := s.store.ListPlans(ctx, in.TeamID, bot.PlanFilter{Limit: 50})
	if err != nil {
		return "", err
	}
	lines := []string{s.kit.T(in.Lang, "plan.list.title")}
	for _, p := range all {
		if s.maysee(ctx, p, in.UserID) != nil {
			continue
		}
		done, total := p.Progress()
		line := fmt.Sprintf("• **#%d** %s · %s", p.Number, bot.Quiet(p.Title),
			s.kit.T(in.Lang, "plan.card.progress", "done", done, "total", total))
		if n := len(p.Overdue(s.today(p.Location))); n > 0 {
			line += " · " + s.kit.T(in.Lang, "plan.list.overdue", "count", n)
		}
		lines = append(lines, line)
	}
	if len(lines) == 1 {
		return s.kit.T(in.Lang, "plan.list.empty"), nil
	}
	return strings.Join(lines, "\n"), nil
}

func (s *Plans) showPlan(ctx context.Context, in *commands.Input, arg string) (string, error) {
	p, _, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	l := in.Lang
	p.Lang = l
	msg := s.card(ctx, p)
	lines := []string{"#### " + msg.Card.Title}
	for _, st := range p.Steps {
		mark := "☐"
		if st.Done() {
			mark = "☑"
		}
		lines = append(lines, mark+" "+s.stepLine(ctx, l, st))
	}
	return strings.Join(lines, "\n") + "\n" + s.kit.Permalink(p.PostID), nil
}
