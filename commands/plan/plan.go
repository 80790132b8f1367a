// Package plan is the migration plans capability: /plan, the plan card kept
// true in its channel, the follow-ups of steps and the referents' weekly
// nudges with their buttons and forms, the adoption check-ins and curve.
package plan

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jonboulle/clockwork"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
)

// Chat is what plans ask of Mattermost.
type Chat interface {
	Post(ctx context.Context, m bot.Message) (string, error)
	Update(ctx context.Context, postID string, m bot.Message) error
	Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error)
	DirectChannel(ctx context.Context, userID string) (string, error)
	Member(ctx context.Context, userID string) (bot.Member, error)
	JoinChannel(ctx context.Context, channelID string) error
	ChannelMembers(ctx context.Context, channelID string) ([]string, error)
	IsChannelMember(ctx context.Context, channelID, userID string) (bool, error)
	IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error)
	IsActiveTeamMember(ctx context.Context, teamID, userID string) (bool, error)
}

// Store is what plans ask of the database: the plans, the schedule of
// their follow-ups and nudges, when members accept them.
type Store interface {
	bot.Plans
	bot.Schedule
	bot.Availability
	bot.Outbox
}

// Tools names the catalogue entry a plan moves to.
type Tools interface {
	Tool(ctx context.Context, teamID, id string) (*bot.Tool, error)
}

// Plans is the migration plans capability. Build it with New.
type Plans struct {
	kit      *commands.Kit
	store    Store
	chat     Chat
	tools    Tools
	post     *background.Postman
	cards    *background.Refresher
	clock    clockwork.Clock
	holidays bot.Holidays
	tick     time.Duration
	sched    *dispatcher
	// dispatching makes dispatches (the timer's, the safety job's) take
	// turns.
	dispatching sync.Mutex
}

// Config is what Plans needs.
type Config struct {
	Kit     *commands.Kit
	Store   Store
	Chat    Chat
	Tools   Tools               // the catalogue, for --tool; nil takes any id
	Work    *background.Work    // runs card refreshes and dispatches
	Postman *background.Postman // delivers follow-ups, nudges and thread posts
	// Clock is the capability's clock: its Now, and the timer that wakes
	// the dispatcher when the next follow-up falls due. Real when nil; a
	// fake one in tests.
	Clock clockwork.Clock
	// Holidays are the team's public holidays; the French calendar when nil.
	Holidays bot.Holidays
	Tick     time.Duration // how often a safety job looks for due sends; 30s when zero
}

// New returns the plans capability.
func New(c Config) *Plans {
	s := &Plans{kit: c.Kit, store: c.Store, chat: c.Chat, tools: c.Tools, post: c.Postman, clock: c.Clock,
		holidays: c.Holidays, tick: c.Tick}
	if s.clock == nil {
		s.clock = clockwork.NewRealClock()
	}
	if s.holidays == nil {
		s.holidays = bot.FrenchHolidays
	}
	if s.tick <= 0 {
		s.tick = 30 * time.Second
	}
	s.cards = background.NewRefresher(c.Work, s.updateCard)
	s.sched = newDispatcher(c.Work, s.clock, s.Dispatch)
	return s
}

func (s *Plans) now() time.Time { return s.clock.Now() }

// Register implements commands.Capability.
func (s *Plans) Register(r *commands.Routes) {
	r.Command("plan", "plan.help", s.runPlan, "plan")
	r.Action("planstart", s.clickStart)
	r.Action("plandone", s.clickDone)
	r.Action("planlater", s.clickLater)
	r.Action("plandate", s.clickDate)
	r.Action("planassign", s.clickAssign)
	r.Action("planblock", s.clickBlock)
	r.Action("plancheckin", s.clickCheckIn)
	r.Action("plancount", s.clickCount)
	r.Action("plancurve", s.clickCurve)
	r.Dialog("plan", s.submitPlan)
	r.Dialog("plandate", s.submitDate)
	r.Dialog("planassign", s.submitAssign)
	r.Dialog("planblock", s.submitBlock)
	r.Dialog("plancount", s.submitCount)
	r.Balise("plan.settings.help", s.runSettings, "settings", "reglages", "réglages", "parametres", "paramètres")
	r.Action("plansettings", s.clickSettings)
	r.Dialog("plansettings", s.submitSettings)
	r.Job(
		bot.Job{Name: "dispatch-plan-sends", Every: s.tick, Run: s.Dispatch},
		bot.Job{Name: "refresh-stale-plan-cards", Every: s.tick, Run: s.refreshStale},
		bot.Job{Name: "hand-over-plans-of-leavers", Every: turnoverEvery, Run: s.Turnover},
	)
}

