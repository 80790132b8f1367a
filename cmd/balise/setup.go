package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot/mattermost"
	"balise/commands"
	"balise/storage"
)

// Setup creates (or finds) the bot account and its token, adds it to the
// teams and registers Balise's slash commands in each. Running it again
// changes nothing, but for commands whose URL moved, and the commands'
// tokens when asked to rotate them.
type Setup struct {
	mattermostURL, adminToken, publicURL, teams, db string
	rotateTokens, force                             bool
	out                                             func(format string, a ...any)
	resolve                                         func(host string) ([]net.IP, error) // net.LookupIP outside tests
}

const botUsername = "balise"

// Run runs the subcommand.
func (s *Setup) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise setup", flag.ContinueOnError)
	settings := []setting{
		{name: "mattermost-url", help: "Mattermost's URL, e.g. https://chat.example.org", dst: &s.mattermostURL},
		{name: "admin-token", help: "a system admin's personal access token, used only by setup", secret: true, dst: &s.adminToken},
		{name: "public-url", help: "Balise's URL as Mattermost reaches it, e.g. https://balise.example.org", dst: &s.publicURL},
		{name: "teams", help: "comma-separated names (URL names) of the teams Balise joins", dst: &s.teams},
		{name: "db", def: "balise.db", help: "SQLite database file", dst: &s.db},
	}
	fs.BoolVar(&s.rotateTokens, "rotate-tokens", false,
		"have Mattermost issue a new token for each of Balise's slash commands in the teams, and store it: "+
			"the old tokens stop working at once (do it when a token may have leaked, e.g. a team admin left)")
	fs.BoolVar(&s.force, "force", false,
		"go on when Mattermost's settings look wrong for Balise (by default setup stops before creating anything)")
	if err := parse(fs, args, settings); err != nil {
		return err
	}
	if err := required(settings, "mattermost-url", "admin-token", "public-url", "teams"); err != nil {
		return err
	}
	if s.out == nil {
		s.out = func(format string, a ...any) { fmt.Printf(format+"\n", a...) }
	}
	if s.resolve == nil {
		s.resolve = net.LookupIP
	}
	text, err := commands.NewCatalogue()
	if err != nil {
		return err
	}
	admin := newClient(s.mattermostURL, s.adminToken)
	// Nothing is created, in Mattermost or on disk, before the settings
	// are known to be right.
	lang, missing, err := preflight(ctx, admin, text, s.publicURL, s.resolve)
	if err != nil && !s.force {
		return err
	}
	for _, line := range missing {
		s.out("%s", line)
	}
	switch {
	case err != nil:
		s.out("%v", err)
		s.out("%s", text.T(lang, "admin.setup.forced"))
	case len(missing) > 0 && !s.force:
		return errors.New(text.T(lang, "admin.setup.stopped", "count", len(missing)))
	case len(missing) > 0:
		s.out("%s", text.T(lang, "admin.setup.forced"))
	default:
		s.out("%s", text.T(lang, "admin.setup.settings_ok"))
	}
	db, err := storage.Open(ctx, s.db)
	if err != nil {
		return err
	}
	defer db.Close()
	botID, err := s.ensureBot(ctx, admin)
	if err != nil {
		return err
	}
	if err := s.ensureToken(ctx, admin, db, botID); err != nil {
		return err
	}
	for _, name := range strings.Split(s.teams, ",") {
		if err := s.ensureTeam(ctx, admin, db, text, botID, strings.TrimSpace(name)); err != nil {
			return err
		}
	}
	s.out("setup done: bot @%s is ready", botUsername)
	return nil
}

func (s *Setup) ensureBot(ctx context.Context, admin *model.Client4) (string, error) {
	u, resp, err := admin.GetUserByUsername(ctx, botUsername, "")
	switch {
	case err == nil && u.IsBot:
		if _, _, err := admin.EnableBot(ctx, u.Id); err != nil {
			return "", mattermost.Describe("enable bot", err)
		}
		return u.Id, nil
	case err == nil:
		return "", fmt.Errorf("the username @%s belongs to a person, not a bot: rename that account first", botUsername)
	case resp == nil || resp.StatusCode != http.StatusNotFound:
		return "", mattermost.Describe("look up @"+botUsername, err)
	}
	b, _, err := admin.CreateBot(ctx, &model.Bot{Username: botUsername, DisplayName: "Balise",
		Description: "Diagnostic, outils libres, décisions, adoption / diagnostic, free tools, decisions, adoption"})
	if err != nil {
		return "", fmt.Errorf("is EnableBotAccountCreation on? %w", mattermost.Describe("create bot @"+botUsername, err))
	}
	s.out("created bot @%s", botUsername)
	return b.UserId, nil
}

