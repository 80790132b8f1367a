package bot

import (
	"context"
	"time"
)

// PlanFilter selects plans of a team for /plan list.
type PlanFilter struct {
	ChannelID string // only this channel's, "" for all
	Archived  bool   // archived ones; else those followed
	Limit     int
}

// Plans keeps the teams' migration plans, their steps and adoption
// check-ins. It is called by the plan capability (commands, clicks,
// dialogs) and by its jobs. Plans are looked up by team and number, or by
// the id a signed button or dialog carries: a team never sees another's
// plans. Methods return ENOTFOUND (plan.error.not_found) for a plan
// unknown in the team, the errors named below, and wrapped errors for
// failures of the database.
type Plans interface {
	// CreatePlan stores a new plan with its steps and referents, gives it
	// its number and id, and arms its follow-ups (sends, whose TeamID and
	// PlanID it fills), in one transaction. Called by /plan new and the
	// "Start a plan" form, before the card is posted.
	CreatePlan(ctx context.Context, p *Plan, sends []Send) error
	// DeletePlan removes a plan whose card could not be posted, with its
	// steps and follow-ups: the member is told to try again.
	DeletePlan(ctx context.Context, id int64) error
	// SetPlanPost records the card's post id once it is posted.
	SetPlanPost(ctx context.Context, id int64, postID string) error
	// Plan returns a team's plan by number (/plan show, done, due...).
	Plan(ctx context.Context, teamID string, number int) (*Plan, error)
	// PlanByID returns a plan by id, for buttons and dialogs.
	PlanByID(ctx context.Context, id int64) (*Plan, error)
	// ListPlans returns the team's plans matching f, newest first (/plan
	// list).
	ListPlans(ctx context.Context, teamID string, f PlanFilter) ([]*Plan, error)
	// ReferentPlans returns the followed plans of a team of which a member
	// is a referent; called to build their weekly nudge.
	ReferentPlans(ctx context.Context, teamID, userID string) ([]*Plan, error)
	// EditPlan loads a plan, lets edit change it (a step ticked, added,
	// moved, reassigned, blocked; referents or tool changed; archived),
	// stores it with a new revision and replaces its follow-ups with the
	// sends edit returns, in one transaction: a send already made for the
	// same step, kind, recipient and due date is not made again, a step
	// whose due date changed gets its ladder back, a step done or an
	// archived plan gets nothing more. An error from edit (EINVALID,
	// ECONFLICT, EFORBIDDEN) leaves everything as it was and is returned.
	EditPlan(ctx context.Context, id int64, edit func(p *Plan) ([]Send, error)) (*Plan, error)
	// EditPlanSaying is EditPlan whose edit also returns letters to queue
	// in the outbox in the same transaction: a change the plan's thread must
	// hear of exactly once (a member who left handed over), or not at all
	// when the edit fails.
	EditPlanSaying(ctx context.Context, id int64, edit func(p *Plan) ([]Send, []Envelope, error)) (*Plan, error)
	// FollowedPlans returns every plan not archived, in every team, by id;
	// called by the daily look for members who left their team.
	FollowedPlans(ctx context.Context) ([]*Plan, error)
	// RecordCheckIn stores a week's adoption estimate, replacing an earlier
	// answer for the same plan and week; ECONFLICT for an archived plan.
	// Called by the check-in buttons and /plan adoption.
	RecordCheckIn(ctx context.Context, c CheckIn) error
	// CheckIns returns a plan's check-ins, oldest first, for its curve.
	CheckIns(ctx context.Context, planID int64) ([]CheckIn, error)
	// StalePlanCards returns the plans whose card shows an older revision;
	// called by the card refresh service.
	StalePlanCards(ctx context.Context) ([]*Plan, error)
	// PlanCardShown records that a card shows revision.
	PlanCardShown(ctx context.Context, id int64, revision int) error
}

// Claim is what a dispatch takes from the schedule at once: the sends due
// for one recipient (a member, or a plan's thread when To is "") that go
// out together in one message on Day, the recipient's local date.
type Claim struct {
	TeamID string
	To     string
	PlanID int64 // the plan whose thread receives, when To is ""
	Day    Day
	IDs    []int64
	Next   []Send // sends to arm in the same transaction: the next weekly nudge
}

// Schedule keeps the follow-ups and nudges Balise owes, each a row with
// its due moment, so that a restart loses nothing and repeats nothing. It
// is called by the plan jobs (dispatch, nudges) and by /plan nudge and
// /balise settings; methods return only wrapped database errors.
type Schedule interface {
	// DueSends returns the sends due at now and not made, oldest first,
	// leaving out those about a step done, a step whose due date moved and
	// an archived plan.
	DueSends(ctx context.Context, now time.Time) ([]Send, error)
	// NextSendAt returns when the earliest send not made falls due after
	// now, false when none; the dispatcher sleeps until then (or until a
	// change arms an earlier one).
	NextSendAt(ctx context.Context, now time.Time) (time.Time, bool, error)
	// ClaimSends marks c's sends made and queues envs, in one transaction,
	// provided none was made already and the recipient got no message from
	// the plans on c.Day: at most one message per person (or thread) and
	// day, each send once. It returns false, and changes nothing, otherwise.
	ClaimSends(ctx context.Context, c Claim, envs []Envelope) (bool, error)
	// DropSends marks sends made without a message (nobody to tell: a
	// muted member, a nudge with nothing in it, a referent away) and arms
	// next, in one transaction.
	DropSends(ctx context.Context, ids []int64, next []Send) error
	// DeferSends moves sends not made to a later moment: the recipient's
	// message of the day is gone, or the team is away.
	DeferSends(ctx context.Context, ids []int64, at time.Time) error
	// ArmNudge replaces the member's weekly nudge not made yet in the team
	// with s (a member who becomes a referent, /plan nudge, settings).
	ArmNudge(ctx context.Context, s Send) error
	// DisarmNudge removes it: the member is no longer anyone's referent.
	DisarmNudge(ctx context.Context, teamID, userID string) error
}

// Availability keeps when members accept reminders and when they are away.
// Called by /plan away, /balise settings and the plan jobs; methods return
// only wrapped database errors.
type Availability interface {
	// ReminderSettings returns a member's settings, the defaults when they
	// never chose.
	ReminderSettings(ctx context.Context, teamID, userID string) (ReminderSettings, error)
	// SetReminderSettings stores them.
	SetReminderSettings(ctx context.Context, teamID, userID string, s ReminderSettings) error
	// SetAway records an absence, replacing the member's (or the team's)
	// previous one.
	SetAway(ctx context.Context, a Away) error
	// EndAway ends a member's (or with "" the team's) absence now.
	EndAway(ctx context.Context, teamID, userID string) error
	// Absences returns the team's absences that cover day.
	Absences(ctx context.Context, teamID string, day Day) (Absences, error)
}
