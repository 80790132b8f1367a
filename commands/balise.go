package commands

import (
	"context"
	"strings"

	"balise/bot"
)

// registerBalise adds /balise: help, the language choice and the member's
// own data (balise_privacy.go); capabilities add further subcommands with
// Routes.Balise.
func (s *Server) registerBalise() {
	s.routes.Command("balise", "help.balise", s.runBalise, "balise")
	s.routes.Action("lang", s.clickLang)
	s.routes.Action("forget", s.clickForget)
}

func (s *Server) runBalise(ctx context.Context, in *Input) (string, error) {
	verb, rest := Subcommand(in.Text)
	switch verb {
	case "", "help", "aide":
		return s.help(in.Lang), nil
	case "lang", "langue", "language":
		return s.runLang(ctx, in, rest)
	case "privacy", "confidentialite", "confidentialité", "donnees", "données", "data":
		return s.runPrivacy(ctx, in)
	case "notice":
		return s.kit.T(in.Lang, "privacy.notice"), nil
	case "forget", "oublier":
		return s.runForget(ctx, in)
	}
	if run, ok := s.routes.balise[verb]; ok {
		sub := *in
		sub.Text = rest
		text, err := run(ctx, &sub)
		in.Buttons = sub.Buttons
		return text, err
	}
	return s.kit.T(in.Lang, "usage.balise"), nil
}

// help lists what Balise can do, one line and one example per command.
func (s *Server) help(l bot.Lang) string {
	lines := []string{s.kit.T(l, "help.intro")}
	for _, name := range []string{"diag", "tool", "decide", "plan", "balise"} {
		if c, ok := s.routes.commands[name]; ok {
			lines = append(lines, s.kit.T(l, c.helpKey))
		}
	}
	for _, key := range s.routes.baliseHelp {
		lines = append(lines, s.kit.T(l, key))
	}
	lines = append(lines, s.kit.T(l, "help.privacy"))
	return strings.Join(lines, "\n")
}

// runLang sets the member's language, or without an argument sends them a
// card with one button per language.
func (s *Server) runLang(ctx context.Context, in *Input, arg string) (string, error) {
	if arg == "" {
		card := &bot.Card{Text: s.kit.T(in.Lang, "lang.choose")}
		for _, l := range []bot.Lang{bot.French, bot.English} {
			card.Buttons = append(card.Buttons, s.kit.Button("lang"+string(l), s.kit.T(l, "lang.name"), "default", "lang",
				map[string]string{"team": in.TeamID, "lang": string(l)}))
		}
		if _, err := s.kit.chat.DirectMessage(ctx, in.UserID, bot.Message{Card: card}); err != nil {
			return "", err
		}
		return s.kit.T(in.Lang, "lang.sent"), nil
	}
	l, ok := bot.ParseLang(arg)
	if !ok {
		return s.kit.T(in.Lang, "lang.usage"), nil
	}
	if err := s.kit.prefs.SetLang(ctx, in.TeamID, in.UserID, l); err != nil {
		return "", err
	}
	return s.kit.T(l, "lang.set"), nil
}

func (s *Server) clickLang(ctx context.Context, c *Click) (string, error) {
	l, ok := bot.ParseLang(c.Fields["lang"])
	if !ok {
		return "", bot.Errorf(bot.EINVALID, "lang.usage")
	}
	if err := s.kit.prefs.SetLang(ctx, c.TeamID, c.UserID, l); err != nil {
		return "", err
	}
	return s.kit.T(l, "lang.set"), nil
}
