package plan

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/go-analyze/charts"

	"balise/bot"
	"balise/commands"
)

// checkInCard asks a referent how many used the plan's tool this week.
func (s *Plans) checkInCard(ctx context.Context, l bot.Lang, p *bot.Plan, stalled bool) *bot.Card {
	f := map[string]string{"team": p.TeamID, "p": strconv.FormatInt(p.ID, 10)}
	id := strconv.FormatInt(p.ID, 10)
	var buttons []bot.Button
	for _, e := range bot.Estimates {
		fe := map[string]string{"e": string(e)}
		for k, v := range f {
			fe[k] = v
		}
		buttons = append(buttons, s.kit.Button("ci"+string(e)+id, s.kit.T(l, "plan.checkin."+string(e)), "default", "plancheckin", fe))
	}
	buttons = append(buttons, s.kit.Button("cn"+id, s.kit.T(l, "plan.button.number"), "default", "plancount", f))
	text := s.kit.T(l, "plan.adoption.note")
	if stalled {
		text = s.kit.T(l, "plan.checkin.stalled") + "\n" + text
	}
	return &bot.Card{Title: fmt.Sprintf("#%d · ", p.Number) + s.kit.T(l, "plan.checkin.ask", "target", p.Target, "tool", bot.Quiet(s.toolName(ctx, p))),
		Text: text, Color: "#1c7c54", Buttons: buttons}
}

