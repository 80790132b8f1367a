package plan

import (
	"context"
	"strconv"
	"strings"

	"balise/bot"
	"balise/commands"
)

// postponeDays is what "+7 days" adds.
const postponeDays = 7

// stepCommand runs `/plan done|undo|due|assign #N <step> [date|@member]`.
func (s *Plans) stepCommand(ctx context.Context, in *commands.Input, verb, arg string) (string, error) {
	p, rest, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	word, value := commands.Subcommand(rest)
	n, err := strconv.Atoi(strings.TrimPrefix(word, "#"))
	if err != nil {
		return s.kit.T(in.Lang, "plan.usage"), nil
	}
	if _, err := p.Step(n); err != nil {
		return "", err
	}
	switch verb {
	case "done":
		return s.tickStep(ctx, p, n, in.UserID, in.Lang)
	case "undo":
		if err := s.mayTick(ctx, p, n, in.UserID); err != nil {
			return "", err
		}
		if _, err := s.edit(ctx, p, func(p *bot.Plan) error { _, err := p.Untick(n); return err }); err != nil {
			return "", err
		}
		return s.kit.T(in.Lang, "plan.step.undone", "plan", p.Number, "step", n), nil
	case "due":
		return s.setDue(ctx, p, n, in.UserID, in.Lang, value)
	case "assign":
		owners, err := s.resolve(ctx, p.ChannelID, strings.Fields(value))
		if err != nil {
			return "", err
		}
		if len(owners) != 1 {
			return s.kit.T(in.Lang, "plan.usage"), nil
		}
		return s.assign(ctx, p, n, in.UserID, in.Lang, owners[0])
	}
	return s.kit.T(in.Lang, "plan.usage"), nil
}

func (s *Plans) tickStep(ctx context.Context, p *bot.Plan, n int, userID string, l bot.Lang) (string, error) {
	if err := s.mayTick(ctx, p, n, userID); err != nil {
		return "", err
	}
	if _, err := s.edit(ctx, p, func(p *bot.Plan) error { _, err := p.Tick(n, userID, s.now()); return err }); err != nil {
		return "", err
	}
	text := s.kit.T(l, "plan.step.done", "plan", p.Number, "step", n)
	if st, err := p.Step(n); err == nil && st.Kind == bot.StepEvaluate {
		text += "\n" + s.kit.T(l, "plan.step.evaluated")
	}
	return text, nil
}

func (s *Plans) setDue(ctx context.Context, p *bot.Plan, n int, userID string, l bot.Lang, value string) (string, error) {
	if err := s.mayTick(ctx, p, n, userID); err != nil {
		return "", err
	}
	due, err := bot.ParseDay(value, s.now(), p.Location)
	if err != nil {
		return "", err
	}
	if _, err := s.edit(ctx, p, func(p *bot.Plan) error { return p.SetDue(n, due) }); err != nil {
		return "", err
	}
	return s.kit.T(l, "plan.step.moved", "plan", p.Number, "step", n, "due", s.day(l, due)), nil
}

func (s *Plans) assign(ctx context.Context, p *bot.Plan, n int, userID string, l bot.Lang, owner string) (string, error) {
	if err := s.mayTick(ctx, p, n, userID); err != nil {
		return "", err
	}
	if _, err := s.edit(ctx, p, func(p *bot.Plan) error { return p.Assign(n, owner) }, owner); err != nil {
		return "", err
	}
	return s.kit.T(l, "plan.step.assigned", "plan", p.Number, "step", n, "owner", s.name(ctx, owner)), nil
}

