// Package diag is the digital diagnostic capability: /diag, answered by
// several members in a direct message with the bot, one question per
// message with buttons; the report with its radar chart, the priorities
// and the map of tools; the comparison of two campaigns; the export; and
// the jobs that close campaigns and remind those who have not finished.
package diag

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
)

// Chat is what the diagnostic asks of Mattermost.
type Chat interface {
	Post(ctx context.Context, m bot.Message) (string, error)
	Update(ctx context.Context, postID string, m bot.Message) error
	Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error)
	DirectChannel(ctx context.Context, userID string) (string, error)
	Member(ctx context.Context, userID string) (bot.Member, error)
	MemberByUsername(ctx context.Context, username string) (bot.Member, error)
	JoinChannel(ctx context.Context, channelID string) error
	ChannelMembers(ctx context.Context, channelID string) ([]string, error)
	IsChannelMember(ctx context.Context, channelID, userID string) (bool, error)
	IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error)
}

// Store is what the diagnostic asks of the database: campaigns and sheets,
// and the outbox its invitations and reminders go through.
type Store interface {
	bot.Diagnostics
	bot.Outbox
}

// Adoptions is what the report reads of the migration plans: each plan's
// latest adoption estimate, shown beside the dimension its tool serves.
type Adoptions interface {
	TeamAdoption(ctx context.Context, teamID string) ([]bot.Adoption, error)
}

// Diag is the diagnostic capability. Build it with New.
type Diag struct {
	kit     *commands.Kit
	store   Store
	plans   Adoptions // nil: the report has no adoption section
	chat    Chat
	tools   *bot.ToolFinder
	post    *background.Postman
	qs      map[int]*bot.Questionnaire
	current int // the version new campaigns use
	now     func() time.Time
	tick    time.Duration

	mu      sync.Mutex
	answers map[string]*sync.Mutex // one click at a time per respondent
}

// Config is what Diag needs.
type Config struct {
	Kit            *commands.Kit
	Store          Store
	Chat           Chat
	Catalogue      bot.Catalogue              // the tools priorities point to and the inventory picks from
	Postman        *background.Postman        // delivers invitations, reminders, closings
	Adoptions      Adoptions                  // the plans' adoption, for the report; nil for none
	Questionnaires map[int]*bot.Questionnaire // every version shipped, by version; the newest is used
	Now            func() time.Time           // the clock; time.Now when nil
	Tick           time.Duration              // how often jobs look for due work; 30s when zero
	// Finder is the catalogue's search index, shared with /tool (one copy
	// in memory); a new one over Catalogue when nil.
	Finder *bot.ToolFinder
}

