package tool

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"balise/bot"
	"balise/commands"
)

// mustAdminister returns EFORBIDDEN unless the member administers the
// team (or the server). What they add or edit is their team's alone.
func (s *Advisor) mustAdminister(ctx context.Context, req bot.Request) error {
	ok, err := s.chat.IsTeamAdmin(ctx, req.TeamID, req.UserID)
	if err != nil {
		return err
	}
	if !ok {
		return bot.Errorf(bot.EFORBIDDEN, "tool.error.admins_only")
	}
	return nil
}

func toolJSON(t *bot.Tool) string {
	b, _ := json.Marshal(t)
	return string(b)
}

// openToolDialog opens the form to add an entry, or to edit t.
func (s *Advisor) openToolDialog(ctx context.Context, req bot.Request, l bot.Lang, t *bot.Tool) error {
	if err := s.mustAdminister(ctx, req); err != nil {
		return err
	}
	title, state := s.kit.T(l, "tool.dialog.add"), map[string]string{}
	if t == nil {
		t = &bot.Tool{UserDifficulty: 1, AdminDifficulty: 2, Free: true}
	} else {
		title, state["tool"] = s.kit.T(l, "tool.dialog.edit"), t.ID
	}
	tr := func(id string) string { return s.kit.T(l, id) }
	levels := []bot.Option{{Label: tr("tool.level.1"), Value: "1"}, {Label: tr("tool.level.2"), Value: "2"}, {Label: tr("tool.level.3"), Value: "3"}}
	dlg := bot.Dialog{CallbackID: "tool", Title: title, SubmitLabel: tr("tool.dialog.save"), Fields: []bot.Field{
		{Name: "name", Label: tr("tool.dialog.name"), Kind: "text", MaxLen: bot.MaxToolName, Default: t.Name},
		{Name: "categories", Label: tr("tool.dialog.categories"), Kind: "text", Default: strings.Join(t.Categories, ", "),
			Help: strings.Join(bot.ToolCategories, ", ")},
		{Name: "needs_fr", Label: tr("tool.dialog.needs_fr"), Kind: "textarea", Default: strings.Join(t.Needs.FR, "\n"), Help: tr("tool.dialog.one_per_line")},
		{Name: "needs_en", Label: tr("tool.dialog.needs_en"), Kind: "textarea", Default: strings.Join(t.Needs.EN, "\n"), Help: tr("tool.dialog.one_per_line")},
		{Name: "description_fr", Label: tr("tool.dialog.description_fr"), Kind: "textarea", MaxLen: bot.MaxToolText, Default: t.Description.FR},
		{Name: "description_en", Label: tr("tool.dialog.description_en"), Kind: "textarea", MaxLen: bot.MaxToolText, Default: t.Description.EN},
		{Name: "license", Label: tr("tool.dialog.license"), Kind: "text", Default: t.License, Help: tr("tool.dialog.license_help")},
		{Name: "free", Label: tr("tool.dialog.free"), Kind: "bool", Optional: true, Default: strconv.FormatBool(t.Free)},
		{Name: "replaces", Label: tr("tool.dialog.replaces"), Kind: "text", Optional: true, Default: strings.Join(t.Replaces, ", "), Help: tr("tool.dialog.comma")},
		{Name: "hosting", Label: tr("tool.dialog.hosting"), Kind: "text", Default: strings.Join(t.Hosting, ", "), Help: strings.Join(bot.Hostings, ", ")},
		{Name: "cost_fr", Label: tr("tool.dialog.cost_fr"), Kind: "text", MaxLen: bot.MaxToolText, Default: t.Cost.FR},
		{Name: "cost_en", Label: tr("tool.dialog.cost_en"), Kind: "text", MaxLen: bot.MaxToolText, Default: t.Cost.EN},
		{Name: "user_difficulty", Label: tr("tool.dialog.user_difficulty"), Kind: "select", Options: levels, Default: strconv.Itoa(t.UserDifficulty)},
		{Name: "admin_difficulty", Label: tr("tool.dialog.admin_difficulty"), Kind: "select", Options: levels, Default: strconv.Itoa(t.AdminDifficulty)},
		{Name: "mobile", Label: tr("tool.dialog.mobile"), Kind: "bool", Optional: true, Default: strconv.FormatBool(t.Mobile)},
		{Name: "website", Label: tr("tool.dialog.website"), Kind: "text", Subtype: "url", Default: t.Website},
		{Name: "source", Label: tr("tool.dialog.source"), Kind: "text", Default: t.Source, Help: tr("tool.dialog.source_help")},
	}}
	return s.kit.OpenDialog(ctx, req, dlg, state)
}

// submitTool validates the form field by field and stores the entry,
// marked edited locally; nothing is written while a field is wrong.
func (s *Advisor) submitTool(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	if err := s.mustAdminister(ctx, sub.Request); err != nil {
		return nil, err
	}
	t := toolFromDialog(sub)
	t.Checked = s.now().Format(time.DateOnly)
	id := sub.State["tool"]
	if id == "" {
		t.ID = bot.ToolID(t.Name)
	} else {
		t.ID = id
		if old, err := s.catalogue.Tool(ctx, sub.TeamID, id); err == nil {
			unchanged := *t
			unchanged.Checked = old.Checked
			if toolJSON(&unchanged) == toolJSON(old) {
				t.Checked = old.Checked // saved without a change: not checked anew
			}
		}
	}
	fieldErr := func(field string, err error) (map[string]string, error) {
		if field == "id" || field == "checked" {
			field = "name"
		}
		return map[string]string{field: s.kit.Err(sub.Lang, err)}, nil
	}
	if field, err := t.Validate(); err != nil {
		return fieldErr(field, err)
	}
	var err error
	if id == "" {
		err = s.catalogue.AddTool(ctx, sub.TeamID, t)
	} else {
		err = s.catalogue.EditTool(ctx, sub.TeamID, t)
	}
	if bot.ErrorCode(err) == bot.ECONFLICT {
		return fieldErr("name", err)
	}
	if err != nil {
		return nil, err
	}
	_, err = s.chat.DirectMessage(ctx, sub.UserID, bot.Message{Text: s.kit.T(sub.Lang, "tool.saved", "name", t.Name, "id", t.ID)})
	commands.LogErr(ctx, err, "confirm tool saved")
	return nil, nil
}

// toolFromDialog reads the form into an entry: lists are one per line
// (needs) or separated by commas.
func toolFromDialog(sub *commands.Submission) *bot.Tool {
	lines := func(name string) []string { return strings.Split(sub.Text(name), "\n") }
	commas := func(name string) []string { return strings.Split(sub.Text(name), ",") }
	level := func(name string) int { n, _ := strconv.Atoi(sub.Text(name)); return n }
	yes := func(name string) bool { return sub.Values[name] == true || sub.Text(name) == "true" }
	return &bot.Tool{
		Name:            sub.Text("name"),
		Categories:      commas("categories"),
		Needs:           bot.Phrases{FR: lines("needs_fr"), EN: lines("needs_en")},
		Description:     bot.Text{FR: sub.Text("description_fr"), EN: sub.Text("description_en")},
		License:         sub.Text("license"),
		Free:            yes("free"),
		Replaces:        commas("replaces"),
		Hosting:         commas("hosting"),
		Cost:            bot.Text{FR: sub.Text("cost_fr"), EN: sub.Text("cost_en")},
		UserDifficulty:  level("user_difficulty"),
		AdminDifficulty: level("admin_difficulty"),
		Mobile:          yes("mobile"),
		Website:         sub.Text("website"),
		Source:          sub.Text("source"),
	}
}
