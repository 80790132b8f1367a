package diag

import (
	"context"
	"fmt"
	"strings"

	"balise/bot"
	"balise/commands"
)

// The per-tool inventory, the optional last step: tools picked by
// category (a dialog's menu, then a button per tool), typed by name
// (matched against the catalogue, kept as typed otherwise), or added
// freely; each may then be described (need, how, limits, future, how often).

// maxPick is how many tools of a category are offered as buttons.
const maxPick = 15

func (s *Diag) toolsMessage(l bot.Lang, c *bot.Campaign, sheet *bot.Sheet) bot.Message {
	text := s.kit.T(l, "diag.tools.intro")
	if len(sheet.Tools) > 0 {
		var names []string
		for _, u := range sheet.Tools {
			names = append(names, u.Name)
		}
		text += "\n" + s.kit.T(l, "diag.tools.listed", "count", len(names), "names", strings.Join(names, ", "))
	}
	card := &bot.Card{Text: text}
	for _, b := range []struct{ kind, key, style string }{
		{"category", "diag.tools.by_category", "default"}, {"names", "diag.tools.type", "default"},
		{"other", "diag.tools.other", "default"}, {"done", "diag.tools.done", "primary"},
	} {
		card.Buttons = append(card.Buttons, s.respondentButton(b.kind, s.kit.T(l, b.key), b.style, "diagtools", c, sheet.UserID,
			map[string]string{"kind": b.kind}))
	}
	return bot.Message{Card: card}
}