// New returns the diagnostic capability.
func New(c Config) *Diag {
	s := &Diag{kit: c.Kit, store: c.Store, plans: c.Adoptions, chat: c.Chat, tools: c.Finder, post: c.Postman,
		qs: c.Questionnaires, now: c.Now, tick: c.Tick, answers: map[string]*sync.Mutex{}}
	if s.tools == nil {
		s.tools = bot.NewToolFinder(c.Catalogue)
	}
	for v := range s.qs {
		s.current = max(s.current, v)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.tick <= 0 {
		s.tick = 30 * time.Second
	}
	return s
}

// Register implements commands.Capability.
func (s *Diag) Register(r *commands.Routes) {
	r.Command("diag", "help.diag", s.runDiag, "diag")
	r.Action("diagnext", s.clickNext)
	r.Action("diagstart", s.clickStart)
	r.Action("diagrole", s.clickRole)
	r.Action("diaganswer", s.clickAnswer)
	r.Action("diagtarget", s.clickTarget)
	r.Action("diagask", s.clickAsk)
	r.Action("diagtools", s.clickTools)
	r.Action("diagadd", s.clickAdd)
	r.Action("diagdescribe", s.clickDescribe)
	r.Action("diagremove", s.clickRemove)
	r.Dialog("diagcategory", s.submitCategory)
	r.Dialog("diagnames", s.submitNames)
	r.Dialog("diagtool", s.submitTool)
	r.Job(
		bot.Job{Name: "close-due-campaigns", Every: s.tick, Run: s.closeDue},
		bot.Job{Name: "remind-before-campaign-close", Every: s.tick, Run: s.remindDue},
	)
}

var diagVerbs = map[string]string{
	"start": "start", "demarrer": "start", "démarrer": "start", "lancer": "start",
	"status": "status", "etat": "status", "état": "status",
	"remind": "remind", "relancer": "remind",
	"close": "close", "fermer": "close", "clore": "close",
	"cancel": "cancel", "annuler": "cancel",
	"report": "report", "rapport": "report",
	"show": "show", "voir": "show",
	"compare": "compare", "comparer": "compare",
	"export": "export", "exporter": "export",
	"review": "review", "revoir": "review",
	"help": "help", "aide": "help",
}

func (s *Diag) runDiag(ctx context.Context, in *commands.Input) (string, error) {
	verb, rest := commands.Subcommand(in.Text)
	switch diagVerbs[verb] {
	case "":
		if in.Text == "" {
			return s.resume(ctx, in)
		}
	case "start":
		return s.start(ctx, in, rest)
	case "status":
		return s.status(ctx, in)
	case "remind":
		return s.remind(ctx, in)
	case "close":
		return s.closeCommand(ctx, in)
	case "cancel":
		return s.cancel(ctx, in)
	case "report":
		return s.report(ctx, in, rest, true)
	case "show":
		return s.report(ctx, in, rest, false)
	case "compare":
		return s.compare(ctx, in, rest)
	case "export":
		return s.export(ctx, in, rest)
	case "review":
		return s.review(ctx, in)
	}
	return s.kit.T(in.Lang, "diag.usage"), nil
}

// questionnaire returns the version a campaign uses.
func (s *Diag) questionnaire(c *bot.Campaign) (*bot.Questionnaire, error) {
	if q, ok := s.qs[c.Version]; ok {
		return q, nil
	}
	return nil, bot.Errorf(bot.ECONFLICT, "diag.error.questionnaire", "version", c.Version)
}

// mayManage checks that a member may remind, close, cancel or post the
// report of a campaign: its opener, or an administrator of the team.
func (s *Diag) mayManage(ctx context.Context, c *bot.Campaign, userID string) error {
	ok, err := s.manager(ctx, c, userID)
	if err != nil {
		return err
	}
	if !ok {
		return bot.Errorf(bot.EFORBIDDEN, "diag.error.forbidden")
	}
	return nil
}

func (s *Diag) manager(ctx context.Context, c *bot.Campaign, userID string) (bool, error) {
	if c.OpenerID == userID {
		return true, nil
	}
	return s.chat.IsTeamAdmin(ctx, c.TeamID, userID)
}

// campaignArg reads "V2", "v2" or "2"; 0 when arg is empty (the latest).
func campaignArg(arg string) (int, error) {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(arg, "V"), "v"))
	if err != nil || n < 1 {
		return 0, bot.Errorf(bot.EINVALID, "diag.error.label", "value", arg)
	}
	return n, nil
}

// flagNames maps every accepted flag of /diag start, English and French,
// to its meaning.
var flagNames = map[string]string{
	"respondents": "respondents", "repondants": "respondents", "répondants": "respondents", "invite": "respondents", "inviter": "respondents",
	"closes": "closes", "close": "closes", "fermeture": "closes", "ferme": "closes", "clôture": "closes", "cloture": "closes",
	"threshold": "threshold", "seuil": "threshold",
}

// closingHour is when a campaign closes on a date given without a time.
const closingHour = 18

// startLine is what /diag start reads: the name and the flags as typed.
type startLine struct {
	name        string
	respondents []string // usernames, without "@"
	closes      string
	threshold   string
}

// parseStart reads `["name"] [--respondents @a @b] [--closes 14d]
// [--threshold 2]`.
func parseStart(text string) (startLine, error) {
	var l startLine
	var name []string
	toks := commands.Tokens(text)
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if !strings.HasPrefix(t, "--") {
			name = append(name, t)
			continue
		}
		flag, ok := flagNames[strings.ToLower(strings.TrimPrefix(t, "--"))]
		if !ok {
			return l, bot.Errorf(bot.EINVALID, "decide.error.unknown_flag", "flag", t)
		}
		j := i + 1
		for j < len(toks) && !strings.HasPrefix(toks[j], "--") {
			j++
		}
		values := toks[i+1 : j]
		if len(values) == 0 {
			return l, bot.Errorf(bot.EINVALID, "decide.error.flag_value", "flag", t)
		}
		switch flag {
		case "respondents":
			for _, v := range values {
				for _, u := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
					l.respondents = append(l.respondents, strings.TrimPrefix(u, "@"))
				}
			}
		case "closes":
			l.closes = strings.Join(values, " ")
		case "threshold":
			l.threshold = strings.Join(values, " ")
		}
		i = j - 1
	}
	l.name = strings.Join(name, " ")
	return l, nil
}

