package mmtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Mattermost is a running Mattermost server with its PostgreSQL, an admin,
// a team and its town square.
type Mattermost struct {
	URL     string
	Admin   *User
	Team    *model.Team
	Channel *model.Channel // the team's town square
	Dir     string

	pg   *Postgres
	proc *process
	log  string
	srv  *Server  // the built server, for StartServer
	opts []Option // the settings it started with
	port int      // kept across StopServer and StartServer
}

// User is a person of the team, logged in.
type User struct {
	*model.User
	Client   *model.Client4
	Password string
	mm       *Mattermost
}

// An Option changes the settings Mattermost starts with: the MM_ variables
// without their prefix (SERVICESETTINGS_ENABLECOMMANDS...).
type Option func(settings map[string]string)

// Without starts Mattermost with setting left to its config.json default:
// Mattermost 6.7 re-applies MM_ variables at every save, so a setting given
// by one cannot be turned off through the API.
func Without(setting string) Option {
	return func(settings map[string]string) { delete(settings, setting) }
}

// With starts Mattermost with setting set to value.
func With(setting, value string) Option {
	return func(settings map[string]string) { settings[setting] = value }
}

// Start builds (or reuses) the server, starts PostgreSQL and Mattermost in
// dir, and creates the admin and the team "asso". Every setting Balise
// needs is on, unless opts say otherwise.
func Start(ctx context.Context, dir string, logf func(string, ...any), opts ...Option) (*Mattermost, error) {
	srv, err := BuildMattermost(logf)
	if err != nil {
		return nil, err
	}
	pg, err := StartPostgres(dir)
	if err != nil {
		return nil, err
	}
	m := &Mattermost{pg: pg, Dir: dir, log: filepath.Join(dir, "mattermost.out"), srv: srv, opts: opts}
	if err := m.start(ctx); err != nil {
		m.Stop()
		return nil, err
	}
	if err := m.bootstrap(ctx); err != nil {
		m.Stop()
		return nil, err
	}
	return m, nil
}

func (m *Mattermost) start(ctx context.Context) error {
	srv, opts := m.srv, m.opts
	work := filepath.Join(m.Dir, "mattermost")
	if err := os.MkdirAll(filepath.Join(work, "config"), 0o755); err != nil {
		return err
	}
	for _, d := range []string{"i18n", "templates", "fonts"} {
		if err := os.Symlink(filepath.Join(srv.ModuleDir, d), filepath.Join(work, d)); err != nil && !os.IsExist(err) {
			return err
		}
	}
	if m.port == 0 { // a restarted server keeps its address
		port, err := FreePort()
		if err != nil {
			return err
		}
		m.port = port
	}
	port := m.port
	m.URL = fmt.Sprintf("http://127.0.0.1:%d", port)
	settings := map[string]string{
		"SQLSETTINGS_DRIVERNAME":                              "postgres",
		"SQLSETTINGS_DATASOURCE":                              m.pg.DSN,
		"SERVICESETTINGS_SITEURL":                             m.URL,
		"SERVICESETTINGS_LISTENADDRESS":                       "127.0.0.1:" + strconv.Itoa(port),
		"SERVICESETTINGS_ENABLEBOTACCOUNTCREATION":            "true",
		"SERVICESETTINGS_ENABLEUSERACCESSTOKENS":              "true",
		"SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS": "127.0.0.1 localhost",
		"SERVICESETTINGS_ENABLECOMMANDS":                      "true",
		"SERVICESETTINGS_ENABLEPOSTUSERNAMEOVERRIDE":          "true",
		"SERVICESETTINGS_ENABLESECURITYFIXALERT":              "false",
		"SERVICESETTINGS_ENABLELINKPREVIEWS":                  "false",
		"SERVICESETTINGS_ENABLEDEVELOPER":                     "false",
		"TEAMSETTINGS_MAXUSERSPERTEAM":                        "500",
		"TEAMSETTINGS_ENABLEOPENSERVER":                       "true",
		"LOGSETTINGS_ENABLEDIAGNOSTICS":                       "false",
		"LOGSETTINGS_CONSOLELEVEL":                            "ERROR",
		"LOGSETTINGS_FILELEVEL":                               "INFO",
		"ANNOUNCEMENTSETTINGS_ADMINNOTICESENABLED":            "false",
		"ANNOUNCEMENTSETTINGS_USERNOTICESENABLED":             "false",
		"PLUGINSETTINGS_ENABLE":                               "false",
		"PLUGINSETTINGS_ENABLEMARKETPLACE":                    "false",
		"EMAILSETTINGS_SENDEMAILNOTIFICATIONS":                "false",
		"EMAILSETTINGS_REQUIREEMAILVERIFICATION":              "false",
		"RATELIMITSETTINGS_ENABLE":                            "false",
		"METRICSSETTINGS_ENABLE":                              "false",
	}
	for _, o := range opts {
		o(settings)
	}
	env := os.Environ()
	for k, v := range settings {
		env = append(env, "MM_"+k+"="+v)
	}
	if m.proc == nil {
		os.Remove(m.log) // a fresh log for this server
	}
	cmd := exec.Command(srv.Binary, "--config", filepath.Join(work, "config", "config.json"))
	cmd.Dir, cmd.Env = work, env
	var err error
	if m.proc, err = start(cmd, m.log); err != nil {
		return fmt.Errorf("start mattermost: %w", err)
	}
	api := model.NewAPIv4Client(m.URL)
	ping := func(ctx context.Context) error {
		_, _, err := api.GetPing(ctx)
		return err
	}
	return m.proc.waitReady(ctx, "mattermost on "+m.URL, 4*time.Minute, ping, m.LogTail)
}