// clickedPlan loads the plan a button is about, in the team it was signed for.
func (s *Plans) clickedPlan(ctx context.Context, teamID, field string) (*bot.Plan, error) {
	id, err := strconv.ParseInt(field, 10, 64)
	if err != nil {
		return nil, bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	p, err := s.store.PlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.TeamID != teamID {
		return nil, bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	return p, nil
}

// record stores a check-in for the current week of the plan's zone: what
// the referent declares, never anyone's tracked use.
func (s *Plans) record(ctx context.Context, p *bot.Plan, userID string, l bot.Lang, answer string) (string, error) {
	if err := s.mayEdit(ctx, p, userID); err != nil {
		return "", err
	}
	e, used, err := bot.ParseEstimate(answer, p.Target)
	if err != nil {
		return "", err
	}
	week := s.today(p.Location).Monday()
	if err := s.store.RecordCheckIn(ctx, bot.CheckIn{PlanID: p.ID, TeamID: p.TeamID, Week: week, Estimate: e, Used: used,
		By: userID, At: s.now()}); err != nil {
		return "", err
	}
	s.cards.Refresh(p.ID)
	return s.kit.T(l, "plan.checkin.thanks", "week", s.day(l, week)), nil
}

func (s *Plans) clickCheckIn(ctx context.Context, c *commands.Click) (string, error) {
	p, err := s.clickedPlan(ctx, c.TeamID, c.Fields["p"])
	if err != nil {
		return "", err
	}
	return s.record(ctx, p, c.UserID, c.Lang, c.Fields["e"])
}

// clickCount opens the dialog where a referent gives a number.
func (s *Plans) clickCount(ctx context.Context, c *commands.Click) (string, error) {
	p, err := s.clickedPlan(ctx, c.TeamID, c.Fields["p"])
	if err != nil {
		return "", err
	}
	if err := s.mayEdit(ctx, p, c.UserID); err != nil {
		return "", err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "plancount", Title: s.kit.T(l, "plan.dialog.count_title"), SubmitLabel: s.kit.T(l, "plan.dialog.save"),
		Intro: s.kit.T(l, "plan.checkin.ask", "target", p.Target, "tool", bot.Quiet(s.toolName(ctx, p))),
		Fields: []bot.Field{{Name: "used", Label: s.kit.T(l, "plan.dialog.used"), Kind: "text", Subtype: "number",
			Help: s.kit.T(l, "plan.adoption.note")}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, map[string]string{"p": c.Fields["p"]})
}

func (s *Plans) submitCount(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	p, err := s.clickedPlan(ctx, sub.TeamID, sub.State["p"])
	if err != nil {
		return nil, err
	}
	_, err = s.record(ctx, p, sub.UserID, sub.Lang, numberText(sub.Values["used"]))
	if bot.ErrorCode(err) == bot.EINVALID {
		return map[string]string{"used": s.kit.Err(sub.Lang, err)}, nil
	}
	return nil, err
}

// adoption runs `/plan adoption #N` (the curve, posted in the plan's
// thread) and `/plan adoption #N <answer>` (this week's estimate).
func (s *Plans) adoption(ctx context.Context, in *commands.Input, arg string) (string, error) {
	p, rest, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	if rest != "" {
		return s.record(ctx, p, in.UserID, in.Lang, rest)
	}
	return s.postCurve(ctx, p, in.Lang)
}

func (s *Plans) clickCurve(ctx context.Context, c *commands.Click) (string, error) {
	p, err := s.clickedPlan(ctx, c.TeamID, c.Fields["p"])
	if err != nil {
		return "", err
	}
	if err := s.maysee(ctx, p, c.UserID); err != nil {
		return "", err
	}
	return s.postCurve(ctx, p, c.Lang)
}

// postCurve uploads the adoption curve as a chart in the plan's thread,
// with its text table.
func (s *Plans) postCurve(ctx context.Context, p *bot.Plan, l bot.Lang) (string, error) {
	checkIns, err := s.store.CheckIns(ctx, p.ID)
	if err != nil {
		return "", err
	}
	if len(checkIns) == 0 {
		return s.kit.T(l, "plan.adoption.empty"), nil
	}
	curve := p.AdoptionCurve(checkIns)
	title := s.kit.T(l, "plan.adoption.title", "tool", s.toolName(ctx, p), "plan", p.Number)
	lines := []string{"**" + bot.Quiet(title) + "**", "", s.kit.T(l, "plan.adoption.table_head"), "|---|---|---|"}
	for i, pt := range curve {
		lines = append(lines, fmt.Sprintf("| %s | %d%% (%d/%d) | %d%% |", s.day(l, pt.Week), pt.Percent, checkIns[i].Used, p.Target, pt.Goal))
	}
	lines = append(lines, "", s.kit.T(l, "plan.adoption.note"))
	png, err := s.chart(l, title, curve)
	if err != nil {
		return "", err
	}
	msg := bot.Message{ChannelID: p.ChannelID, RootID: p.PostID, Text: strings.Join(lines, "\n")}
	if _, err := s.chat.Upload(ctx, msg, []bot.File{{Name: fmt.Sprintf("adoption-plan-%d.png", p.Number), Data: png}}); err != nil {
		return "", err
	}
	return s.kit.T(l, "plan.adoption.posted", "plan", p.Number), nil
}

// chart draws the curve (share of the target, week by week) beside the goal
// line, as a PNG.
func (s *Plans) chart(l bot.Lang, title string, curve []bot.AdoptionPoint) ([]byte, error) {
	used, goal := make([]float64, len(curve)), make([]float64, len(curve))
	labels := make([]string, len(curve))
	for i, pt := range curve {
		used[i], goal[i] = float64(pt.Percent), float64(pt.Goal)
		_, m, d := pt.Week.Date()
		labels[i] = fmt.Sprintf("%d/%d", d, m)
	}
	return LineChart(title, labels, []string{s.kit.T(l, "plan.adoption.series"), s.kit.T(l, "plan.adoption.goal")},
		[][]float64{used, goal}, 100)
}

// LineChart draws series over labels as an 800×400 PNG, the y axis from 0
// to top.
func LineChart(title string, labels, names []string, series [][]float64, top float64) ([]byte, error) {
	opt := charts.NewLineChartOptionWithData(series)
	opt.Title.Text = title
	opt.XAxis.Labels = labels
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetRight
	opt.YAxis[0].Min, opt.YAxis[0].Max = charts.Ptr(0.0), charts.Ptr(top)
	opt.Symbol.Shape = charts.SymbolCircle
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: 800, Height: 400})
	if err := p.LineChart(opt); err != nil {
		return nil, fmt.Errorf("draw the adoption curve: %w", err)
	}
	return p.Bytes()
}
