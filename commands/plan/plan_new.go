package plan

import (
	"context"
	"strconv"
	"strings"

	"balise/bot"
	"balise/commands"
)

// draft is a new plan as typed or filled in a form.
type draft struct {
	Title     string
	Tool      string
	Referents []string // names as typed
	Start     string
	Members   string
	Template  string
}

// planFlags maps every accepted flag, English and French, to its meaning.
var planFlags = map[string]string{
	"tool": "tool", "outil": "tool",
	"referents": "referents", "referent": "referents", "référents": "referents", "référent": "referents",
	"referentes": "referents", "référentes": "referents",
	"start": "start", "debut": "start", "début": "start",
	"members": "members", "membres": "members",
	"template": "template", "modele": "template", "modèle": "template",
}

// parseDraft reads `"Title" [--tool x] [--referents @a @b] [--start date]
// [--members N] [--template standard|empty]`.
func parseDraft(text string) (draft, error) {
	var d draft
	var title []string
	toks := commands.Tokens(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !strings.HasPrefix(t, "--") {
			title = append(title, t)
			continue
		}
		name, ok := planFlags[strings.ToLower(strings.TrimPrefix(t, "--"))]
		j := i + 1
		for j < len(toks) && !strings.HasPrefix(toks[j], "--") {
			j++
		}
		values := toks[i+1 : j]
		switch {
		case !ok:
			return d, bot.Errorf(bot.EINVALID, "plan.error.unknown_flag", "flag", t)
		case len(values) == 0:
			return d, bot.Errorf(bot.EINVALID, "plan.error.flag_value", "flag", t)
		}
		v := strings.Join(values, " ")
		switch name {
		case "tool":
			d.Tool = v
		case "referents":
			d.Referents = values
		case "start":
			d.Start = v
		case "members":
			d.Members = v
		case "template":
			d.Template = v
		}
		i = j - 1
	}
	d.Title = strings.Join(title, " ")
	return d, nil
}

// fieldError is an error about one field of the form.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

func onField(field string, err error) error {
	if err == nil || bot.ErrorCode(err) == bot.EINTERNAL {
		return err
	}
	return &fieldError{field, err}
}

func (s *Plans) newPlan(ctx context.Context, in *commands.Input, text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", s.openForm(ctx, in.Request, in.Lang, "", "")
	}
	d, err := parseDraft(text)
	if err != nil {
		return s.kit.Err(in.Lang, err) + "\n" + s.kit.T(in.Lang, "plan.usage"), nil
	}
	p, err := s.create(ctx, in.Request, in.Lang, d)
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "plan.created", "number", p.Number), nil
}