func (m *Mattermost) bootstrap(ctx context.Context) error {
	anon := model.NewAPIv4Client(m.URL)
	admin := &model.User{Username: "admin", Email: "admin@example.org", Password: "Admin-passw0rd!", Locale: "fr"}
	if _, _, err := anon.CreateUser(ctx, admin); err != nil {
		return fmt.Errorf("create admin: %w", err)
	}
	var err error
	if m.Admin, err = m.login(ctx, "admin", "Admin-passw0rd!"); err != nil {
		return err
	}
	m.Team, _, err = m.Admin.Client.CreateTeam(ctx, &model.Team{Name: "asso", DisplayName: "Asso", Type: model.TeamOpen})
	if err != nil {
		return fmt.Errorf("create team: %w", err)
	}
	m.Channel, _, err = m.Admin.Client.GetChannelByName(ctx, "town-square", m.Team.Id, "")
	if err != nil {
		return fmt.Errorf("town square: %w", err)
	}
	return nil
}

func (m *Mattermost) login(ctx context.Context, username, password string) (*User, error) {
	c := model.NewAPIv4Client(m.URL)
	u, _, err := c.Login(ctx, username, password)
	if err != nil {
		return nil, fmt.Errorf("log in %s: %w", username, err)
	}
	return &User{User: u, Client: c, Password: password, mm: m}, nil
}

// AddUser creates a member of the team with a locale ("fr", "en") and logs
// them in.
func (m *Mattermost) AddUser(ctx context.Context, username, locale string) (*User, error) {
	password := "Passw0rd-" + username + "!"
	u := &model.User{Username: username, Email: username + "@example.org", Password: password, Locale: locale}
	created, _, err := m.Admin.Client.CreateUser(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("create user %s: %w", username, err)
	}
	if _, _, err := m.Admin.Client.AddTeamMember(ctx, m.Team.Id, created.Id); err != nil {
		return nil, fmt.Errorf("add %s to the team: %w", username, err)
	}
	return m.login(ctx, username, password)
}

// Stop stops Mattermost and PostgreSQL, by the pids this package started.
func (m *Mattermost) Stop() {
	m.proc.stop(syscall.SIGTERM, 30*time.Second)
	if m.pg != nil {
		m.pg.Stop()
	}
}

// StopServer stops the Mattermost server alone (SIGTERM, by its pid),
// leaving PostgreSQL running: an outage, which StartServer ends.
func (m *Mattermost) StopServer() error {
	return m.proc.stop(syscall.SIGTERM, 30*time.Second)
}

