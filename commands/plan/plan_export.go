package plan

import (
	"context"
	"fmt"
	"strings"

	"balise/bot"
	"balise/commands"
)

// export runs `/plan export #N` (`/plan exporter #N`): the plan as Markdown
// (for the annual report) and its steps as CSV, sent to the caller in a
// direct message, in their language. Whoever may see the plan may export it.
func (s *Plans) export(ctx context.Context, in *commands.Input, arg string) (string, error) {
	p, _, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	l := in.Lang
	checkIns, err := s.store.CheckIns(ctx, p.ID)
	if err != nil {
		return "", err
	}
	data, err := s.stepsCSV(ctx, l, p)
	if err != nil {
		return "", err
	}
	md := s.planMarkdown(ctx, l, p, checkIns)
	dm, err := s.chat.DirectChannel(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("plan-%d", p.Number)
	_, err = s.chat.Upload(ctx, bot.Message{ChannelID: dm, Text: s.kit.T(l, "plan.export.text", "plan", p.Number, "title", bot.Quiet(p.Title))},
		[]bot.File{{Name: name + ".md", Data: []byte(md)}, {Name: name + "-steps.csv", Data: data}})
	if err != nil {
		return "", err
	}
	return s.kit.T(l, "plan.export.done", "plan", p.Number), nil
}

// planMarkdown writes the plan as a report reads it: what it is, who
// follows it, its steps ticked or not, and the adoption estimates.
func (s *Plans) planMarkdown(ctx context.Context, l bot.Lang, p *bot.Plan, checkIns []bot.CheckIn) string {
	var refs []string
	for _, r := range p.Referents {
		refs = append(refs, s.name(ctx, r))
	}
	done, total := p.Progress()
	lines := []string{fmt.Sprintf("# #%d %s", p.Number, p.Title), ""}
	if p.ToolID != "" {
		lines = append(lines, "- "+s.kit.T(l, "plan.card.tool", "tool", s.toolName(ctx, p)))
	}
	lines = append(lines,
		"- "+s.kit.T(l, "plan.card.referents", "names", strings.Join(refs, ", ")),
		"- "+s.kit.T(l, "plan.export.start", "day", s.day(l, p.Start)),
		"- "+s.kit.T(l, "plan.export.target", "count", p.Target),
		"- "+s.kit.T(l, "plan.card.progress", "done", done, "total", total))
	if p.Archived() {
		lines = append(lines, "- "+s.kit.T(l, "plan.card.archived"))
	}
	lines = append(lines, "", "## "+s.kit.T(l, "plan.export.steps"), "")
	for _, st := range p.Steps {
		mark := "- [ ] "
		line := s.stepLine(ctx, l, st)
		if st.Done() {
			mark = "- [x] "
			line += fmt.Sprintf(" · %s %s, %s", s.kit.T(l, "plan.export.yes"), s.day(l, bot.DayOf(st.DoneAt, p.Location)), s.name(ctx, st.DoneBy))
		}
		lines = append(lines, mark+line)
	}
	if len(checkIns) > 0 {
		lines = append(lines, "", "## "+s.kit.T(l, "plan.export.adoption"), "", s.kit.T(l, "plan.adoption.table_head"), "|---|---|---|")
		for i, pt := range p.AdoptionCurve(checkIns) {
			lines = append(lines, fmt.Sprintf("| %s | %d%% (%d/%d) | %d%% |", s.day(l, pt.Week), pt.Percent, checkIns[i].Used, p.Target, pt.Goal))
		}
		lines = append(lines, "", s.kit.T(l, "plan.adoption.note"))
	}
	lines = append(lines, "", s.kit.T(l, "plan.export.created", "date", s.day(l, s.today(p.Location))))
	return strings.Join(lines, "\n") + "\n"
}

// stepsCSV is one row per step, dates as 2026-12-15 (a spreadsheet sorts
// them), every cell made safe with commands.Cell.
func (s *Plans) stepsCSV(ctx context.Context, l bot.Lang, p *bot.Plan) ([]byte, error) {
	buf, w := commands.NewCSV(l)
	if err := w.Write(strings.Split(s.kit.T(l, "plan.export.head"), ";")); err != nil {
		return nil, err
	}
	name := func(id string) string {
		if id == "" {
			return ""
		}
		return s.name(ctx, id)
	}
	for _, st := range p.Steps {
		var doneOn string
		if st.Done() {
			doneOn = bot.DayOf(st.DoneAt, p.Location).String()
		}
		row := []string{fmt.Sprint(st.Number), st.Title, name(st.OwnerID), st.Due.String(), doneOn, name(st.DoneBy), st.Blocked}
		for i := range row {
			row[i] = commands.Cell(row[i])
		}
		if err := w.Write(row); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