// clickTools answers the inventory's buttons: a dialog to pick or type
// tools, or the end of the questionnaire.
func (s *Diag) clickTools(ctx context.Context, c *commands.Click) (string, error) {
	camp, _, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	if !camp.Open(s.now()) {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	state := map[string]string{"c": c.Fields["c"]}
	switch c.Fields["kind"] {
	case "category":
		f := bot.Field{Name: "category", Label: s.kit.T(c.Lang, "diag.field.category"), Kind: "select"}
		f.Options = s.categoryOptions(c.Lang)
		return "", s.kit.OpenDialog(ctx, c.Request, bot.Dialog{CallbackID: "diagcategory", Title: s.kit.T(c.Lang, "diag.dialog.tools_title"),
			SubmitLabel: "OK", Fields: []bot.Field{f}}, state)
	case "names":
		return "", s.kit.OpenDialog(ctx, c.Request, bot.Dialog{CallbackID: "diagnames", Title: s.kit.T(c.Lang, "diag.dialog.tools_title"),
			SubmitLabel: "OK", Fields: []bot.Field{{Name: "names", Label: s.kit.T(c.Lang, "diag.field.names"), Kind: "textarea",
				Help: s.kit.T(c.Lang, "diag.field.names_help"), MaxLen: 1000}}}, state)
	case "other":
		return "", s.openToolDialog(ctx, c.Request, c.Lang, state, nil)
	}
	return "", s.postDM(ctx, c.UserID, bot.Message{Text: s.kit.T(c.Lang, "diag.finished", "when", s.closesWhen(ctx, c.Lang, camp, c.UserID))})
}

func (s *Diag) categoryOptions(l bot.Lang) []bot.Option {
	var out []bot.Option
	for _, cat := range bot.ToolCategories {
		out = append(out, bot.Option{Label: s.kit.T(l, "tool.category."+cat), Value: cat})
	}
	return out
}

// openToolDialog opens the form describing a tool; u is nil for a tool
// typed freely ("Other tool").
func (s *Diag) openToolDialog(ctx context.Context, req bot.Request, l bot.Lang, state map[string]string, u *bot.ToolUse) error {
	d := bot.Dialog{CallbackID: "diagtool", Title: s.kit.T(l, "diag.dialog.tool_title"), SubmitLabel: "OK"}
	if u == nil {
		u = &bot.ToolUse{}
		d.Fields = append(d.Fields, bot.Field{Name: "name", Label: s.kit.T(l, "diag.field.name"), Kind: "text", MaxLen: bot.MaxToolName})
	} else {
		d.Intro = "**" + u.Name + "**"
		state["k"] = u.Key()
	}
	var futures, frequencies []bot.Option
	for _, f := range bot.Futures {
		futures = append(futures, bot.Option{Label: s.kit.T(l, "diag.future."+string(f)), Value: string(f)})
	}
	for _, f := range bot.Frequencies {
		frequencies = append(frequencies, bot.Option{Label: s.kit.T(l, "diag.frequency."+string(f)), Value: string(f)})
	}
	d.Fields = append(d.Fields,
		bot.Field{Name: "category", Label: s.kit.T(l, "diag.field.category"), Kind: "select", Optional: true, Default: u.Category, Options: s.categoryOptions(l)},
		bot.Field{Name: "need", Label: s.kit.T(l, "diag.field.need"), Kind: "textarea", Optional: true, Default: u.Need, MaxLen: bot.MaxInventoryText},
		bot.Field{Name: "how", Label: s.kit.T(l, "diag.field.how"), Kind: "textarea", Optional: true, Default: u.How, MaxLen: bot.MaxInventoryText},
		bot.Field{Name: "limits", Label: s.kit.T(l, "diag.field.limits"), Kind: "textarea", Optional: true, Default: u.Limits, MaxLen: bot.MaxInventoryText},
		bot.Field{Name: "future", Label: s.kit.T(l, "diag.field.future"), Kind: "select", Optional: true, Default: string(u.Future), Options: futures},
		bot.Field{Name: "frequency", Label: s.kit.T(l, "diag.field.frequency"), Kind: "select", Optional: true, Default: string(u.Frequency), Options: frequencies},
	)
	return s.kit.OpenDialog(ctx, req, d, state)
}

// submission reads the campaign of a submitted inventory dialog; only
// the respondent it was opened for can submit it (the state is signed for
// them).
func (s *Diag) submission(ctx context.Context, sub *commands.Submission) (*bot.Campaign, func(), error) {
	camp, _, unlock, err := s.campaignOf(ctx, sub.TeamID, sub.State["c"], sub.UserID)
	return camp, unlock, err
}

// submitCategory offers the free tools of the chosen category as buttons.
func (s *Diag) submitCategory(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	camp, unlock, err := s.submission(ctx, sub)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix, err := s.tools.Index(ctx, sub.TeamID)
	if err != nil {
		return nil, err
	}
	cat := sub.Text("category")
	tools := ix.InCategory(cat)
	if len(tools) == 0 {
		return map[string]string{"category": s.kit.T(sub.Lang, "diag.tools.category_none")}, nil
	}
	label := s.kit.T(sub.Lang, "tool.category."+cat)
	card := &bot.Card{Text: s.kit.T(sub.Lang, "diag.tools.pick", "category", label)}
	for i, t := range tools[:min(len(tools), maxPick)] {
		card.Buttons = append(card.Buttons, s.respondentButton(fmt.Sprintf("add%d", i), t.Name, "default", "diagadd", camp, sub.UserID,
			map[string]string{"tool": t.ID, "cat": cat}))
	}
	return nil, s.postDM(ctx, sub.UserID, bot.Message{Card: card})
}

// clickAdd adds a catalogue tool picked in a category.
func (s *Diag) clickAdd(ctx context.Context, c *commands.Click) (string, error) {
	camp, _, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	ix, err := s.tools.Index(ctx, c.TeamID)
	if err != nil {
		return "", err
	}
	t := ix.Find(c.Fields["tool"])
	if t == nil {
		return "", bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", c.Fields["tool"])
	}
	sheet, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	for _, u := range sheet.Tools {
		if u.ToolID == t.ID {
			return s.kit.T(c.Lang, "diag.answer.same", "option", t.Name), nil
		}
	}
	u := bot.ToolUse{ToolID: t.ID, Name: t.Name, Category: c.Fields["cat"]}
	if err := s.store.SaveToolUse(ctx, camp.ID, c.UserID, u); err != nil {
		return "", err
	}
	return "", s.postDM(ctx, c.UserID, s.addedMessage(c.Lang, camp, c.UserID, u, ""))
}

// addedMessage says a tool joined the inventory, with buttons to describe
// or remove it.
func (s *Diag) addedMessage(l bot.Lang, c *bot.Campaign, userID string, u bot.ToolUse, note string) bot.Message {
	text := s.kit.T(l, "diag.tools.added", "name", u.Name)
	if note != "" {
		text = note + "\n" + text
	}
	return bot.Message{Card: &bot.Card{Text: text, Buttons: []bot.Button{
		s.respondentButton("describe", s.kit.T(l, "diag.tools.describe"), "primary", "diagdescribe", c, userID, map[string]string{"k": u.Key()}),
		s.respondentButton("remove", s.kit.T(l, "diag.tools.remove"), "default", "diagremove", c, userID, map[string]string{"k": u.Key()}),
	}}}
}

// submitNames adds the tools typed by name: catalogue entries when the
// names match, as typed otherwise.
func (s *Diag) submitNames(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	camp, unlock, err := s.submission(ctx, sub)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ix, err := s.tools.Index(ctx, sub.TeamID)
	if err != nil {
		return nil, err
	}
	var uses []bot.ToolUse
	var notes []string
	for _, name := range strings.FieldsFunc(sub.Text("names"), func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		u := bot.ToolUse{Name: name}
		note := ""
		if t := ix.Find(name); t != nil {
			u = bot.ToolUse{ToolID: t.ID, Name: t.Name}
			if len(t.Categories) > 0 {
				u.Category = t.Categories[0]
			}
		} else {
			note = s.kit.T(sub.Lang, "diag.tools.not_in_catalogue", "name", strings.TrimSpace(name))
		}
		if _, err := u.Validate(); err != nil {
			return map[string]string{"names": s.kit.Err(sub.Lang, err)}, nil
		}
		uses, notes = append(uses, u), append(notes, note)
	}
	if len(uses) == 0 {
		return map[string]string{"names": s.kit.T(sub.Lang, "diag.field.names_help")}, nil
	}
	for i, u := range uses {
		if err := s.store.SaveToolUse(ctx, camp.ID, sub.UserID, u); err != nil {
			if bot.ErrorCode(err) == bot.EINVALID {
				return map[string]string{"names": s.kit.Err(sub.Lang, err)}, nil
			}
			return nil, err
		}
		if err := s.postDM(ctx, sub.UserID, s.addedMessage(sub.Lang, camp, sub.UserID, u, notes[i])); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// clickDescribe opens the form describing a tool of the inventory.
func (s *Diag) clickDescribe(ctx context.Context, c *commands.Click) (string, error) {
	camp, _, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	if !camp.Open(s.now()) {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	u, err := s.toolUse(ctx, camp, c.UserID, c.Fields["k"])
	if err != nil {
		return "", err
	}
	return "", s.openToolDialog(ctx, c.Request, c.Lang, map[string]string{"c": c.Fields["c"]}, u)
}

// toolUse returns the respondent's inventory entry with that key.
func (s *Diag) toolUse(ctx context.Context, camp *bot.Campaign, userID, key string) (*bot.ToolUse, error) {
	sheet, err := s.store.Sheet(ctx, camp.ID, userID)
	if err != nil {
		return nil, err
	}
	for i := range sheet.Tools {
		if sheet.Tools[i].Key() == key {
			return &sheet.Tools[i], nil
		}
	}
	return nil, bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", strings.TrimPrefix(key, "name:"))
}

func (s *Diag) clickRemove(ctx context.Context, c *commands.Click) (string, error) {
	camp, _, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	u, err := s.toolUse(ctx, camp, c.UserID, c.Fields["k"])
	if err != nil {
		return "", err
	}
	if err := s.store.RemoveToolUse(ctx, camp.ID, c.UserID, u.Key()); err != nil {
		return "", err
	}
	s.mark(ctx, c.PostID, bot.Message{Text: s.kit.T(c.Lang, "diag.tools.removed", "name", u.Name)})
	return "", nil
}

// submitTool saves the description of a tool, or a tool typed freely.
func (s *Diag) submitTool(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	camp, unlock, err := s.submission(ctx, sub)
	if err != nil {
		return nil, err
	}
	defer unlock()
	u := &bot.ToolUse{}
	isNew := sub.State["k"] == ""
	if !isNew {
		if u, err = s.toolUse(ctx, camp, sub.UserID, sub.State["k"]); err != nil {
			return nil, err
		}
	} else {
		ix, err := s.tools.Index(ctx, sub.TeamID)
		if err != nil {
			return nil, err
		}
		u.Name = sub.Text("name")
		if t := ix.Find(u.Name); t != nil {
			u.ToolID, u.Name = t.ID, t.Name
		}
	}
	u.Category, u.Need, u.How, u.Limits = sub.Text("category"), sub.Text("need"), sub.Text("how"), sub.Text("limits")
	u.Future, u.Frequency = bot.Future(sub.Text("future")), bot.Frequency(sub.Text("frequency"))
	if field, err := u.Validate(); err != nil {
		return map[string]string{field: s.kit.Err(sub.Lang, err)}, nil
	}
	if err := s.store.SaveToolUse(ctx, camp.ID, sub.UserID, *u); err != nil {
		if bot.ErrorCode(err) == bot.EINVALID {
			return map[string]string{"name": s.kit.Err(sub.Lang, err)}, nil
		}
		return nil, err
	}
	if isNew {
		return nil, s.postDM(ctx, sub.UserID, s.addedMessage(sub.Lang, camp, sub.UserID, *u, ""))
	}
	return nil, nil
}
