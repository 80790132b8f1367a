package plan

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
)

// dispatcher wakes the dispatch when the next follow-up or nudge falls due:
// one timer, armed at the earliest send of the schedule and re-armed after
// every dispatch and every change (a change may arm an earlier send). The
// rows are the truth: a restart rebuilds the timer from them, and a safety
// job dispatches at every tick whatever the timer does.
type dispatcher struct {
	clock clockwork.Clock
	run   *background.Refresher // coalesces wakes: one dispatch at a time, one more after
	mu    sync.Mutex
	timer clockwork.Timer
	at    time.Time
}

func newDispatcher(work *background.Work, clock clockwork.Clock, dispatch func(ctx context.Context) error) *dispatcher {
	return &dispatcher{clock: clock, run: background.NewRefresher(work, func(ctx context.Context, _ int64) error { return dispatch(ctx) })}
}

// Wake dispatches soon, in the background.
func (d *dispatcher) Wake() { d.run.Refresh(0) }

// arm sets the timer to wake the dispatch at at.
func (d *dispatcher) arm(at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		if d.at.Equal(at) {
			return
		}
		d.timer.Stop()
	}
	d.at = at
	d.timer = d.clock.AfterFunc(max(0, at.Sub(d.clock.Now())), d.Wake)
}

// Stop stops the timer: no dispatch starts after it, but for the safety
// job's.
func (s *Plans) Stop() {
	d := s.sched
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
}

// Armed returns when the dispatcher will next wake, false when it sleeps.
func (s *Plans) Armed() (time.Time, bool) {
	d := s.sched
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.at, d.timer != nil
}

// Dispatch sends what is due (also what fell due while Balise was down),
// then arms the timer for the next send. Each send is claimed once, its
// letter queued in the same transaction; the postman delivers it.
func (s *Plans) Dispatch(ctx context.Context) error {
	s.dispatching.Lock()
	defer s.dispatching.Unlock()
	err := s.dispatchDue(ctx)
	at, ok, nerr := s.store.NextSendAt(ctx, s.now())
	if nerr == nil && ok {
		s.sched.arm(at)
	}
	return errors.Join(err, nerr)
}

// letter is what one recipient gets from one dispatch: all its sends.
type letter struct {
	teamID string
	to     string // a member, "" for a plan's thread
	plan   *bot.Plan
	person bot.Person
	day    bot.Day
	items  []item
	nudges []bot.Send
}

// item is one follow-up in a letter.
type item struct {
	send    bot.Send
	plan    *bot.Plan
	standIn bool // the recipient stands in for the step's owner, away
}

// dispatchRun caches what one dispatch reads.
type dispatchRun struct {
	s        *Plans
	plans    map[int64]*bot.Plan
	people   map[string]bot.Person
	absences map[string]bot.Absences
}

func (r *dispatchRun) plan(ctx context.Context, id int64) (*bot.Plan, error) {
	if p, ok := r.plans[id]; ok {
		return p, nil
	}
	p, err := r.s.store.PlanByID(ctx, id)
	if err != nil {
		return nil, err
	}
	r.plans[id] = p
	return p, nil
}

func (r *dispatchRun) person(ctx context.Context, teamID, userID string) bot.Person {
	key := teamID + "/" + userID
	if p, ok := r.people[key]; ok {
		return p
	}
	p := r.s.person(ctx, teamID, userID)
	if p.Location == nil {
		p.Location = time.UTC
	}
	r.people[key] = p
	return p
}

func (r *dispatchRun) away(ctx context.Context, teamID string, day bot.Day) (bot.Absences, error) {
	key := teamID + "/" + day.String()
	if a, ok := r.absences[key]; ok {
		return a, nil
	}
	a, err := r.s.store.Absences(ctx, teamID, day)
	if err != nil {
		return nil, err
	}
	r.absences[key] = a
	return a, nil
}

