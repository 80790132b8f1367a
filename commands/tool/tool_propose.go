package tool

import (
	"context"

	"balise/bot"
	"balise/commands"
)

// proposeButton is the "Propose to the board" button of a /tool answer: it
// opens the form of a new decision about the tool.
func (s *Advisor) proposeButton(in *commands.Input, t *bot.Tool) bot.Button {
	return s.kit.Button("propose"+sanitizeID(t.ID), s.kit.T(in.Lang, "tool.propose.button", "name", t.Name), "primary", "propose",
		map[string]string{"team": in.TeamID, "tool": t.ID})
}

// sanitizeID keeps what Mattermost accepts in an action id: [A-Za-z0-9].
func sanitizeID(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			out = append(out, c)
		}
	}
	return string(out)
}

// clickPropose opens the decision form, titled "Adopt <tool>", with the
// tool's description and website as details.
func (s *Advisor) clickPropose(ctx context.Context, c *commands.Click) (string, error) {
	ix, err := s.tools.Index(ctx, c.TeamID)
	if err != nil {
		return "", err
	}
	t := ix.Find(c.Fields["tool"])
	if t == nil {
		return "", bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", c.Fields["tool"])
	}
	title := s.kit.T(c.Lang, "tool.propose.title", "name", t.Name)
	details := t.Description.In(c.Lang) + "\n" + t.Website
	return "", s.board.OpenForm(ctx, c.Request, c.Lang, title, details)
}
