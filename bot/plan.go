package bot

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what a plan may hold.
const (
	MaxPlanTitle = 200
	MaxSteps     = 40
	MaxReferents = 10
	MaxTarget    = 100000
)

// Plan moves a team to a tool in steps, each with an owner and a due date.
// Its referents (référent·es numériques) get the follow-ups and the weekly
// nudges; its channel sees the card move.
type Plan struct {
	ID         int64
	TeamID     string
	Number     int // short number within the team: #1, #2...
	ChannelID  string
	PostID     string // the card, a root post by the bot; escalations go in its thread
	CreatorID  string
	Lang       Lang           // the card's language: its creator's
	Location   *time.Location // the creator's zone: due dates are days there
	Title      string
	ToolID     string // catalogue entry, "" while no tool is chosen
	DecisionID int64  // the decision the plan follows, 0 for none
	Referents  []string
	Start      Day
	Target     int // how many people should end up using the tool
	Steps      []Step
	CreatedAt  time.Time
	ArchivedAt time.Time // zero while the plan is followed
	Revision   int       // grows with every change: the card catches up
}

// Step is one numbered task of a plan.
type Step struct {
	Number  int
	Kind    StepKind // the template step it comes from, "" for one added by hand
	Title   string
	OwnerID string // "" when nobody owns it: follow-ups go to the plan's thread
	Due     Day    // zero when it has no due date
	DoneAt  time.Time
	DoneBy  string
	Blocked string // why the owner is stuck, "" when not blocked
}

// Done reports whether the step is ticked.
func (s *Step) Done() bool { return !s.DoneAt.IsZero() }

// Validate checks a new plan and returns an EINVALID error that says what
// to fix.
func (p *Plan) Validate() error {
	p.Title = strings.TrimSpace(p.Title)
	switch {
	case p.Title == "":
		return Errorf(EINVALID, "plan.error.title_empty")
	case utf8.RuneCountInString(p.Title) > MaxPlanTitle:
		return Errorf(EINVALID, "plan.error.title_long", "max", MaxPlanTitle)
	case WholeChannelMention(p.Title):
		return Errorf(EINVALID, "plan.error.mention")
	case p.Target < 1 || p.Target > MaxTarget:
		return Errorf(EINVALID, "plan.error.target", "max", MaxTarget)
	case len(p.Referents) > MaxReferents:
		return Errorf(EINVALID, "plan.error.referents", "max", MaxReferents)
	case len(p.Steps) > MaxSteps:
		return Errorf(EINVALID, "plan.error.steps", "max", MaxSteps)
	case p.Start.IsZero():
		return Errorf(EINVALID, "plan.error.start")
	}
	return nil
}

// Archived reports whether the plan is no longer followed.
func (p *Plan) Archived() bool { return !p.ArchivedAt.IsZero() }

// IsReferent reports whether a member is one of the plan's referents.
func (p *Plan) IsReferent(userID string) bool { return slices.Contains(p.Referents, userID) }

// MayEdit reports whether a member may change the plan: its creator and its
// referents (team admins are checked by the caller).
func (p *Plan) MayEdit(userID string) bool { return userID == p.CreatorID || p.IsReferent(userID) }

// MayTick reports whether a member may tick, untick, postpone or block a
// step: those who may edit the plan, and the step's owner.
func (p *Plan) MayTick(userID string, number int) bool {
	s, err := p.Step(number)
	return p.MayEdit(userID) || err == nil && s.OwnerID == userID
}

// Step returns a step by number; ENOTFOUND when the plan has none such.
func (p *Plan) Step(number int) (*Step, error) {
	for i := range p.Steps {
		if p.Steps[i].Number == number {
			return &p.Steps[i], nil
		}
	}
	return nil, Errorf(ENOTFOUND, "plan.error.step_not_found", "plan", p.Number, "step", number)
}

// AddStep appends a step numbered after the last one.
func (p *Plan) AddStep(title, ownerID string, due Day) (*Step, error) {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		return nil, Errorf(EINVALID, "plan.error.step_title_empty")
	case utf8.RuneCountInString(title) > MaxPlanTitle:
		return nil, Errorf(EINVALID, "plan.error.title_long", "max", MaxPlanTitle)
	case WholeChannelMention(title):
		return nil, Errorf(EINVALID, "plan.error.mention")
	case len(p.Steps) >= MaxSteps:
		return nil, Errorf(EINVALID, "plan.error.steps", "max", MaxSteps)
	}
	n := 1
	for _, s := range p.Steps {
		n = max(n, s.Number+1)
	}
	p.Steps = append(p.Steps, Step{Number: n, Title: title, OwnerID: ownerID, Due: due})
	return &p.Steps[len(p.Steps)-1], nil
}