// draft turns what was typed into a campaign draft, in the opener's zone.
func (s *Diag) draft(ctx context.Context, channelID string, line startLine, loc *time.Location) (bot.CampaignDraft, error) {
	d := bot.CampaignDraft{Name: line.name}
	now := s.now()
	if line.closes != "" {
		t, err := bot.ParseWhen(line.closes, now, loc, closingHour)
		if err != nil {
			return d, bot.Errorf(bot.EINVALID, "decide.error.closes_format", "value", line.closes)
		}
		d.Duration = t.Sub(now)
		if d.Duration <= 0 {
			return d, bot.Errorf(bot.EINVALID, "diag.error.closes_soon")
		}
	}
	if line.threshold != "" {
		n, err := strconv.Atoi(line.threshold)
		if err != nil || n < 1 {
			return d, bot.Errorf(bot.EINVALID, "diag.error.min_group", "min", bot.LowestMinGroup)
		}
		d.MinGroup = n
	}
	if len(line.respondents) > 0 {
		for _, name := range line.respondents {
			m, err := s.chat.MemberByUsername(ctx, name)
			if err != nil {
				return d, err
			}
			d.Invited = append(d.Invited, m.ID)
		}
	} else {
		members, err := s.chat.ChannelMembers(ctx, channelID)
		if err != nil {
			return d, err
		}
		d.Invited = members
	}
	d.Invited = slices.Compact(slices.Sorted(slices.Values(d.Invited)))
	return d, nil
}

// start opens a campaign and invites its respondents by direct message,
// through the outbox.
func (s *Diag) start(ctx context.Context, in *commands.Input, rest string) (string, error) {
	line, err := parseStart(rest)
	if err != nil {
		return s.kit.Err(in.Lang, err) + "\n" + s.kit.T(in.Lang, "diag.usage"), nil
	}
	return s.open(ctx, in.Request, in.Lang, line)
}

// clickStart answers "Start the next diagnostic", the button a plan shows
// at its last step: it opens a campaign in the plan's channel as
// `/diag start` would there, for a member of that channel.
func (s *Diag) clickStart(ctx context.Context, c *commands.Click) (string, error) {
	channel := c.Fields["ch"]
	if channel == "" {
		return "", bot.Errorf(bot.EINVALID, "diag.error.no_channel")
	}
	member, err := s.chat.IsChannelMember(ctx, channel, c.UserID)
	if err != nil {
		return "", err
	}
	if !member {
		return "", bot.Errorf(bot.EFORBIDDEN, "diag.error.not_channel_member")
	}
	req := c.Request
	req.ChannelID = channel
	return s.open(ctx, req, c.Lang, startLine{})
}

// open opens a campaign in req's channel for req's member, with what
// line says, and invites its respondents by direct message, through the
// outbox.
func (s *Diag) open(ctx context.Context, req bot.Request, lang bot.Lang, line startLine) (string, error) {
	if s.current == 0 {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.questionnaire", "version", 1)
	}
	if err := s.chat.JoinChannel(ctx, req.ChannelID); err != nil {
		return "", err
	}
	opener, err := s.chat.Member(ctx, req.UserID)
	if err != nil {
		return "", err
	}
	loc := opener.Location
	if loc == nil {
		loc = time.UTC
	}
	d, err := s.draft(ctx, req.ChannelID, line, loc)
	if err == nil {
		_, err = d.Validate()
	}
	if err != nil {
		return s.kit.Err(lang, err), nil
	}
	now := s.now()
	c := &bot.Campaign{TeamID: req.TeamID, Name: d.Name, ChannelID: req.ChannelID, OpenerID: req.UserID, Lang: lang,
		Version: s.current, MinGroup: d.MinGroup, Invited: d.Invited, CreatedAt: now, ClosesAt: now.Add(d.Duration)}
	if err := s.store.OpenCampaign(ctx, c); err != nil {
		return "", err
	}
	var invitations []bot.Envelope
	for _, u := range c.Invited {
		l := s.kit.Lang(ctx, c.TeamID, u)
		card := &bot.Card{Text: s.kit.T(l, "diag.invite", "opener", "@"+opener.Username, "label", c.Label(),
			"when", s.kit.When(l, c.ClosesAt, s.kit.Location(ctx, u))),
			Buttons: []bot.Button{s.respondentButton("start", s.kit.T(l, "diag.button.start"), "primary", "diagnext", c, u, nil)}}
		invitations = append(invitations, bot.Envelope{ToUserID: u, Message: bot.Message{Card: card}})
	}
	if err := s.store.Enqueue(ctx, c.TeamID, invitations...); err != nil {
		return "", err
	}
	s.post.Kick()
	return s.kit.T(lang, "diag.started", "label", c.Label(), "count", len(c.Invited),
		"when", s.kit.When(lang, c.ClosesAt, loc)), nil
}

