package diag

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"balise/bot"
	"balise/bot/chart"
	"balise/commands"
)

// The report of a campaign: levels and targets, the radar chart and the
// same figures as a table, where people disagree, the priorities with
// their tools, and the map of tools. Only aggregates: see bot.Campaign.

// findings is what a report is made of.
type findings struct {
	c      *bot.Campaign
	q      *bot.Questionnaire
	r      *bot.Report
	is     bot.InformationSystem
	sheets []*bot.Sheet
	plans  []string // the lines of "adoption of the tools chosen", for a report
}

// findingsOf scores a team's campaign numbered in arg (the latest when
// empty).
func (s *Diag) findingsOf(ctx context.Context, teamID, arg string) (*findings, error) {
	n, err := campaignArg(arg)
	if err != nil {
		return nil, err
	}
	c, err := s.store.Campaign(ctx, teamID, n)
	if err != nil {
		return nil, err
	}
	return s.score(ctx, c)
}

func (s *Diag) score(ctx context.Context, c *bot.Campaign) (*findings, error) {
	q, err := s.questionnaire(c)
	if err != nil {
		return nil, err
	}
	sheets, err := s.store.Sheets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	f := &findings{c: c, q: q, r: bot.Score(q, sheets, c.MinGroup), sheets: sheets}
	if f.r.Respondents == 0 {
		return nil, bot.Errorf(bot.ECONFLICT, "diag.error.no_answers")
	}
	var answered []*bot.Sheet
	for _, sh := range sheets {
		if sh.Role != "" {
			answered = append(answered, sh)
		}
	}
	f.is = bot.Inventory(answered)
	return f, nil
}

// report posts the report: in the channel for its opener and team admins
// (/diag report), in the caller's direct channel otherwise (/diag show).
func (s *Diag) report(ctx context.Context, in *commands.Input, arg string, inChannel bool) (string, error) {
	f, err := s.findingsOf(ctx, in.TeamID, arg)
	if err != nil {
		return "", err
	}
	if f.plans, err = s.adoption(ctx, in.Lang, f); err != nil {
		return "", err
	}
	channel, reply, err := s.destination(ctx, in, f.c, inChannel)
	if err != nil {
		return "", err
	}
	loc := s.kit.Location(ctx, in.UserID)
	png, err := s.radar(in.Lang, f)
	if err != nil {
		return "", err
	}
	postID, err := s.chat.Upload(ctx, bot.Message{ChannelID: channel, Text: fit(s.reportText(in.Lang, loc, f))},
		[]bot.File{{Name: s.kit.T(in.Lang, "diag.chart.file", "label", f.c.Label()), Data: png}})
	if err != nil {
		return "", err
	}
	prios, err := s.priorityMessages(ctx, in.Lang, f)
	if err != nil {
		return "", err
	}
	for _, m := range prios {
		m.ChannelID, m.RootID = channel, postID
		if _, err := s.chat.Post(ctx, m); err != nil {
			return "", err
		}
	}
	return reply, nil
}

// destination is where a report or comparison goes: the channel, for
// those who manage the campaign, or the caller's direct channel.
func (s *Diag) destination(ctx context.Context, in *commands.Input, c *bot.Campaign, inChannel bool) (string, string, error) {
	if !inChannel {
		ch, err := s.dm(ctx, in.UserID)
		return ch, s.kit.T(in.Lang, "diag.sent"), err
	}
	if err := s.mayManage(ctx, c, in.UserID); err != nil {
		return "", "", err
	}
	if err := s.chat.JoinChannel(ctx, in.ChannelID); err != nil {
		return "", "", err
	}
	return in.ChannelID, s.kit.T(in.Lang, "diag.report.posted"), nil
}

// maxPost is what a Mattermost post holds, in characters.
const maxPost = 16383

// fit cuts a text that a post could not hold.
func fit(s string) string {
	if utf8.RuneCountInString(s) <= maxPost {
		return s
	}
	return string([]rune(s)[:maxPost-1]) + "…"
}