func (s *Plans) dispatchDue(ctx context.Context) error {
	now := s.now()
	due, err := s.store.DueSends(ctx, now)
	if err != nil || len(due) == 0 {
		return err
	}
	r := &dispatchRun{s: s, plans: map[int64]*bot.Plan{}, people: map[string]bot.Person{}, absences: map[string]bot.Absences{}}
	letters := map[string]*letter{}
	var order []string
	add := func(key string, l *letter) *letter {
		if got, ok := letters[key]; ok {
			return got
		}
		letters[key], order = l, append(order, key)
		return l
	}
	var errs []error
	for _, snd := range due {
		if snd.Kind == bot.Nudge {
			pp := r.person(ctx, snd.TeamID, snd.To)
			day := bot.DayOf(now, pp.Location)
			abs, err := r.away(ctx, snd.TeamID, day)
			if err != nil {
				return err
			}
			if pp.Settings.Muted || abs.Away(snd.To, day) {
				errs = append(errs, s.store.DropSends(ctx, []int64{snd.ID}, []bot.Send{s.nextNudge(snd, pp, now)}))
				continue
			}
			l := add(snd.TeamID+"/"+snd.To, &letter{teamID: snd.TeamID, to: snd.To, person: pp, day: day})
			l.nudges = append(l.nudges, snd)
			continue
		}
		p, err := r.plan(ctx, snd.PlanID)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			errs = append(errs, s.store.DropSends(ctx, []int64{snd.ID}, nil))
			continue
		}
		if err != nil {
			return err
		}
		loc := p.Location
		if snd.To != "" {
			loc = r.person(ctx, snd.TeamID, snd.To).Location
		}
		day := bot.DayOf(now, loc)
		abs, err := r.away(ctx, snd.TeamID, day)
		if err != nil {
			return err
		}
		if until, ok := abs.TeamAway(day); ok {
			errs = append(errs, s.store.DeferSends(ctx, []int64{snd.ID}, until.AddDays(1).At(bot.FollowUpHour, 0, loc)))
			continue
		}
		muted := func(id string) bool { return r.person(ctx, snd.TeamID, id).Settings.Muted }
		to := p.Recipients(snd, day, abs, muted)
		if len(to) == 0 {
			errs = append(errs, s.store.DropSends(ctx, []int64{snd.ID}, nil))
			continue
		}
		for _, rcpt := range to {
			key := snd.TeamID + "/" + rcpt
			l := &letter{teamID: snd.TeamID, to: rcpt, day: day, plan: p}
			if rcpt == "" {
				key = "plan:" + strconv.FormatInt(p.ID, 10)
			} else {
				l.person = r.person(ctx, snd.TeamID, rcpt)
				l.day = bot.DayOf(now, l.person.Location)
			}
			l = add(key, l)
			l.items = append(l.items, item{send: snd, plan: p, standIn: snd.To != "" && rcpt != snd.To})
		}
	}
	queued := false
	claimed := map[int64]bool{} // a send handed to several stand-ins is claimed by the first
	for _, key := range order {
		ok, err := s.deliver(ctx, r, letters[key], claimed, now)
		if err != nil {
			errs = append(errs, err)
		}
		queued = queued || ok
	}
	if queued {
		s.post.Kick()
	}
	return errors.Join(errs...)
}

// nextNudge is the nudge after snd, never in the past.
func (s *Plans) nextNudge(snd bot.Send, pp bot.Person, now time.Time) bot.Send {
	after := snd.At
	if now.After(after) {
		after = now
	}
	at, week := pp.Settings.NextNudge(after, pp.Location, s.holidays)
	return bot.Send{TeamID: snd.TeamID, Kind: bot.Nudge, To: snd.To, Due: week, At: at}
}

// armNudge arms a member's weekly nudge from now, in their zone and with
// their settings (a new referent, /plan nudge).
func (s *Plans) armNudge(ctx context.Context, teamID, userID string, _ bool) error {
	pp := s.person(ctx, teamID, userID)
	if pp.Location == nil {
		pp.Location = time.UTC
	}
	at, week := pp.Settings.NextNudge(s.now(), pp.Location, s.holidays)
	return s.store.ArmNudge(ctx, bot.Send{TeamID: teamID, Kind: bot.Nudge, To: userID, Due: week, At: at})
}