// Tick marks a step done by a member; it returns false when it already was.
func (p *Plan) Tick(number int, by string, at time.Time) (bool, error) {
	s, err := p.Step(number)
	if err != nil || s.Done() {
		return false, err
	}
	s.DoneAt, s.DoneBy, s.Blocked = at, by, ""
	return true, nil
}

// Untick undoes a tick made by mistake; it returns false when the step was
// not done.
func (p *Plan) Untick(number int) (bool, error) {
	s, err := p.Step(number)
	if err != nil || !s.Done() {
		return false, err
	}
	s.DoneAt, s.DoneBy = time.Time{}, ""
	return true, nil
}

// SetDue moves a step's due date; the zero Day removes it.
func (p *Plan) SetDue(number int, due Day) error {
	s, err := p.Step(number)
	if err == nil {
		s.Due = due
	}
	return err
}

// Postpone moves a step's due date days later, counted from today when
// the step is already late ("+7 days" in a follow-up), and returns it.
func (p *Plan) Postpone(number int, today Day, days int) (Day, error) {
	s, err := p.Step(number)
	if err != nil {
		return Day{}, err
	}
	from := s.Due
	if from.IsZero() || from.Before(today) {
		from = today
	}
	s.Due = from.AddDays(days)
	return s.Due, nil
}

// Assign gives a step to a member.
func (p *Plan) Assign(number int, ownerID string) error {
	s, err := p.Step(number)
	if err == nil {
		s.OwnerID = ownerID
	}
	return err
}

// Block records why a step is stuck; an empty reason unblocks it.
func (p *Plan) Block(number int, reason string) error {
	s, err := p.Step(number)
	switch {
	case err != nil:
		return err
	case s.Done():
		return Errorf(ECONFLICT, "plan.error.step_done", "step", number)
	case utf8.RuneCountInString(reason) > MaxReason:
		return Errorf(EINVALID, "plan.error.reason_long", "max", MaxReason)
	}
	s.Blocked = Quiet(strings.TrimSpace(reason))
	return nil
}

// Progress counts the steps done and all steps.
func (p *Plan) Progress() (done, total int) {
	for i := range p.Steps {
		if p.Steps[i].Done() {
			done++
		}
	}
	return done, len(p.Steps)
}

// Open returns the steps not done with a due date on or before last (the
// zero Day for all), soonest first; steps without a due date come last.
func (p *Plan) Open(last Day) []Step {
	var out []Step
	for _, s := range p.Steps {
		if !s.Done() && (last.IsZero() || !s.Due.IsZero() && !s.Due.After(last)) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, soonest)
	return out
}

// soonest orders steps by due date, those without one last, then by number.
func soonest(a, b Step) int {
	switch {
	case a.Due == b.Due:
		return cmp.Compare(a.Number, b.Number)
	case a.Due.IsZero():
		return 1
	case b.Due.IsZero() || a.Due.Before(b.Due):
		return -1
	}
	return 1
}

// Overdue returns the steps not done whose due date is before today.
func (p *Plan) Overdue(today Day) []Step { return p.Open(today.AddDays(-1)) }

// End is the plan's last due date, the zero Day when no step has one.
func (p *Plan) End() Day {
	var end Day
	for _, s := range p.Steps {
		if end.IsZero() || s.Due.After(end) {
			end = s.Due
		}
	}
	return end
}

// Handover is what HandOver changed, for the plan's thread.
type Handover struct {
	Moved []int  // the numbers of the open steps that changed owner
	Heir  string // who got them, "" for nobody (follow-ups go to the thread)
	// CreatorReferent: no referent was left, so the plan's creator became
	// its referent (the weekly looks go to them).
	CreatorReferent bool
	WasReferent     bool
}

// HandOver takes a member who left the team (or was deactivated) off the
// plan: off its referents, and their open steps go to the first other
// referent who has not left, else to the plan's creator, who then becomes
// its referent so that the weekly looks reach someone, else to nobody
// (their follow-ups go to the plan's thread). gone says who else has left
// (nil: nobody); the caller hands each of them over in turn. Done steps
// keep who did them.
func (p *Plan) HandOver(leaving string, gone func(string) bool) Handover {
	left := func(id string) bool { return id == leaving || gone != nil && gone(id) }
	h := Handover{WasReferent: p.IsReferent(leaving)}
	p.Referents = slices.DeleteFunc(p.Referents, func(r string) bool { return r == leaving })
	for _, r := range p.Referents {
		if !left(r) {
			h.Heir = r
			break
		}
	}
	if h.Heir == "" && p.CreatorID != "" && !left(p.CreatorID) {
		h.Heir = p.CreatorID
		if !p.IsReferent(p.CreatorID) {
			p.Referents = append(p.Referents, p.CreatorID)
			h.CreatorReferent = true
		}
	}
	for i := range p.Steps {
		if s := &p.Steps[i]; s.OwnerID == leaving && !s.Done() {
			s.OwnerID = h.Heir
			h.Moved = append(h.Moved, s.Number)
		}
	}
	return h
}