func (s *Diag) radar(l bot.Lang, f *findings) ([]byte, error) {
	var axes []string
	now, target := chart.Series{Name: s.kit.T(l, "diag.chart.now")}, chart.Series{Name: s.kit.T(l, "diag.chart.target")}
	for _, d := range f.r.Dimensions {
		axes = append(axes, d.Dimension.Short.In(l))
		now.Values = append(now.Values, float64(d.Score))
		target.Values = append(target.Values, float64(d.Target))
	}
	return chart.Radar(s.kit.T(l, "diag.chart.title", "label", f.c.Label()), axes, now, target)
}

// reportText is the report's post: every figure of the chart as a table,
// for phones and screen readers, then the findings in sentences.
func (s *Diag) reportText(l bot.Lang, loc *time.Location, f *findings) string {
	r := f.r
	lines := []string{
		s.kit.T(l, "diag.report.title", "label", f.c.Label(), "name", bot.Quiet(f.c.Name), "date", f.c.CreatedAt.In(loc).Format("2006-01-02"),
			"count", r.Respondents),
		s.kit.T(l, "diag.report.overall", "score", r.Overall, "level", s.kit.T(l, "diag.level."+string(bot.LevelOf(r.Overall))), "target", r.Target),
		"",
		s.kit.T(l, "diag.report.table_header"),
	}
	for _, d := range r.Dimensions {
		score, level := s.kit.T(l, "diag.report.no_figure"), s.kit.T(l, "diag.report.no_figure")
		if d.Answers > 0 {
			score, level = strconv.Itoa(d.Score), s.kit.T(l, "diag.level."+string(d.Level()))
		}
		target := strconv.Itoa(d.Target)
		if !d.TargetSet {
			target = s.kit.T(l, "diag.report.default_target", "target", d.Target)
		}
		lines = append(lines, s.kit.T(l, "diag.report.table_row", "dimension", d.Dimension.Name.In(l), "score", score, "target", target, "level", level))
	}
	lines = append(lines, "", s.kit.T(l, "diag.report.disagree_title"))
	lines = append(lines, s.disagreements(l, f)...)
	if len(r.Difficulties) > 0 {
		var kinds []string
		for _, d := range r.Difficulties {
			kinds = append(kinds, s.kit.T(l, "diag.report.difficulty", "kind", s.kit.T(l, "diag.kind."+string(d.Kind)), "percent", d.Percent))
		}
		lines = append(lines, "", s.kit.T(l, "diag.report.difficulties", "list", strings.Join(kinds, ", ")))
	}
	lines = append(lines, "", s.kit.T(l, "diag.report.priorities_title"))
	if len(r.Priorities) == 0 {
		lines = append(lines, s.kit.T(l, "diag.report.priorities_none"))
	} else {
		for i, p := range r.Priorities {
			lines = append(lines, fmt.Sprintf("%d. %s", i+1, p.Question.Measure.Action.In(l)))
		}
	}
	if len(f.plans) > 0 {
		lines = append(lines, "", s.kit.T(l, "diag.adoption.title"))
		lines = append(lines, f.plans...)
	}
	lines = append(lines, "", s.kit.T(l, "diag.map.title"))
	lines = append(lines, s.toolMap(l, f.is)...)
	return strings.Join(lines, "\n")
}

// adoption is the section "adoption of the tools chosen": each plan of the
// team with check-ins, its latest estimate, beside the dimension its
// tool's categories serve. Empty when there is none.
func (s *Diag) adoption(ctx context.Context, l bot.Lang, f *findings) ([]string, error) {
	if s.plans == nil {
		return nil, nil
	}
	all, err := s.plans.TeamAdoption(ctx, f.c.TeamID)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	ix, err := s.tools.Index(ctx, f.c.TeamID)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, a := range all {
		name, t := a.ToolID, ix.Find(a.ToolID)
		if t != nil {
			name = t.Name
		}
		out = append(out, s.kit.T(l, "diag.adoption.row", "plan", a.Plan, "title", bot.Quiet(a.Title), "tool", bot.Quiet(name),
			"percent", a.Percent, "target", a.Target, "week", a.Week.String(), "goal", a.Goal))
		if d := toolDimension(f, a.ToolID, t); d != nil {
			score := s.kit.T(l, "diag.report.no_figure")
			if d.Answers > 0 {
				score = strconv.Itoa(d.Score)
			}
			out = append(out, s.kit.T(l, "diag.adoption.dimension", "dimension", d.Dimension.Name.In(l), "score", score, "target", d.Target))
		}
	}
	return out, nil
}