// create builds a plan from a draft, stores it with its follow-ups, arms
// its referents' nudges and posts its card. A plan opens only for a member
// of the channel.
func (s *Plans) create(ctx context.Context, req bot.Request, l bot.Lang, d draft) (*bot.Plan, error) {
	if err := commands.EnterChannel(ctx, s.chat, req.ChannelID, req.UserID, "plan.error.not_member"); err != nil {
		return nil, err
	}
	creator, err := s.chat.Member(ctx, req.UserID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &bot.Plan{TeamID: req.TeamID, ChannelID: req.ChannelID, CreatorID: req.UserID, Lang: l, Location: creator.Location,
		Title: d.Title, CreatedAt: now, Start: bot.DayOf(now, creator.Location)}
	if p.Location == nil {
		p.Location = s.kit.Location(ctx, req.UserID)
	}
	if d.Tool = strings.TrimSpace(d.Tool); d.Tool != "" {
		if p.ToolID, err = s.toolID(ctx, req.TeamID, d.Tool); err != nil {
			return nil, onField("tool", err)
		}
	}
	if p.Referents, err = s.resolve(ctx, req.ChannelID, d.Referents); err != nil {
		return nil, onField("referents", err)
	}
	if len(p.Referents) == 0 {
		p.Referents = []string{req.UserID} // someone must hear of the plan
	}
	if strings.TrimSpace(d.Start) != "" {
		if p.Start, err = bot.ParseDay(d.Start, now, p.Location); err != nil {
			return nil, onField("start", err)
		}
	}
	if strings.TrimSpace(d.Members) != "" {
		if p.Target, err = strconv.Atoi(strings.TrimSpace(d.Members)); err != nil {
			return nil, onField("members", bot.Errorf(bot.EINVALID, "plan.error.target", "max", bot.MaxTarget))
		}
	} else {
		members, err := s.chat.ChannelMembers(ctx, req.ChannelID)
		if err != nil {
			return nil, err
		}
		p.Target = max(1, len(members))
	}
	t, err := bot.ParseTemplate(strings.ToLower(strings.TrimSpace(d.Template)))
	if err != nil {
		return nil, onField("template", err)
	}
	p.Lay(t, func(k bot.StepKind) string { return s.kit.T(l, "plan.step."+string(k)) })
	if err := p.Validate(); err != nil {
		return nil, onField("title", err)
	}
	if err := s.store.CreatePlan(ctx, p, p.FollowUps(now, s.people(ctx, p), s.holidays)); err != nil {
		return nil, err
	}
	msg := s.card(ctx, p)
	postID, err := s.chat.Post(ctx, msg)
	if err == nil {
		err = s.store.SetPlanPost(ctx, p.ID, postID)
	}
	if err != nil {
		if derr := s.store.DeletePlan(ctx, p.ID); derr != nil {
			commands.LogErr(ctx, derr, "remove a plan whose card failed")
		}
		return nil, err
	}
	p.PostID = postID
	for _, r := range p.Referents {
		if err := s.armNudge(ctx, p.TeamID, r, false); err != nil {
			commands.LogErr(ctx, err, "arm a referent's nudge")
		}
	}
	s.sched.Wake()
	return p, nil
}

// toolID finds a catalogue entry by id or by name.
func (s *Plans) toolID(ctx context.Context, teamID, v string) (string, error) {
	if s.tools == nil {
		return bot.ToolID(v), nil
	}
	for _, id := range []string{strings.ToLower(v), bot.ToolID(v)} {
		if t, err := s.tools.Tool(ctx, teamID, id); err == nil {
			return t.ID, nil
		} else if bot.ErrorCode(err) != bot.ENOTFOUND {
			return "", err
		}
	}
	return "", bot.Errorf(bot.EINVALID, "plan.error.tool", "value", v)
}

// toolName is how a plan's tool reads.
func (s *Plans) toolName(ctx context.Context, p *bot.Plan) string {
	if s.tools != nil && p.ToolID != "" {
		if t, err := s.tools.Tool(ctx, p.TeamID, p.ToolID); err == nil {
			return t.Name
		}
	}
	return p.ToolID
}

// openForm opens the form of a new plan, title and tool prefilled (from a
// decision's outcome or a diagnostic's priority).
func (s *Plans) openForm(ctx context.Context, req bot.Request, l bot.Lang, title, tool string) error {
	t := func(id string) string { return s.kit.T(l, id) }
	dlg := bot.Dialog{CallbackID: "plan", Title: t("plan.dialog.title"), SubmitLabel: t("plan.dialog.submit"),
		Fields: []bot.Field{
			{Name: "title", Label: t("plan.dialog.field_title"), Kind: "text", MaxLen: bot.MaxPlanTitle, Default: title},
			{Name: "tool", Label: t("plan.dialog.tool"), Kind: "text", Optional: true, Default: tool, Help: t("plan.dialog.tool_help")},
			{Name: "referents", Label: t("plan.dialog.referents"), Kind: "text", Optional: true, Help: t("plan.dialog.referents_help")},
			{Name: "start", Label: t("plan.dialog.start"), Kind: "text", Optional: true, Help: t("plan.dialog.start_help")},
			{Name: "members", Label: t("plan.dialog.members"), Kind: "text", Subtype: "number", Optional: true, Help: t("plan.dialog.members_help")},
			{Name: "template", Label: t("plan.dialog.template"), Kind: "radio", Default: string(bot.StandardTemplate), Options: []bot.Option{
				{Label: t("plan.template.standard"), Value: string(bot.StandardTemplate)}, {Label: t("plan.template.empty"), Value: string(bot.EmptyTemplate)}}},
		}}
	return s.kit.OpenDialog(ctx, req, dlg, map[string]string{"channel": req.ChannelID})
}

// submitPlan creates the plan of the form; a wrong field is shown beside it.
func (s *Plans) submitPlan(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	d := draft{Title: sub.Text("title"), Tool: sub.Text("tool"), Start: sub.Text("start"), Template: sub.Text("template"),
		Members: numberText(sub.Values["members"])}
	if r := strings.TrimSpace(sub.Text("referents")); r != "" {
		d.Referents = strings.Fields(r)
	}
	req := sub.Request
	req.ChannelID = sub.State["channel"] // where the form was opened, not where the client says
	_, err := s.create(ctx, req, sub.Lang, d)
	if fe, ok := err.(*fieldError); ok {
		return map[string]string{fe.field: s.kit.Err(sub.Lang, fe.err)}, nil
	}
	return nil, err
}

// numberText reads a number field, which clients send as text or number.
func numberText(v any) string {
	switch q := v.(type) {
	case string:
		return q
	case float64:
		return strconv.FormatFloat(q, 'f', -1, 64)
	}
	return ""
}

// clickStart opens the plan form prefilled: a closed decision's "Start a
// plan", a diagnostic priority's.
func (s *Plans) clickStart(ctx context.Context, c *commands.Click) (string, error) {
	return "", s.openForm(ctx, c.Request, c.Lang, c.Fields["title"], c.Fields["tool"])
}
