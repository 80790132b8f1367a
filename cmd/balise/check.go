package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/bot/mattermost"
	"balise/commands"
	"balise/storage"
)

// Check tells the operator, once serve is up, whether Balise works: its
// database, Mattermost's settings, the bot's token, Balise answering on
// its public URL, a real command through Mattermost in each team, the
// scheduler and the outbox. It ends with "all good" or the first thing to
// fix, and exits non-zero then.
type Check struct {
	mattermostURL, adminToken, publicURL, db, botToken string
	out                                                func(format string, a ...any)
	now                                                func() time.Time
	resolve                                            func(host string) ([]net.IP, error)
}

// stuckAfter is how long a letter may wait before check calls the outbox
// stuck: deliveries are retried with a growing delay, up to an hour.
const stuckAfter = 15 * time.Minute

// Run runs the subcommand.
func (c *Check) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise check", flag.ContinueOnError)
	settings := []setting{
		{name: "mattermost-url", help: "Mattermost's URL, e.g. https://chat.example.org", dst: &c.mattermostURL},
		{name: "admin-token", help: "a system admin's personal access token: it runs /balise help in each team, never stored", secret: true, dst: &c.adminToken},
		{name: "public-url", help: "Balise's URL as Mattermost reaches it", dst: &c.publicURL},
		{name: "db", def: "balise.db", help: "SQLite database file of the running balise serve", dst: &c.db},
		{name: "bot-token", help: "the bot's access token; by default the one balise setup stored", secret: true, dst: &c.botToken},
	}
	if err := parse(fs, args, settings); err != nil {
		return err
	}
	if err := required(settings, "mattermost-url", "admin-token", "public-url"); err != nil {
		return err
	}
	if c.out == nil {
		c.out = func(format string, a ...any) { fmt.Printf(format+"\n", a...) }
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.resolve == nil {
		c.resolve = net.LookupIP
	}
	text, err := commands.NewCatalogue()
	if err != nil {
		return err
	}
	r := &report{text: text, out: c.out, lang: bot.French}
	admin := newClient(c.mattermostURL, c.adminToken)
	c.run(ctx, r, admin)
	if r.first != "" {
		return errors.New(r.T("admin.check.first_fix", "what", r.first))
	}
	c.out("%s", r.T("admin.check.all_good"))
	return nil
}

// report prints each step's line and keeps the first failure.
type report struct {
	text  *commands.Catalogue
	out   func(format string, a ...any)
	lang  bot.Lang
	first string
}

func (r *report) T(id string, kv ...any) string { return r.text.T(r.lang, id, kv...) }

func (r *report) ok(id string, kv ...any) { r.out("✓ %s", r.T(id, kv...)) }

func (r *report) warn(id string, kv ...any) { r.out("⚠ %s", r.T(id, kv...)) }

// fail prints a failure; the first one is what the verdict names.
func (r *report) fail(line string) {
	line = strings.TrimPrefix(line, "✗ ")
	r.out("✗ %s", line)
	if r.first == "" {
		r.first = line
	}
}

func (c *Check) run(ctx context.Context, r *report, admin *model.Client4) {
	lang, missing, err := preflight(ctx, admin, r.text, c.publicURL, c.resolve)
	r.lang = lang
	switch {
	case err != nil:
		r.fail(err.Error())
		return // nothing else can be asked of Mattermost
	case len(missing) > 0:
		for _, m := range missing {
			r.fail(m)
		}
	default:
		r.ok("admin.setup.settings_ok")
	}
	db, err := storage.OpenExisting(ctx, c.db)
	if err == nil {
		defer db.Close()
		err = db.Ping(ctx)
	}
	if err != nil {
		r.fail(r.T("admin.check.db_fail", "path", c.db, "err", err))
		return
	}
	botID, err := db.Setting(ctx, storage.SettingBotUserID)
	if err == nil && c.botToken == "" {
		c.botToken, err = db.Setting(ctx, storage.SettingBotToken)
	}
	teams, terr := db.SetupTeams(ctx)
	if err = errors.Join(err, terr); err != nil {
		r.fail(r.T("admin.check.db_fail", "path", c.db, "err", err))
		return
	}
	if botID == "" || c.botToken == "" || len(teams) == 0 {
		r.fail(r.T("admin.check.no_setup"))
		return
	}
	r.ok("admin.check.db_ok", "path", c.db, "count", len(teams))
	c.checkBot(ctx, r, botID)
	if !c.checkServing(ctx, r) {
		return // the rest needs serve
	}
	c.checkRoundTrips(ctx, r, admin, botID, teams)
	c.checkJobs(ctx, r, db)
	c.checkOutbox(ctx, r, db)
}

