package bot

import (
	"slices"
	"time"
)

// SendKind says what a scheduled send is: a rung of a step's follow-up
// ladder, or a referent's weekly nudge.
type SendKind string

const (
	DayBefore SendKind = "day_before" // to the owner, the day before the due date
	DueToday  SendKind = "due"        // to the owner, on the due date
	Overdue   SendKind = "overdue"    // in the plan's thread, two working days late
	Late      SendKind = "late"       // to each referent, a week late, once
	Nudge     SendKind = "nudge"      // to a referent, weekly, gathering all their plans
)

// FollowUpHour is when follow-ups go out, local time, before quiet hours
// and closed days move them: one moment a day, so that a person's
// follow-ups of the same day leave together, in one message.
const FollowUpHour = 9

// Send is a follow-up or a nudge Balise owes, and when. It is stored before
// it is due, so that a restart rebuilds the schedule; it is keyed by (team,
// plan, step, kind, recipient, due date) so that each goes out once, and
// a step whose due date changes gets a new ladder.
type Send struct {
	ID     int64
	TeamID string
	PlanID int64 // 0 for a nudge
	Step   int   // 0 for a nudge
	Kind   SendKind
	To     string // a member, "" for the plan's thread
	Due    Day    // the step's due date; for a nudge, the Monday of its week
	At     time.Time
}

// FollowUps returns the ladder of every step not done with a due date: the
// owner hears the day before and on the day (not while the step is marked
// blocked: they said why), the plan's thread two working days after, each
// referent a week after. Each rung goes at FollowUpHour in its recipient's
// zone (the plan's for the thread), moved out of their quiet hours and
// closed days. Of the rungs already past at now, only the latest of each
// step is kept: a step created late, or ticked back by mistake, gets one
// message, not the whole ladder at once. people gives each member's zone
// and settings; a member it lacks has the plan's zone and the defaults.
func (p *Plan) FollowUps(now time.Time, people map[string]Person, h Holidays) []Send {
	person := func(id string) Person {
		if pp, ok := people[id]; ok && pp.Location != nil {
			return pp
		}
		return Person{ID: id, Location: p.Location, Settings: DefaultReminderSettings()}
	}
	var out []Send
	for _, s := range p.Steps {
		if s.Done() || s.Due.IsZero() {
			continue
		}
		rung := func(kind SendKind, to Person, d Day) Send {
			at := to.Settings.On(d, FollowUpHour*60, to.Location, h)
			return Send{TeamID: p.TeamID, PlanID: p.ID, Step: s.Number, Kind: kind, To: to.ID, Due: s.Due, At: at}
		}
		var ladder []Send
		if s.OwnerID != "" && s.Blocked == "" {
			owner := person(s.OwnerID)
			due, before := rung(DueToday, owner, s.Due), rung(DayBefore, owner, s.Due.AddDays(-1))
			if DayOf(before.At, owner.Location).Before(DayOf(due.At, owner.Location)) {
				ladder = append(ladder, before) // not when closed days push it onto the due one
			}
			ladder = append(ladder, due)
		}
		thread := Person{Location: p.Location, Settings: ReminderSettings{Days: Weekdays}}
		ladder = append(ladder, rung(Overdue, thread, workingDays(s.Due, 2, h)))
		for _, r := range p.Referents {
			ladder = append(ladder, rung(Late, person(r), s.Due.AddDays(7)))
		}
		out = append(out, pastOnce(ladder, now)...)
	}
	return out
}

// workingDays returns the n-th working day (Monday to Friday, not a
// holiday) after d.
func workingDays(d Day, n int, h Holidays) Day {
	for n > 0 {
		d = d.AddDays(1)
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday && !h.on(d) {
			n--
		}
	}
	return d
}

// rungOrder is the order of the ladder.
var rungOrder = []SendKind{DayBefore, DueToday, Overdue, Late}

// pastOnce keeps the rungs still to come, and of those already past only
// the last rung reached (for all its recipients).
func pastOnce(sends []Send, now time.Time) []Send {
	reached := -1
	for _, s := range sends {
		if !s.At.After(now) {
			reached = max(reached, slices.Index(rungOrder, s.Kind))
		}
	}
	return slices.DeleteFunc(sends, func(s Send) bool {
		return !s.At.After(now) && slices.Index(rungOrder, s.Kind) != reached
	})
}

// Recipients says who receives a send due on day: its member, or while
// they are away the plan's other referents who are not, or with none left
// the plan's thread (""). A muted member's direct messages are dropped,
// not handed over: they chose "never"; a nudge is never handed over.
func (p *Plan) Recipients(s Send, day Day, away Absences, muted func(string) bool) []string {
	switch {
	case s.To == "":
		return []string{""}
	case muted(s.To):
		return nil
	case !away.Away(s.To, day):
		return []string{s.To}
	case s.Kind == Nudge:
		return nil
	}
	var out []string
	for _, r := range p.Referents {
		if r != s.To && !away.Away(r, day) && !muted(r) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}