// toolDimension is the dimension whose questions' measures name the tool,
// or else share most of its categories; nil when none does.
func toolDimension(f *findings, toolID string, t *bot.Tool) *bot.DimensionScore {
	byName, byCategory := map[string]int{}, map[string]int{}
	for _, q := range f.q.Questions {
		if slices.Contains(q.Measure.Tools, toolID) {
			byName[q.Dimension]++
		}
		if t != nil {
			for _, c := range q.Measure.Categories {
				if slices.Contains(t.Categories, c) {
					byCategory[q.Dimension]++
				}
			}
		}
	}
	for _, counts := range []map[string]int{byName, byCategory} {
		var best *bot.DimensionScore
		for i, d := range f.r.Dimensions {
			if n := counts[d.Dimension.ID]; n > 0 && (best == nil || n > counts[best.Dimension.ID]) {
				best = &f.r.Dimensions[i]
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// How many "nobody knows" questions, and questions that split
// respondents (the widest spread first), a report names.
const (
	maxUnknown = 3
	maxSplit   = 5
)

// disagreements are the sentences of "where people disagree": roles
// whose scores of a dimension are far apart, when roles may be shown,
// and questions whose answers spread over two levels or more.
func (s *Diag) disagreements(l bot.Lang, f *findings) []string {
	var out []string
	r := f.r
	if r.Groups == nil && r.Respondents > 1 {
		out = append(out, s.kit.T(l, "diag.report.groups_hidden", "min", f.c.MinGroup))
	}
	for _, d := range r.Dimensions {
		if !d.RolesDisagree() {
			continue
		}
		var groups []string
		for i, g := range r.Groups {
			if d.ByGroup[i] < 0 {
				continue
			}
			role := string(g.Role)
			if role == "" {
				role = "others"
			}
			groups = append(groups, s.kit.T(l, "diag.report.group."+role, "score", d.ByGroup[i]))
		}
		out = append(out, "• "+s.kit.T(l, "diag.report.disagree_role", "dimension", d.Dimension.Name.In(l), "groups", strings.Join(groups, ", ")))
	}
	var split []bot.QuestionScore
	for _, qs := range r.Questions {
		if qs.Disagree {
			split = append(split, qs)
		}
	}
	slices.SortStableFunc(split, func(a, b bot.QuestionScore) int { return b.Spread - a.Spread })
	for i, qs := range split {
		if i == maxSplit {
			out = append(out, "• "+s.kit.T(l, "diag.report.disagree_more", "count", len(split)-maxSplit))
			break
		}
		out = append(out, "• "+s.kit.T(l, "diag.report.disagree_question", "question", qs.Question.Text.In(l),
			"low", qs.Low.Label.In(l), "high", qs.High.Label.In(l)))
	}
	if len(split) == 0 {
		out = append(out, s.kit.T(l, "diag.report.disagree_none"))
	}
	unknown := 0
	for _, qs := range r.Questions {
		if qs.DontKnow >= 2 && 2*qs.DontKnow >= r.Respondents && unknown < maxUnknown {
			unknown++
			out = append(out, "• "+s.kit.T(l, "diag.report.unknown", "question", qs.Question.Text.In(l), "count", qs.DontKnow))
		}
	}
	return out
}

// maxMapTools is how many tools the map describes; the others are named.
const maxMapTools = 15

func (s *Diag) toolMap(l bot.Lang, is bot.InformationSystem) []string {
	if len(is.Tools) == 0 {
		return []string{s.kit.T(l, "diag.map.empty")}
	}
	var out, shadow []string
	for i, t := range is.Tools {
		if t.Shadow {
			shadow = append(shadow, t.Name)
		}
		if i >= maxMapTools {
			continue
		}
		out = append(out, "• "+s.kit.T(l, "diag.map.tool", "name", t.Name, "count", t.Users))
		for _, part := range []struct {
			key  string
			list []string
		}{{"diag.map.needs", t.Needs}, {"diag.map.how", t.Hows}, {"diag.map.limits", t.Limits}} {
			if len(part.list) > 0 {
				out = append(out, "  "+s.kit.T(l, part.key, "list", quoteAll(part.list)))
			}
		}
		var futures []string
		for _, fu := range bot.Futures {
			if n := t.Futures[fu]; n > 0 {
				futures = append(futures, fmt.Sprintf("%s %d", s.kit.T(l, "diag.future."+string(fu)), n))
			}
		}
		if len(futures) > 0 {
			out = append(out, "  "+s.kit.T(l, "diag.map.futures", "list", strings.Join(futures, ", ")))
		}
	}
	if len(shadow) > 0 {
		out = append(out, s.kit.T(l, "diag.map.shadow", "list", strings.Join(shadow, ", ")))
	}
	for _, o := range is.Overlaps {
		out = append(out, s.kit.T(l, "diag.map.overlap", "category", s.kit.T(l, "tool.category."+o.Category), "tools", strings.Join(o.Tools, ", ")))
	}
	return out
}

// quoteAll quotes free texts, neutralising mentions: they are shown
// without names, sorted.
func quoteAll(texts []string) string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = "« " + bot.Quiet(strings.Join(strings.Fields(t), " ")) + " »"
	}
	return strings.Join(out, " ")
}

// maxPriorityTools is how many tools a priority proposes.
const maxPriorityTools = 3

// priorityTools are the catalogue entries that fit a priority: those its
// measure names, or else the free tools of its categories.
func priorityTools(ix *bot.ToolIndex, m bot.Measure) []*bot.Tool {
	var out []*bot.Tool
	add := func(t *bot.Tool) {
		if t != nil && len(out) < maxPriorityTools && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, id := range m.Tools {
		add(ix.Find(id))
	}
	if len(out) == 0 {
		for _, c := range m.Categories {
			for _, t := range ix.InCategory(c) {
				add(t)
			}
		}
	}
	return out
}

// priorityMessages are the priorities, one post each, with a button per
// tool to propose it to the board and one to start a plan.
func (s *Diag) priorityMessages(ctx context.Context, l bot.Lang, f *findings) ([]bot.Message, error) {
	ix, err := s.tools.Index(ctx, f.c.TeamID)
	if err != nil {
		return nil, err
	}
	var out []bot.Message
	for i, p := range f.r.Priorities {
		m := p.Question.Measure
		text := s.kit.T(l, "diag.report.priority", "rank", i+1, "action", m.Action.In(l), "dimension", p.Dimension.Name.In(l),
			"kind", s.kit.T(l, "diag.kind."+string(p.Question.Difficulty)), "score", p.Score, "target", p.Target,
			"why", m.Why.In(l), "how", m.How.In(l))
		card := &bot.Card{Text: text}
		tools := priorityTools(ix, m)
		var names []string
		for _, t := range tools {
			names = append(names, t.Name)
			card.Buttons = append(card.Buttons, s.kit.Button("propose"+buttonID(t.ID), s.kit.T(l, "tool.propose.button", "name", t.Name),
				"primary", "propose", map[string]string{"team": f.c.TeamID, "tool": t.ID}))
		}
		if len(names) > 0 {
			card.Text += "\n" + s.kit.T(l, "diag.report.priority_tools", "tools", strings.Join(names, ", "))
		}
		plan := map[string]string{"team": f.c.TeamID, "title": m.Action.In(l)}
		if len(tools) > 0 {
			plan["tool"] = tools[0].ID
		}
		card.Buttons = append(card.Buttons, s.kit.Button("planstart", s.kit.T(l, "diag.button.plan"), "default", "planstart", plan))
		out = append(out, bot.Message{Card: card})
	}
	return out, nil
}

// buttonID keeps what Mattermost accepts in an action id: [A-Za-z0-9].
func buttonID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// compare posts how the team moved between two campaigns: the latest two,
// or those named ("V1 V2").
func (s *Diag) compare(ctx context.Context, in *commands.Input, rest string) (string, error) {
	args := strings.Fields(rest)
	var before, after *bot.Campaign
	var err error
	switch len(args) {
	case 0:
		if after, err = s.store.Campaign(ctx, in.TeamID, 0); err != nil {
			return "", err
		}
		if after.Number < 2 {
			return "", bot.Errorf(bot.ECONFLICT, "diag.error.compare_needs_two")
		}
		before, err = s.store.Campaign(ctx, in.TeamID, after.Number-1)
	case 2:
		var nb, na int
		if nb, err = campaignArg(args[0]); err == nil {
			na, err = campaignArg(args[1])
		}
		if err != nil {
			return "", err
		}
		if nb > na {
			nb, na = na, nb
		}
		if nb == na {
			return "", bot.Errorf(bot.ECONFLICT, "diag.error.compare_needs_two")
		}
		if before, err = s.store.Campaign(ctx, in.TeamID, nb); err == nil {
			after, err = s.store.Campaign(ctx, in.TeamID, na)
		}
	default:
		return s.kit.T(in.Lang, "diag.usage"), nil
	}
	if err != nil {
		return "", err
	}
	fb, err := s.score(ctx, before)
	if err != nil {
		return "", err
	}
	fa, err := s.score(ctx, after)
	if err != nil {
		return "", err
	}
	manager, err := s.manager(ctx, after, in.UserID)
	if err != nil {
		return "", err
	}
	channel, reply, err := s.destination(ctx, in, after, manager)
	if err != nil {
		return "", err
	}
	cmp := bot.Compare(fb.q, fb.sheets, fa.q, fa.sheets)
	png, err := s.compareChart(in.Lang, before, after, cmp)
	if err != nil {
		return "", err
	}
	_, err = s.chat.Upload(ctx, bot.Message{ChannelID: channel, Text: s.compareText(in.Lang, before, after, cmp)},
		[]bot.File{{Name: s.kit.T(in.Lang, "diag.chart.file", "label", before.Label()+"-"+after.Label()), Data: png}})
	if err != nil {
		return "", err
	}
	return reply, nil
}

func (s *Diag) compareChart(l bot.Lang, before, after *bot.Campaign, cmp bot.Comparison) ([]byte, error) {
	var axes []string
	b, a := chart.Series{Name: before.Label()}, chart.Series{Name: after.Label()}
	for _, d := range cmp.Dimensions {
		axes = append(axes, d.Dimension.Short.In(l))
		b.Values = append(b.Values, float64(d.Before))
		a.Values = append(a.Values, float64(d.After))
	}
	return chart.Radar(s.kit.T(l, "diag.chart.title", "label", before.Label()+" → "+after.Label()), axes, b, a)
}

func (s *Diag) compareText(l bot.Lang, before, after *bot.Campaign, cmp bot.Comparison) string {
	lines := []string{s.kit.T(l, "diag.compare.title", "before", before.Label(), "after", after.Label())}
	var rise, fall *bot.DimensionChange
	for i, d := range cmp.Dimensions {
		if d.BeforeAnswers == 0 || d.AfterAnswers == 0 {
			none := s.kit.T(l, "diag.report.no_figure")
			b, a := strconv.Itoa(d.Before), strconv.Itoa(d.After)
			if d.BeforeAnswers == 0 {
				b = none
			}
			if d.AfterAnswers == 0 {
				a = none
			}
			lines = append(lines, "• "+s.kit.T(l, "diag.compare.row", "dimension", d.Dimension.Name.In(l), "before", b, "after", a, "delta", none))
			continue
		}
		lines = append(lines, "• "+s.kit.T(l, "diag.compare.row", "dimension", d.Dimension.Name.In(l), "before", d.Before, "after", d.After,
			"delta", fmt.Sprintf("%+d", d.Delta())))
		if d.Delta() > 0 && (rise == nil || d.Delta() > rise.Delta()) {
			rise = &cmp.Dimensions[i]
		}
		if d.Delta() < 0 && (fall == nil || d.Delta() < fall.Delta()) {
			fall = &cmp.Dimensions[i]
		}
	}
	if rise != nil {
		lines = append(lines, s.kit.T(l, "diag.compare.up", "dimension", rise.Dimension.Name.In(l), "delta", rise.Delta()))
	}
	if fall != nil {
		lines = append(lines, s.kit.T(l, "diag.compare.down", "dimension", fall.Dimension.Name.In(l), "delta", -fall.Delta()))
	}
	if rise == nil && fall == nil {
		lines = append(lines, s.kit.T(l, "diag.compare.flat"))
	}
	if len(cmp.LeftOut) > 0 {
		lines = append(lines, s.kit.T(l, "diag.compare.left_out", "count", len(cmp.LeftOut), "list", strings.Join(cmp.LeftOut, ", ")))
	}
	return strings.Join(lines, "\n")
}