// ensureToken keeps the stored bot token while it works, else creates one.
func (s *Setup) ensureToken(ctx context.Context, admin *model.Client4, db *storage.DB, botID string) error {
	token, err := db.Setting(ctx, storage.SettingBotToken)
	if err != nil {
		return err
	}
	if token != "" {
		c := model.NewAPIv4Client(s.mattermostURL)
		c.SetToken(token)
		if me, _, err := c.GetMe(ctx, ""); err == nil && me.Id == botID {
			return db.SetSetting(ctx, storage.SettingBotUserID, botID)
		}
	}
	t, _, err := admin.CreateUserAccessToken(ctx, botID, "balise")
	if err != nil {
		return fmt.Errorf("is EnableUserAccessTokens on? %w", mattermost.Describe("create the bot's access token", err))
	}
	if err := db.SetSetting(ctx, storage.SettingBotToken, t.Token); err != nil {
		return err
	}
	s.out("created an access token for @%s", botUsername)
	return db.SetSetting(ctx, storage.SettingBotUserID, botID)
}

func (s *Setup) ensureTeam(ctx context.Context, admin *model.Client4, db *storage.DB, text *commands.Catalogue, botID, name string) error {
	team, _, err := admin.GetTeamByName(ctx, name, "")
	if err != nil {
		return mattermost.Describe(fmt.Sprintf("find team %q", name), err)
	}
	if _, _, err := admin.AddTeamMember(ctx, team.Id, botID); err != nil {
		return mattermost.Describe(fmt.Sprintf("add @%s to team %q", botUsername, name), err)
	}
	existing, _, err := admin.ListCommands(ctx, team.Id, true)
	if err != nil {
		return mattermost.Describe(fmt.Sprintf("list the commands of team %q", name), err)
	}
	// Check every trigger before registering any: a taken one stops setup
	// with nothing half-done in the team.
	for _, spec := range text.SlashCommands() {
		for _, c := range existing {
			if c.Trigger == spec.Trigger && c.DeleteAt == 0 && c.DisplayName != spec.DisplayName {
				return fmt.Errorf("in team %q, /%s already belongs to another integration (%q): remove or rename it, then run setup again",
					name, c.Trigger, c.DisplayName)
			}
		}
	}
	url := strings.TrimSuffix(s.publicURL, "/") + commands.CommandPath
	for _, spec := range text.SlashCommands() {
		want := &model.Command{TeamId: team.Id, Trigger: spec.Trigger, Method: model.CommandMethodPost, URL: url,
			DisplayName: spec.DisplayName, Description: spec.Description, AutoComplete: true,
			AutoCompleteDesc: spec.Description, AutoCompleteHint: spec.Hint, Username: botUsername}
		cmd, err := s.ensureCommand(ctx, admin, existing, want)
		if err != nil {
			return fmt.Errorf("command /%s in team %q: %w", spec.Trigger, name, err)
		}
		if s.rotateTokens {
			// From here until the new token is stored, Balise refuses the
			// command; setup run again stores the token Mattermost holds.
			token, _, err := admin.RegenCommandToken(ctx, cmd.Id)
			if err != nil {
				return fmt.Errorf("command /%s in team %q: %w", spec.Trigger, name, mattermost.Describe("rotate the token", err))
			}
			if token == "" || token == cmd.Token {
				return fmt.Errorf("command /%s in team %q: mattermost gave no new token", spec.Trigger, name)
			}
			cmd.Token = token
			s.out("rotated the token of /%s in team %q", cmd.Trigger, name)
		}
		if err := db.SaveSlashCommand(ctx, storage.SlashCommand{TeamID: team.Id, Trigger: cmd.Trigger, CommandID: cmd.Id, Token: cmd.Token}); err != nil {
			return err
		}
	}
	return nil
}

func (s *Setup) ensureCommand(ctx context.Context, admin *model.Client4, existing []*model.Command, want *model.Command) (*model.Command, error) {
	for _, c := range existing {
		if c.Trigger != want.Trigger || c.DeleteAt != 0 {
			continue
		}
		if c.URL == want.URL && c.Method == want.Method && c.AutoCompleteDesc == want.AutoCompleteDesc &&
			c.AutoCompleteHint == want.AutoCompleteHint && c.DisplayName == want.DisplayName && c.AutoComplete {
			return c, nil
		}
		c.URL, c.Method, c.DisplayName, c.Description = want.URL, want.Method, want.DisplayName, want.Description
		c.AutoComplete, c.AutoCompleteDesc, c.AutoCompleteHint, c.Username = true, want.AutoCompleteDesc, want.AutoCompleteHint, want.Username
		updated, _, err := admin.UpdateCommand(ctx, c)
		if err != nil {
			return nil, mattermost.Describe("update /"+c.Trigger, err)
		}
		s.out("updated /%s", c.Trigger)
		return updated, nil
	}
	created, _, err := admin.CreateCommand(ctx, want)
	if err != nil {
		return nil, mattermost.Describe("register /"+want.Trigger, err)
	}
	if created.Token == "" {
		return nil, errors.New("mattermost gave no token")
	}
	s.out("registered /%s", created.Trigger)
	return created, nil
}