// deliver claims a letter's sends and queues its message in one
// transaction. A recipient who already had their message of the day gets
// these the next day they accept messages.
func (s *Plans) deliver(ctx context.Context, r *dispatchRun, l *letter, claimed map[int64]bool, now time.Time) (bool, error) {
	var ids []int64
	var items []item
	for _, it := range l.items {
		if !claimed[it.send.ID] {
			ids = append(ids, it.send.ID)
			claimed[it.send.ID] = true
			items = append(items, it)
		} else {
			items = append(items, it) // a stand-in among several: told too, claimed once
		}
	}
	var next []bot.Send
	var nudge []bot.NudgeItem
	for _, n := range l.nudges {
		ids = append(ids, n.ID)
		next = append(next, s.nextNudge(n, l.person, now))
		got, err := s.nudgeItems(ctx, l.teamID, l.to, n.Due)
		if err != nil {
			return false, err
		}
		nudge = append(nudge, got...)
	}
	if len(items) == 0 && len(nudge) == 0 {
		return false, s.store.DropSends(ctx, ids, next) // a nudge with nothing to say: no message
	}
	env, err := s.letterEnvelope(ctx, l, items, nudge)
	if err != nil {
		return false, err
	}
	c := bot.Claim{TeamID: l.teamID, To: l.to, Day: l.day, IDs: ids, Next: next}
	if l.to == "" {
		c.PlanID = l.plan.ID
	}
	if len(ids) == 0 {
		return true, s.store.Enqueue(ctx, l.teamID, env)
	}
	ok, err := s.store.ClaimSends(ctx, c, []bot.Envelope{env})
	if err != nil || ok {
		return ok, err
	}
	// The recipient had their message today: tomorrow, when they accept one.
	settings, loc := l.person.Settings, l.person.Location
	if l.to == "" {
		settings, loc = bot.ReminderSettings{Days: bot.Weekdays}, l.plan.Location
	}
	return false, s.store.DeferSends(ctx, ids, settings.On(l.day.AddDays(1), bot.FollowUpHour*60, loc, s.holidays))
}