// StartServer starts again a server that StopServer stopped, on the same
// address, with the same settings and database (users, sessions and
// tokens survive), and waits until it answers.
func (m *Mattermost) StartServer(ctx context.Context) error {
	return m.start(ctx)
}

// LogTail returns the end of Mattermost's output, to explain a failure.
func (m *Mattermost) LogTail() string {
	return tail(m.log, 4000) + tail(filepath.Join(m.Dir, "mattermost", "logs", "mattermost.log"), 4000)
}

// Run types a slash command in a channel, as the user would, and returns
// the ephemeral reply's text.
func (u *User) Run(ctx context.Context, channelID, command string) (string, error) {
	resp, _, err := u.Client.ExecuteCommand(ctx, channelID, command)
	if err != nil {
		return "", fmt.Errorf("%s runs %q: %w", u.Username, command, err)
	}
	return resp.Text, nil
}

// Click clicks a button of a post, as the user would.
func (u *User) Click(ctx context.Context, postID, actionID string) error {
	_, err := u.Client.DoPostActionWithCookie(ctx, postID, actionID, "", "")
	if err != nil {
		return fmt.Errorf("%s clicks %s on %s: %w", u.Username, actionID, postID, err)
	}
	return nil
}

// JoinChannel adds the user to a channel.
func (u *User) JoinChannel(ctx context.Context, channelID string) error {
	_, _, err := u.Client.AddChannelMember(ctx, channelID, u.Id)
	return err
}

// DirectChannelWith returns the direct channel between the user and another.
func (u *User) DirectChannelWith(ctx context.Context, otherID string) (*model.Channel, error) {
	ch, _, err := u.Client.CreateDirectChannel(ctx, u.Id, otherID)
	return ch, err
}

// Posts returns the channel's latest posts, newest first.
func (u *User) Posts(ctx context.Context, channelID string) ([]*model.Post, error) {
	list, _, err := u.Client.GetPostsForChannel(ctx, channelID, 0, 100, "", false, false)
	if err != nil {
		return nil, err
	}
	var out []*model.Post
	for _, id := range list.Order {
		out = append(out, list.Posts[id])
	}
	return out, nil
}

// Thread returns a thread's posts, oldest first, root included.
func (u *User) Thread(ctx context.Context, rootID string) ([]*model.Post, error) {
	list, _, err := u.Client.GetPostThread(ctx, rootID, "", false)
	if err != nil {
		return nil, err
	}
	list.SortByCreateAt()
	var out []*model.Post
	for i := len(list.Order) - 1; i >= 0; i-- {
		out = append(out, list.Posts[list.Order[i]])
	}
	return out, nil
}

// WaitPost polls the channel until a post matches, or fails after timeout
// or when ctx ends.
func (u *User) WaitPost(ctx context.Context, channelID string, timeout time.Duration, match func(*model.Post) bool) (*model.Post, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		posts, err := u.Posts(ctx, channelID)
		if err != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("no matching post in %s after %s: %w", channelID, timeout, err)
		}
		if err != nil {
			return nil, err
		}
		for _, p := range posts {
			if match(p) {
				return p, nil
			}
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			var seen []string
			for _, p := range posts {
				seen = append(seen, fmt.Sprintf("%q", PostText(p)))
			}
			return nil, fmt.Errorf("no matching post in %s after %s; saw %s", channelID, timeout, strings.Join(seen, ", "))
		}
	}
}

// PostText is everything a person reads in a post: its message and its
// attachments' titles and texts.
func PostText(p *model.Post) string {
	parts := []string{p.Message}
	for _, a := range p.Attachments() {
		parts = append(parts, a.Title, a.Text)
		for _, f := range a.Fields {
			parts = append(parts, f.Title, fmt.Sprint(f.Value))
		}
	}
	return strings.Join(parts, "\n")
}

// ActionID returns the id of the post's button whose label contains label.
func ActionID(p *model.Post, label string) string {
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			if strings.Contains(act.Name, label) {
				return act.Id
			}
		}
	}
	return ""
}