// addStep runs `/plan step #N add "Title" [--due date] [--owner @x]`.
func (s *Plans) addStep(ctx context.Context, in *commands.Input, arg string) (string, error) {
	p, rest, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	verb, rest := commands.Subcommand(rest)
	if verb != "add" && verb != "ajouter" && verb != "ajout" {
		return s.kit.T(in.Lang, "plan.usage"), nil
	}
	if err := s.mayEdit(ctx, p, in.UserID); err != nil {
		return "", err
	}
	var title []string
	var due bot.Day
	owner := ""
	toks := commands.Tokens(rest)
	for i := 0; i < len(toks); i++ {
		flag := strings.ToLower(strings.TrimPrefix(toks[i], "--"))
		if !strings.HasPrefix(toks[i], "--") {
			title = append(title, toks[i])
			continue
		}
		j := i + 1
		for j < len(toks) && !strings.HasPrefix(toks[j], "--") {
			j++
		}
		v := strings.Join(toks[i+1:j], " ")
		switch flag {
		case "due", "echeance", "échéance":
			if due, err = bot.ParseDay(v, s.now(), p.Location); err != nil {
				return "", err
			}
		case "owner", "responsable", "pour":
			ids, err := s.resolve(ctx, p.ChannelID, strings.Fields(v))
			if err != nil {
				return "", err
			}
			if len(ids) == 1 {
				owner = ids[0]
			}
		default:
			return "", bot.Errorf(bot.EINVALID, "plan.error.unknown_flag", "flag", toks[i])
		}
		i = j - 1
	}
	if owner == "" {
		owner = in.UserID
	}
	var number int
	_, err = s.edit(ctx, p, func(p *bot.Plan) error {
		st, err := p.AddStep(strings.Join(title, " "), owner, due)
		if err == nil {
			number = st.Number
		}
		return err
	}, owner)
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "plan.step.added", "plan", p.Number, "step", number), nil
}

func (s *Plans) archive(ctx context.Context, in *commands.Input, arg string) (string, error) {
	p, _, err := s.findPlan(ctx, in.TeamID, in.UserID, arg)
	if err != nil {
		return "", err
	}
	if err := s.mayEdit(ctx, p, in.UserID); err != nil {
		return "", err
	}
	if _, err := s.edit(ctx, p, func(p *bot.Plan) error { p.ArchivedAt = s.now(); return nil }); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "plan.archived", "plan", p.Number), nil
}