// nudgeItems gathers a referent's plans for the week starting on week.
func (s *Plans) nudgeItems(ctx context.Context, teamID, userID string, week bot.Day) ([]bot.NudgeItem, error) {
	plans, err := s.store.ReferentPlans(ctx, teamID, userID)
	if err != nil {
		return nil, err
	}
	answered := map[int64]bool{}
	curves := map[int64][]bot.AdoptionPoint{}
	for _, p := range plans {
		if !p.CheckInDue() {
			continue
		}
		checkIns, err := s.store.CheckIns(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range checkIns {
			answered[p.ID] = answered[p.ID] || c.Week == week
		}
		curves[p.ID] = p.AdoptionCurve(checkIns)
	}
	return bot.WeeklyNudge(userID, week, plans, func(id int64) bool { return answered[id] }, curves), nil
}

// maxCards is how many step cards one message carries; the text lists all.
const maxCards = 8

// letterEnvelope renders a letter: one line per follow-up, the nudge's plans,
// and a card with buttons per step and per check-in.
func (s *Plans) letterEnvelope(ctx context.Context, l *letter, items []item, nudge []bot.NudgeItem) (bot.Envelope, error) {
	var lang bot.Lang
	if l.to == "" {
		lang = l.plan.Lang
	} else {
		lang = s.kit.Lang(ctx, l.teamID, l.to)
	}
	var text []string
	var cards []*bot.Card
	carded := map[string]bool{}
	stepCard := func(p *bot.Plan, st bot.Step) {
		key := fmt.Sprintf("%d/%d", p.ID, st.Number)
		if carded[key] || len(cards) >= maxCards {
			return
		}
		carded[key] = true
		cards = append(cards, &bot.Card{Title: fmt.Sprintf("#%d · %d. %s", p.Number, st.Number, bot.Quiet(st.Title)),
			Text: s.stepLine(ctx, lang, st), Buttons: s.stepButtons(lang, p, st, true)})
	}
	for _, it := range items {
		p := it.plan
		st, err := p.Step(it.send.Step)
		if err != nil {
			continue
		}
		args := []any{"plan", p.Number, "plan_title", bot.Quiet(p.Title), "step", st.Number, "title", bot.Quiet(st.Title),
			"owner", s.name(ctx, st.OwnerID), "due", s.day(lang, st.Due)}
		line := s.kit.T(lang, "plan.followup."+string(it.send.Kind), args...)
		if it.standIn {
			line = s.kit.T(lang, "plan.followup.standin", "away", s.name(ctx, it.send.To)) + " " + line
		}
		text = append(text, line)
		stepCard(p, *st)
	}
	if len(nudge) > 0 {
		if len(text) > 0 {
			text = append(text, "")
		}
		text = append(text, s.kit.T(lang, "plan.nudge.intro"))
		for _, n := range nudge {
			text = append(text, fmt.Sprintf("**#%d %s** — %s", n.Plan.Number, bot.Quiet(n.Plan.Title), s.kit.Permalink(n.Plan.PostID)))
			for _, st := range n.Steps {
				text = append(text, "• "+s.stepLine(ctx, lang, st))
				stepCard(n.Plan, st)
			}
			if n.CheckIn {
				cards = append(cards, s.checkInCard(ctx, lang, n.Plan, n.Stalled))
			}
		}
	}
	if l.to != "" { // every direct message leads to the member's settings
		cards = append(cards, &bot.Card{Text: s.kit.T(lang, "plan.settings.hint"), Buttons: []bot.Button{s.settingsButton(lang, l.teamID)}})
	}
	msg := bot.Message{Text: strings.Join(text, "\n")}
	if len(cards) > 0 {
		msg.Card, msg.More = cards[0], cards[1:]
	}
	if l.to == "" {
		msg.ChannelID, msg.RootID = l.plan.ChannelID, l.plan.PostID
		return bot.Envelope{Message: msg}, nil
	}
	return bot.Envelope{ToUserID: l.to, Message: msg}, nil
}

// nudgeAt runs `/plan nudge <weekday> <time>`: when the member's weekly
// nudge comes, in their own time zone.
func (s *Plans) nudgeAt(ctx context.Context, in *commands.Input, arg string) (string, error) {
	day, minute, ok := parseWeekTime(arg)
	if !ok {
		return s.kit.T(in.Lang, "plan.error.nudge"), nil
	}
	st, err := s.store.ReminderSettings(ctx, in.TeamID, in.UserID)
	if err != nil {
		return "", err
	}
	st.NudgeDay, st.NudgeAt = day, minute
	if err := s.store.SetReminderSettings(ctx, in.TeamID, in.UserID, st); err != nil {
		return "", err
	}
	plans, err := s.store.ReferentPlans(ctx, in.TeamID, in.UserID)
	if err != nil {
		return "", err
	}
	if len(plans) > 0 {
		if err := s.armNudge(ctx, in.TeamID, in.UserID, true); err != nil {
			return "", err
		}
		s.sched.Wake()
	}
	loc := s.kit.Location(ctx, in.UserID)
	days := splitList(s.kit.T(in.Lang, "plan.weekdays"))
	name := day.String()
	if len(days) == 7 {
		name = days[day]
	}
	return s.kit.T(in.Lang, "plan.nudge.set", "day", name, "time", fmt.Sprintf("%02d:%02d", minute/60, minute%60), "zone", loc.String()), nil
}

// away runs `/plan away until <date>` (`/plan absent jusqu'au 20/7`), and
// `/plan away off` (`/plan absent fin`) to come back early.
func (s *Plans) away(ctx context.Context, in *commands.Input, arg string) (string, error) {
	v := stripUntil(arg)
	switch v {
	case "off", "stop", "end", "back", "fin", "retour", "non":
		if err := s.store.EndAway(ctx, in.TeamID, in.UserID); err != nil {
			return "", err
		}
		return s.kit.T(in.Lang, "plan.away.ended"), nil
	}
	loc := s.kit.Location(ctx, in.UserID)
	until, err := bot.ParseDay(v, s.now(), loc)
	if err != nil {
		return "", err
	}
	today := s.today(loc)
	if until.Before(today) {
		return "", bot.Errorf(bot.EINVALID, "plan.error.away_past")
	}
	if err := s.store.SetAway(ctx, bot.Away{TeamID: in.TeamID, UserID: in.UserID, From: today, Until: until}); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "plan.away.set", "until", s.day(in.Lang, until)), nil
}