// respondentButton is a button only the respondent may use: its context
// names the team, the campaign and the respondent, and fields.
func (s *Diag) respondentButton(id, label, style, action string, c *bot.Campaign, userID string, fields map[string]string) bot.Button {
	f := map[string]string{"team": c.TeamID, "c": strconv.FormatInt(c.ID, 10), "u": userID}
	for k, v := range fields {
		f[k] = v
	}
	return s.kit.Button(id, label, style, action, f)
}

func (s *Diag) status(ctx context.Context, in *commands.Input) (string, error) {
	c, err := s.store.OpenCampaignOf(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	q, err := s.questionnaire(c)
	if err != nil {
		return "", err
	}
	sheets, err := s.store.Sheets(ctx, c.ID)
	if err != nil {
		return "", err
	}
	a := bot.Attend(q, c, sheets)
	lines := []string{s.kit.T(in.Lang, "diag.status.title", "label", c.Label(), "name", bot.Quiet(c.Name),
		"when", s.kit.When(in.Lang, c.ClosesAt, s.kit.Location(ctx, in.UserID)))}
	lines = append(lines, s.kit.T(in.Lang, "diag.status.counts", "finished", len(a.Finished), "halfway", len(a.HalfWay), "notstarted", len(a.NotStarted)))
	manager, err := s.manager(ctx, c, in.UserID)
	if err != nil {
		return "", err
	}
	if manager {
		for _, g := range []struct {
			key   string
			users []string
		}{{"diag.status.finished", a.Finished}, {"diag.status.halfway", a.HalfWay}, {"diag.status.notstarted", a.NotStarted}} {
			if len(g.users) > 0 {
				lines = append(lines, s.kit.T(in.Lang, g.key, "names", s.names(ctx, in.Lang, g.users)))
			}
		}
	}
	return strings.Join(lines, "\n"), nil
}

// names lists members as @username, sorted; those who asked to be
// forgotten are counted, not named.
func (s *Diag) names(ctx context.Context, l bot.Lang, users []string) string {
	var out []string
	forgotten := 0
	for _, u := range users {
		if bot.IsForgotten(u) {
			forgotten++
			continue
		}
		if m, err := s.chat.Member(ctx, u); err == nil {
			u = m.Username
		}
		out = append(out, "@"+u)
	}
	slices.Sort(out)
	if forgotten > 0 {
		out = append(out, s.kit.T(l, "diag.status.forgotten", "count", forgotten))
	}
	return strings.Join(out, ", ")
}

func (s *Diag) remind(ctx context.Context, in *commands.Input) (string, error) {
	c, err := s.store.OpenCampaignOf(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, c, in.UserID); err != nil {
		return "", err
	}
	reminders, err := s.reminders(ctx, c)
	if err != nil {
		return "", err
	}
	if len(reminders) == 0 {
		return s.kit.T(in.Lang, "diag.remind.nobody"), nil
	}
	ok, err := s.store.ClaimCampaignReminder(ctx, c.ID, reminders)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.reminders_used")
	}
	s.post.Kick()
	return s.kit.T(in.Lang, "diag.reminded", "count", len(reminders), "left", bot.MaxCampaignReminders-c.Reminders-1), nil
}

