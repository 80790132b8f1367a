package diag

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"balise/bot"
	"balise/commands"
)

// export sends the caller, in a direct message, the report as Markdown and
// the answers as CSV: roles, not names, under the report's anonymity
// threshold, and rows sorted so that their order says nothing of who
// answered.
func (s *Diag) export(ctx context.Context, in *commands.Input, arg string) (string, error) {
	f, err := s.findingsOf(ctx, in.TeamID, arg)
	if err != nil {
		return "", err
	}
	data, err := s.answersCSV(in.Lang, f)
	if err != nil {
		return "", err
	}
	prios, err := s.priorityMessages(ctx, in.Lang, f)
	if err != nil {
		return "", err
	}
	md := []string{s.reportText(in.Lang, s.kit.Location(ctx, in.UserID), f)}
	for _, p := range prios {
		md = append(md, "", p.Card.Text)
	}
	dm, err := s.dm(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	name := "diagnostic-" + f.c.Label()
	_, err = s.chat.Upload(ctx, bot.Message{ChannelID: dm, Text: s.kit.T(in.Lang, "diag.export.message", "label", f.c.Label())},
		[]bot.File{{Name: name + ".md", Data: []byte(strings.Join(md, "\n") + "\n")}, {Name: name + ".csv", Data: data}})
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "diag.export.sent"), nil
}

// groupLabel names the group a respondent's answers are shown under: their
// role when the report shows it apart, "others" when it is merged, "all"
// when no breakdown may be shown.
func (s *Diag) groupLabel(l bot.Lang, groups []bot.Group, role bot.Role) string {
	if len(groups) == 0 {
		return s.kit.T(l, "diag.export.all")
	}
	for _, g := range groups {
		if g.Role == role && role != "" {
			return s.kit.T(l, "diag.role."+string(role))
		}
	}
	return s.kit.T(l, "diag.role.others")
}

// answersCSV writes one row per answer, for spreadsheets (see
// commands.NewCSV).
func (s *Diag) answersCSV(l bot.Lang, f *findings) ([]byte, error) {
	type row struct {
		order int
		cells []string
	}
	var rows []row
	for _, sh := range f.sheets {
		if sh.Role == "" {
			continue
		}
		group := s.groupLabel(l, f.r.Groups, sh.Role)
		for i := range f.q.Questions {
			qu := &f.q.Questions[i]
			a, ok := sh.Answers[qu.ID]
			if !ok {
				continue
			}
			score := ""
			if v, ok := qu.Score(a); ok {
				score = strconv.Itoa(v)
			}
			rows = append(rows, row{i, []string{group, f.q.Dimension(qu.Dimension).Name.In(l), qu.Text.In(l), s.answerLabel(l, qu, a), score}})
		}
		for i, d := range f.q.Dimensions {
			t, ok := sh.Targets[d.ID]
			if !ok {
				continue
			}
			score := ""
			if t != bot.TargetDontKnow {
				score = strconv.Itoa(t)
			}
			rows = append(rows, row{len(f.q.Questions) + i, []string{group, d.Name.In(l), s.kit.T(l, "diag.target.ask"), s.targetLabel(l, t), score}})
		}
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.order, b.order), slices.Compare(a.cells, b.cells))
	})
	buf, w := commands.NewCSV(l)
	if err := w.Write(strings.Split(s.kit.T(l, "diag.export.header"), ";")); err != nil {
		return nil, err
	}
	for _, r := range rows {
		for j, v := range r.cells {
			r.cells[j] = commands.Cell(v)
		}
		if err := w.Write(r.cells); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}