func (c *Check) checkBot(ctx context.Context, r *report, botID string) {
	me, _, err := newClient(c.mattermostURL, c.botToken).GetMe(ctx, "")
	if err == nil && me.Id != botID {
		err = fmt.Errorf("the token is @%s's", me.Username)
	}
	if err != nil {
		r.fail(r.T("admin.check.bot_fail", "err", mattermost.Describe("get me", err)))
		return
	}
	r.ok("admin.check.bot_ok", "name", me.Username)
}

// checkServing asks Balise directly, from here, whether it is ready.
func (c *Check) checkServing(ctx context.Context, r *report) bool {
	url := strings.TrimSuffix(c.publicURL, "/") + "/readyz"
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		r.fail(r.T("admin.check.serve_fail", "url", url, "err", err))
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			err = errors.New(resp.Status)
		}
	}
	if err != nil {
		r.fail(r.T("admin.check.serve_fail", "url", url, "err", err))
		return false
	}
	r.ok("admin.check.serve_ok", "url", url)
	return true
}

// checkRoundTrips runs /balise help as the admin, in their direct channel
// with the bot, for each team: Mattermost calls Balise as it does when a
// member types a command, and the answer comes back. Nothing is posted:
// the answer is ephemeral.
func (c *Check) checkRoundTrips(ctx context.Context, r *report, admin *model.Client4, botID string, teams []string) {
	me, _, err := admin.GetMe(ctx, "")
	if err != nil {
		r.fail(r.T("admin.check.round_trip_fail", "team", "?", "url", c.publicURL, "err", mattermost.Describe("get me", err)))
		return
	}
	dm, _, err := admin.CreateDirectChannel(ctx, me.Id, botID)
	if err != nil {
		r.fail(r.T("admin.check.round_trip_fail", "team", "?", "url", c.publicURL, "err", mattermost.Describe("open a direct channel with the bot", err)))
		return
	}
	help := r.text.T(bot.UserLang("", me.Locale), "help.intro")
	for _, id := range teams {
		name := id
		if t, _, err := admin.GetTeam(ctx, id, ""); err == nil {
			name = t.Name
		}
		resp, _, err := admin.ExecuteCommandWithTeam(ctx, dm.Id, id, "/balise help")
		if err == nil && !strings.Contains(resp.Text, help) {
			err = fmt.Errorf("unexpected answer %q", resp.Text)
		}
		if err != nil {
			r.fail(r.T("admin.check.round_trip_fail", "team", name, "url", strings.TrimSuffix(c.publicURL, "/")+commands.CommandPath,
				"err", mattermost.Describe("run /balise help", err)))
			continue
		}
		r.ok("admin.check.round_trip_ok", "team", name)
	}
}

// checkJobs reads when serve last ran each job: every job must have run
// within three intervals (and a minute), and not be failing.
func (c *Check) checkJobs(ctx context.Context, r *report, db *storage.DB) {
	runs, err := db.JobRuns(ctx)
	if err != nil {
		r.fail(r.T("admin.check.db_fail", "path", c.db, "err", err))
		return
	}
	if len(runs) == 0 {
		r.fail(r.T("admin.check.jobs_never"))
		return
	}
	good := true
	now := c.now()
	for _, j := range runs {
		switch ago := now.Sub(j.LastRun); {
		case ago > 3*j.Every+time.Minute:
			r.fail(r.T("admin.check.job_late", "job", j.Name, "ago", ago.Round(time.Second), "every", j.Every))
			good = false
		case j.LastError != "":
			r.fail(r.T("admin.check.job_failing", "job", j.Name, "since", now.Sub(j.FailingSince).Round(time.Second), "err", j.LastError))
			good = false
		}
	}
	if good {
		r.ok("admin.check.jobs_ok", "count", len(runs))
	}
}

func (c *Check) checkOutbox(ctx context.Context, r *report, db *storage.DB) {
	s, err := db.Outbox(ctx)
	if err != nil {
		r.fail(r.T("admin.check.db_fail", "path", c.db, "err", err))
		return
	}
	if s.Waiting > 0 && c.now().Sub(s.Oldest) > stuckAfter {
		r.fail(r.T("admin.check.outbox_stuck", "waiting", s.Waiting, "ago", c.now().Sub(s.Oldest).Round(time.Minute)))
	} else {
		r.ok("admin.check.outbox_ok", "count", s.Waiting)
	}
	if s.Dead > 0 {
		r.warn("admin.check.dead", "count", s.Dead)
	}
}