// reminders are the direct messages to those who have not finished, each
// in their language, with where they stopped.
func (s *Diag) reminders(ctx context.Context, c *bot.Campaign) ([]bot.Envelope, error) {
	q, err := s.questionnaire(c)
	if err != nil {
		return nil, err
	}
	sheets, err := s.store.Sheets(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	bySheet := map[string]*bot.Sheet{}
	for _, sh := range sheets {
		bySheet[sh.UserID] = sh
	}
	a := bot.Attend(q, c, sheets)
	var out []bot.Envelope
	for _, u := range append(a.HalfWay, a.NotStarted...) {
		sh := bySheet[u]
		if sh == nil {
			sh = &bot.Sheet{}
		}
		done, total := bot.Progress(q, sh)
		l, loc, err := s.kit.Recipient(ctx, c.TeamID, u) // waits for Mattermost rather than guess
		if err != nil {
			return nil, err
		}
		card := &bot.Card{Text: s.kit.T(l, "diag.reminder", "label", c.Label(), "when", s.kit.When(l, c.ClosesAt, loc),
			"done", done, "total", total),
			Buttons: []bot.Button{s.respondentButton("resume", s.kit.T(l, "diag.button.resume"), "primary", "diagnext", c, u, nil)}}
		out = append(out, bot.Envelope{ToUserID: u, Message: bot.Message{Card: card}})
	}
	return out, nil
}

func (s *Diag) closeCommand(ctx context.Context, in *commands.Input) (string, error) {
	c, err := s.store.OpenCampaignOf(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, c, in.UserID); err != nil {
		return "", err
	}
	if _, err := s.closeCampaign(ctx, c); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "diag.closed", "label", c.Label()), nil
}

// closeCampaign closes c once and announces it in its channel.
func (s *Diag) closeCampaign(ctx context.Context, c *bot.Campaign) (bool, error) {
	sheets, err := s.store.Sheets(ctx, c.ID)
	if err != nil {
		return false, err
	}
	respondents := 0
	for _, sh := range sheets {
		if sh.Role != "" {
			respondents++
		}
	}
	closed, err := s.store.CloseCampaign(ctx, c.ID, func(c *bot.Campaign) []bot.Envelope {
		return []bot.Envelope{{Message: bot.Message{ChannelID: c.ChannelID,
			Text: s.kit.T(c.Lang, "diag.closed_post", "label", c.Label(), "count", respondents)}}}
	})
	if err == nil && closed {
		s.post.Kick()
	}
	return closed, err
}

func (s *Diag) cancel(ctx context.Context, in *commands.Input) (string, error) {
	c, err := s.store.OpenCampaignOf(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, c, in.UserID); err != nil {
		return "", err
	}
	if err := s.store.CancelCampaign(ctx, c.ID); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "diag.cancelled", "label", c.Label()), nil
}

// closeDue closes the campaigns whose time has come, also those that came
// while Balise was down.
func (s *Diag) closeDue(ctx context.Context) error {
	due, err := s.store.DueCampaigns(ctx, s.now())
	if err != nil {
		return err
	}
	for _, c := range due {
		if _, err := s.closeCampaign(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// remindLead is how long before the close the automatic reminder goes:
// a quarter of the campaign's span, two days at most.
func remindLead(c *bot.Campaign) time.Duration {
	return min(c.ClosesAt.Sub(c.CreatedAt)/4, 48*time.Hour)
}

// remindDue sends one automatic reminder before the close to campaigns
// nobody reminded yet; it counts among the two a campaign may send.
func (s *Diag) remindDue(ctx context.Context) error {
	now := s.now()
	soon, err := s.store.DueCampaigns(ctx, now.Add(48*time.Hour))
	if err != nil {
		return err
	}
	sent := false
	for _, c := range soon {
		if c.Reminders > 0 || !c.ClosesAt.After(now) || now.Before(c.ClosesAt.Add(-remindLead(c))) {
			continue
		}
		reminders, err := s.reminders(ctx, c)
		if err != nil {
			return err
		}
		if len(reminders) == 0 {
			continue
		}
		if _, err := s.store.ClaimCampaignReminder(ctx, c.ID, reminders); err != nil {
			return err
		}
		sent = true
	}
	if sent {
		s.post.Kick()
	}
	return nil
}
