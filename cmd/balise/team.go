package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot/mattermost"
	"balise/storage"
)

// Team manages one association's data on a server that hosts several:
// export it, erase it, or remove the team from Balise altogether. Adding a
// team is `balise setup -teams name`.
type Team struct {
	mattermostURL, adminToken, db string
	yes                           bool
	out                           func(format string, a ...any)
}

const teamUsage = `Usage: balise team [flags] export TEAM FILE
       balise team [flags] erase TEAM -yes
       balise team [flags] remove TEAM -yes

export writes every row Balise holds for TEAM (decisions, votes, reasons,
feedback, preferences, letters waiting, its own catalogue entries...) to FILE
as JSON; command tokens and anonymous votes' secrets are left out.
erase deletes all of it, leaving no trace in the database file nor its WAL
(a backup taken before still holds it).
remove also unregisters Balise's slash commands in TEAM and takes the bot out
of it (needs the admin token), then erases the team's data.
TEAM is the team's name (as in its URL, needs the admin token to be found)
or its id. To add a team, run balise setup -teams with its name.

`

// Run runs the subcommand.
func (c *Team) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise team", flag.ContinueOnError)
	settings := []setting{
		{name: "mattermost-url", help: "Mattermost's URL, to find a team by name and to remove one", dst: &c.mattermostURL},
		{name: "admin-token", help: "a system admin's personal access token, to find a team by name and to remove one", secret: true, dst: &c.adminToken},
		{name: "db", def: "balise.db", help: "SQLite database file", dst: &c.db},
	}
	fs.BoolVar(&c.yes, "yes", false, "confirm that the team's data is to be erased")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), teamUsage)
		fs.PrintDefaults()
	}
	// Flags may follow the words: balise team erase asso -yes.
	var flags, words []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") {
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if !strings.Contains(name, "=") && name != "yes" && name != "h" && name != "help" && i+1 < len(args) {
			flags, i = append(flags, args[i+1]), i+1
		}
	}
	if err := parse(fs, flags, settings); err != nil {
		return err
	}
	if c.out == nil {
		c.out = func(format string, a ...any) { fmt.Printf(format+"\n", a...) }
	}
	verb := ""
	if len(words) > 0 {
		verb = words[0]
	}
	switch {
	case verb == "export" && len(words) == 3, (verb == "erase" || verb == "remove") && len(words) == 2:
	default:
		fs.Usage()
		return errors.New("team needs export TEAM FILE, erase TEAM or remove TEAM")
	}
	if verb != "export" && !c.yes {
		return fmt.Errorf("%s deletes every piece of data of team %s for good: add -yes to confirm (export it first if it may be wanted)", verb, words[1])
	}
	db, err := storage.OpenExisting(ctx, c.db)
	if err != nil {
		return err
	}
	defer db.Close()
	var admin *model.Client4
	if c.mattermostURL != "" && c.adminToken != "" {
		admin = newClient(c.mattermostURL, c.adminToken)
	}
	teamID, err := c.teamID(ctx, admin, words[1])
	if err != nil {
		return err
	}
	switch verb {
	case "export":
		return c.export(ctx, db, teamID, words[2])
	case "remove":
		if admin == nil {
			return errors.New("remove needs the Mattermost URL and the admin token (BALISE_MATTERMOST_URL, BALISE_ADMIN_TOKEN): use erase to delete the data alone")
		}
		if err := c.unregister(ctx, admin, db, teamID); err != nil {
			return err
		}
	}
	counts, err := db.EraseTeam(ctx, teamID)
	if err != nil {
		return err
	}
	c.out("erased team %s: %s", teamID, describeCounts(counts))
	return nil
}

// teamID is arg when it is a Mattermost id, else the id of the team so
// named in Mattermost.
func (c *Team) teamID(ctx context.Context, admin *model.Client4, arg string) (string, error) {
	if model.IsValidId(arg) {
		return arg, nil
	}
	if admin == nil {
		return "", fmt.Errorf("%q is not a team id: give its id, or the Mattermost URL and the admin token to find it by name", arg)
	}
	t, _, err := admin.GetTeamByName(ctx, arg, "")
	if err != nil {
		return "", mattermost.Describe(fmt.Sprintf("find team %q", arg), err)
	}
	return t.Id, nil
}

// teamFile is the export's format.
type teamFile struct {
	TeamID     string             `json:"team_id"`
	ExportedAt time.Time          `json:"exported_at"`
	Tables     storage.TeamExport `json:"tables"`
}

func (c *Team) export(ctx context.Context, db *storage.DB, teamID, file string) error {
	rows, err := db.ExportTeam(ctx, teamID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(teamFile{TeamID: teamID, ExportedAt: time.Now().UTC(), Tables: rows}, "", "  ")
	if err != nil {
		return err
	}
	// The export holds members' votes and words: readable by its owner only.
	f, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export to %s: %w", file, err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		os.Remove(file)
		return fmt.Errorf("export to %s: %w", file, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	counts := map[string]int64{}
	for t, r := range rows {
		counts[t] = int64(len(r))
	}
	c.out("exported team %s to %s: %s", teamID, file, describeCounts(counts))
	return nil
}

// unregister deletes Balise's commands in the team and takes the bot out
// of it. A command already gone is fine.
func (c *Team) unregister(ctx context.Context, admin *model.Client4, db *storage.DB, teamID string) error {
	ids, err := db.SlashCommandIDs(ctx, teamID)
	if err != nil {
		return err
	}
	for trigger, id := range ids {
		if resp, err := admin.DeleteCommand(ctx, id); err != nil && (resp == nil || resp.StatusCode != 404) {
			return mattermost.Describe("unregister /"+trigger, err)
		}
		c.out("unregistered /%s", trigger)
	}
	botID, err := db.Setting(ctx, storage.SettingBotUserID)
	if err != nil || botID == "" {
		return err
	}
	if resp, err := admin.RemoveTeamMember(ctx, teamID, botID); err != nil && (resp == nil || resp.StatusCode != 404) {
		return mattermost.Describe("take @balise out of the team", err)
	}
	c.out("took @%s out of team %s", botUsername, teamID)
	return nil
}

// describeCounts says "decision 2, stance 5" for the tables with rows.
func describeCounts(counts map[string]int64) string {
	var parts []string
	for t, n := range counts {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", t, n))
		}
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}