// clickedStep loads the plan and step a button is about, in the team it was
// signed for. A follow-up's button that no longer matches the step (done,
// moved) gets plan.step.stale with where the step stands.
func (s *Plans) clickedStep(ctx context.Context, c *commands.Click) (*bot.Plan, *bot.Step, string, error) {
	id, err := strconv.ParseInt(c.Fields["p"], 10, 64)
	if err != nil {
		return nil, nil, "", bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	p, err := s.store.PlanByID(ctx, id)
	if err != nil {
		return nil, nil, "", err
	}
	if p.TeamID != c.TeamID {
		return nil, nil, "", bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	n, _ := strconv.Atoi(c.Fields["s"])
	st, err := p.Step(n)
	if err != nil {
		return nil, nil, "", err
	}
	if p.Archived() {
		return nil, nil, "", bot.Errorf(bot.ECONFLICT, "plan.error.archived")
	}
	if due, ok := c.Fields["due"]; ok && (st.Done() || due != st.Due.String()) {
		state := s.stepLine(ctx, c.Lang, *st)
		if st.Done() {
			state = s.kit.T(c.Lang, "plan.step.already_done", "step", n, "title", bot.Quiet(st.Title))
		}
		return nil, nil, s.kit.T(c.Lang, "plan.step.stale") + "\n" + state, nil
	}
	if err := s.mayTick(ctx, p, n, c.UserID); err != nil {
		return nil, nil, "", err
	}
	return p, st, "", nil
}

func (s *Plans) clickDone(ctx context.Context, c *commands.Click) (string, error) {
	p, st, stale, err := s.clickedStep(ctx, c)
	if p == nil {
		return stale, err
	}
	if st.Done() {
		return s.kit.T(c.Lang, "plan.step.already_done", "step", st.Number, "title", bot.Quiet(st.Title)), nil
	}
	return s.tickStep(ctx, p, st.Number, c.UserID, c.Lang)
}

func (s *Plans) clickLater(ctx context.Context, c *commands.Click) (string, error) {
	p, st, stale, err := s.clickedStep(ctx, c)
	if p == nil {
		return stale, err
	}
	var due bot.Day
	_, err = s.edit(ctx, p, func(p *bot.Plan) error {
		var err error
		due, err = p.Postpone(st.Number, s.today(p.Location), postponeDays)
		return err
	})
	if err != nil {
		return "", err
	}
	return s.kit.T(c.Lang, "plan.step.moved", "plan", p.Number, "step", st.Number, "due", s.day(c.Lang, due)), nil
}

// stepState is what a step dialog carries: its plan and step.
func stepState(c *commands.Click) map[string]string {
	return map[string]string{"p": c.Fields["p"], "s": c.Fields["s"]}
}

func (s *Plans) clickDate(ctx context.Context, c *commands.Click) (string, error) {
	p, st, stale, err := s.clickedStep(ctx, c)
	if p == nil {
		return stale, err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "plandate", Title: s.kit.T(l, "plan.dialog.date_title"), SubmitLabel: s.kit.T(l, "plan.dialog.save"),
		Intro: s.stepLine(ctx, l, *st),
		Fields: []bot.Field{{Name: "due", Label: s.kit.T(l, "plan.dialog.due"), Kind: "text", Default: st.Due.String(),
			Help: s.kit.T(l, "plan.dialog.due_help")}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, stepState(c))
}

func (s *Plans) clickAssign(ctx context.Context, c *commands.Click) (string, error) {
	p, st, stale, err := s.clickedStep(ctx, c)
	if p == nil {
		return stale, err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "planassign", Title: s.kit.T(l, "plan.dialog.assign_title"), SubmitLabel: s.kit.T(l, "plan.dialog.save"),
		Intro:  s.stepLine(ctx, l, *st),
		Fields: []bot.Field{{Name: "owner", Label: s.kit.T(l, "plan.dialog.owner"), Kind: "select", DataSource: "users"}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, stepState(c))
}

func (s *Plans) clickBlock(ctx context.Context, c *commands.Click) (string, error) {
	p, st, stale, err := s.clickedStep(ctx, c)
	if p == nil {
		return stale, err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "planblock", Title: s.kit.T(l, "plan.dialog.block_title"), SubmitLabel: s.kit.T(l, "plan.dialog.save"),
		Intro: s.stepLine(ctx, l, *st),
		Fields: []bot.Field{{Name: "reason", Label: s.kit.T(l, "plan.blocked.ask"), Kind: "textarea", MaxLen: bot.MaxReason,
			Default: st.Blocked, Help: s.kit.T(l, "plan.dialog.block_help")}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, stepState(c))
}

// submittedStep loads the plan and step a signed dialog state names.
func (s *Plans) submittedStep(ctx context.Context, sub *commands.Submission) (*bot.Plan, int, error) {
	id, _ := strconv.ParseInt(sub.State["p"], 10, 64)
	p, err := s.store.PlanByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	if p.TeamID != sub.TeamID {
		return nil, 0, bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	n, _ := strconv.Atoi(sub.State["s"])
	if _, err := p.Step(n); err != nil {
		return nil, 0, err
	}
	if err := s.mayTick(ctx, p, n, sub.UserID); err != nil {
		return nil, 0, err
	}
	return p, n, nil
}

func (s *Plans) submitDate(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	p, n, err := s.submittedStep(ctx, sub)
	if err != nil {
		return nil, err
	}
	due, err := bot.ParseDay(sub.Text("due"), s.now(), p.Location)
	if err != nil {
		return map[string]string{"due": s.kit.Err(sub.Lang, err)}, nil
	}
	_, err = s.edit(ctx, p, func(p *bot.Plan) error { return p.SetDue(n, due) })
	return nil, err
}

func (s *Plans) submitAssign(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	p, n, err := s.submittedStep(ctx, sub)
	if err != nil {
		return nil, err
	}
	owner := sub.Text("owner")
	in, err := s.chat.IsChannelMember(ctx, p.ChannelID, owner)
	if err != nil {
		return nil, err
	}
	if owner == "" || !in {
		return map[string]string{"owner": s.kit.T(sub.Lang, "plan.error.owner_not_member")}, nil
	}
	_, err = s.edit(ctx, p, func(p *bot.Plan) error { return p.Assign(n, owner) }, owner)
	return nil, err
}

// submitBlock records why a step is stuck and says so in the plan's
// thread, so that someone can help; an empty reason unblocks it.
func (s *Plans) submitBlock(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	p, n, err := s.submittedStep(ctx, sub)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(sub.Text("reason"))
	edited, err := s.edit(ctx, p, func(p *bot.Plan) error { return p.Block(n, reason) })
	if e, ok := err.(*bot.Error); ok && e.Code == bot.EINVALID {
		return map[string]string{"reason": s.kit.Err(sub.Lang, err)}, nil
	}
	if err != nil || reason == "" {
		return nil, err
	}
	st, _ := edited.Step(n)
	text := s.kit.T(edited.Lang, "plan.blocked.posted", "step", n, "title", bot.Quiet(st.Title), "owner", s.name(ctx, sub.UserID),
		"reason", bot.Quiet(st.Blocked))
	if err := s.store.Enqueue(ctx, p.TeamID, bot.Envelope{Message: bot.Message{ChannelID: p.ChannelID, RootID: p.PostID, Text: text}}); err != nil {
		return nil, err
	}
	s.post.Kick()
	return nil, nil
}