var planVerbs = map[string]string{
	"new": "new", "nouveau": "new", "nouvelle": "new", "créer": "new", "creer": "new",
	"list": "list", "liste": "list",
	"show": "show", "voir": "show", "montrer": "show",
	"step": "step", "étape": "step", "etape": "step",
	"done": "done", "fait": "done", "faite": "done",
	"undo": "undo", "annuler": "undo", "défaire": "undo", "defaire": "undo",
	"due": "due", "echeance": "due", "échéance": "due",
	"assign": "assign", "attribuer": "assign", "confier": "assign",
	"archive": "archive", "archiver": "archive",
	"away": "away", "absent": "away", "absente": "away",
	"nudge": "nudge", "relance": "nudge",
	"adoption": "adoption",
	"export":   "export", "exporter": "export",
	"help": "help", "aide": "help",
}

func (s *Plans) runPlan(ctx context.Context, in *commands.Input) (string, error) {
	verb, rest := commands.Subcommand(in.Text)
	switch planVerbs[verb] {
	case "", "list":
		if in.Text != "" && planVerbs[verb] == "" {
			if n, r, ok := planNumber(in.Text); ok && r == "" && n > 0 {
				return s.showPlan(ctx, in, in.Text)
			}
			return s.kit.T(in.Lang, "plan.usage"), nil
		}
		return s.listPlans(ctx, in)
	case "new":
		return s.newPlan(ctx, in, rest)
	case "show":
		return s.showPlan(ctx, in, rest)
	case "step":
		return s.addStep(ctx, in, rest)
	case "done", "undo", "due", "assign":
		return s.stepCommand(ctx, in, planVerbs[verb], rest)
	case "archive":
		return s.archive(ctx, in, rest)
	case "away":
		return s.away(ctx, in, rest)
	case "nudge":
		return s.nudgeAt(ctx, in, rest)
	case "adoption":
		return s.adoption(ctx, in, rest)
	case "export":
		return s.export(ctx, in, rest)
	}
	return s.kit.T(in.Lang, "plan.usage"), nil
}

// planNumber reads "#12" or "12" and what follows it.
func planNumber(v string) (int, string, bool) {
	v = strings.TrimSpace(v)
	word, rest := v, ""
	if i := strings.IndexFunc(v, unicode.IsSpace); i >= 0 {
		word, rest = v[:i], v[i:]
	}
	n, err := strconv.Atoi(strings.TrimPrefix(word, "#"))
	return n, strings.TrimSpace(rest), err == nil && n > 0
}

// findPlan returns the plan numbered at the start of arg, if the member may
// see it (a plan belongs to its channel's members), and what follows.
func (s *Plans) findPlan(ctx context.Context, teamID, userID, arg string) (*bot.Plan, string, error) {
	n, rest, ok := planNumber(arg)
	if !ok {
		return nil, "", bot.Errorf(bot.EINVALID, "plan.error.number")
	}
	p, err := s.store.Plan(ctx, teamID, n)
	if err != nil {
		return nil, "", err
	}
	if err := s.maysee(ctx, p, userID); err != nil {
		return nil, "", err
	}
	return p, rest, nil
}

// maysee lets the plan's channel members, referents and step owners see it.
func (s *Plans) maysee(ctx context.Context, p *bot.Plan, userID string) error {
	if p.MayEdit(userID) {
		return nil
	}
	for _, st := range p.Steps {
		if st.OwnerID == userID {
			return nil
		}
	}
	in, err := s.chat.IsChannelMember(ctx, p.ChannelID, userID)
	if err != nil {
		return err
	}
	if !in {
		return bot.Errorf(bot.ENOTFOUND, "plan.error.not_found")
	}
	return nil
}

// mayEdit checks that a member may change a plan: its creator, its
// referents, a team admin.
func (s *Plans) mayEdit(ctx context.Context, p *bot.Plan, userID string) error {
	if p.MayEdit(userID) {
		return nil
	}
	admin, err := s.chat.IsTeamAdmin(ctx, p.TeamID, userID)
	if err != nil {
		return err
	}
	if !admin {
		return bot.Errorf(bot.EFORBIDDEN, "plan.error.forbidden")
	}
	return nil
}

// mayTick also lets a step's owner tick, postpone, reassign or block it.
func (s *Plans) mayTick(ctx context.Context, p *bot.Plan, step int, userID string) error {
	if p.MayTick(userID, step) {
		return nil
	}
	return s.mayEdit(ctx, p, userID)
}

// person is a member as the schedules need them.
func (s *Plans) person(ctx context.Context, teamID, userID string) bot.Person {
	pp := bot.Person{ID: userID, Settings: bot.DefaultReminderSettings()}
	if m, err := s.chat.Member(ctx, userID); err == nil {
		pp.Location = m.Location
	}
	if st, err := s.store.ReminderSettings(ctx, teamID, userID); err == nil {
		pp.Settings = st
	} else {
		commands.LogErr(ctx, err, "read reminder settings")
	}
	return pp
}

// people are the plan's referents and step owners, and extra members.
func (s *Plans) people(ctx context.Context, p *bot.Plan, extra ...string) map[string]bot.Person {
	out := map[string]bot.Person{}
	ids := append(append([]string{}, p.Referents...), extra...)
	for _, st := range p.Steps {
		ids = append(ids, st.OwnerID)
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok && id != "" {
			out[id] = s.person(ctx, p.TeamID, id)
		}
	}
	return out
}

// edit changes a plan through the store and re-arms its follow-ups in the
// same transaction, then refreshes its card and wakes the dispatcher.
// extra names members whom fn may give a step.
func (s *Plans) edit(ctx context.Context, p *bot.Plan, fn func(p *bot.Plan) error, extra ...string) (*bot.Plan, error) {
	if p.Archived() {
		return nil, bot.Errorf(bot.ECONFLICT, "plan.error.archived")
	}
	people := s.people(ctx, p, extra...)
	now := s.now()
	edited, err := s.store.EditPlan(ctx, p.ID, func(p *bot.Plan) ([]bot.Send, error) {
		if p.Archived() {
			return nil, bot.Errorf(bot.ECONFLICT, "plan.error.archived")
		}
		if err := fn(p); err != nil {
			return nil, err
		}
		if p.Archived() {
			return nil, nil
		}
		return p.FollowUps(now, people, s.holidays), nil
	})
	if err != nil {
		return nil, err
	}
	s.cards.Refresh(edited.ID)
	s.sched.Wake()
	return edited, nil
}

// name is how a member is written: @username.
func (s *Plans) name(ctx context.Context, userID string) string {
	if userID == "" {
		return "—"
	}
	if m, err := s.chat.Member(ctx, userID); err == nil && m.Username != "" {
		return "@" + m.Username
	}
	return "@" + userID
}

// resolve finds the channel members named @a @b (or a, b): names are
// matched among the channel's members, so that a plan never names someone
// who cannot see it.
func (s *Plans) resolve(ctx context.Context, channelID string, names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	members, err := s.chat.ChannelMembers(ctx, channelID)
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, id := range members {
		if m, err := s.chat.Member(ctx, id); err == nil {
			byName[strings.ToLower(m.Username)] = id
		}
	}
	var out []string
	for _, n := range names {
		for _, part := range strings.FieldsFunc(n, func(r rune) bool { return r == ',' || r == ' ' }) {
			id, ok := byName[strings.ToLower(strings.TrimPrefix(part, "@"))]
			if !ok {
				return nil, bot.Errorf(bot.EINVALID, "plan.error.unknown_member", "name", part)
			}
			out = append(out, id)
		}
	}
	return out, nil
}

// today is a day in a zone, now.
func (s *Plans) today(loc *time.Location) bot.Day { return bot.DayOf(s.now(), loc) }
