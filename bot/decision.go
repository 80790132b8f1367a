package bot

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind says how a decision is voted.
type Kind string

const (
	// Proposal is voted Agree, Abstain, Disagree or Block, as in Loomio.
	Proposal Kind = "proposal"
	// Poll is voted on the author's own options.
	Poll Kind = "poll"
)

// The stances of a proposal, in the order of its buttons.
const (
	Agree    = "agree"
	Abstain  = "abstain"
	Disagree = "disagree"
	Block    = "block"
)

// ProposalOptions are the choices of a proposal.
var ProposalOptions = []string{Agree, Abstain, Disagree, Block}

// Limits on what a decision may hold.
const (
	MaxTitle      = 200
	MaxDetails    = 3000
	MaxReason     = 1000
	MaxOutcome    = 3000
	MaxOption     = 60
	MinPollOption = 2
	MaxPollOption = 10
	MinDuration   = time.Minute
	MaxDuration   = 90 * 24 * time.Hour
	// MaxAskedReminders caps the reminders an author may ask for on one
	// decision, besides the gap between two.
	MaxAskedReminders = 3
)

// Decision is a proposal or a poll put to the members of a channel.
type Decision struct {
	ID        int64
	TeamID    string
	Number    int // short number within the team: #1, #2...
	ChannelID string
	PostID    string // the card, a root post by the bot; "" until posted
	PostKey   string // random, fixed at creation: posting the card again carries it, so there is one card
	AuthorID  string
	Lang      Lang           // the card's language: its author's
	Location  *time.Location // the card's time zone: its author's

	Title     string
	Details   string
	Kind      Kind
	Options   []string // ProposalOptions, or the poll's options
	Anonymous bool     // who chose what is never shown, and forgotten at the close
	Hidden    bool     // results hidden until the close
	Quorum    int      // percent of eligible voters who must take part, 0 for none
	// Voters are the eligible voters' user ids, fixed when the decision
	// opens: given to CreateDecision, not loaded back (Electorate counts
	// them, IsVoter checks one).
	Voters     []string
	Electorate int // how many may vote

	CreatedAt  time.Time
	ClosesAt   time.Time
	RemindedAt time.Time // zero until the reminder went out
	// AskedReminders counts the reminders the author asked for, at most
	// MaxAskedReminders.
	AskedReminders int
	ClosedAt       time.Time // zero while open
	Outcome        string
	Revision       int // grows with every stance: the card shows it when CardRevision catches up
}

// Draft is what a member asks for when opening a decision.
type Draft struct {
	Title     string
	Details   string
	Kind      Kind
	Options   []string
	Duration  time.Duration
	Anonymous bool
	Hidden    bool
	Quorum    int
}

// Validate checks a draft and returns an EINVALID error that says what to
// fix. Field names the dialog field at fault.
func (d *Draft) Validate() (field string, err error) {
	d.Title = strings.TrimSpace(d.Title)
	d.Details = strings.TrimSpace(d.Details)
	switch {
	case d.Title == "":
		return "title", Errorf(EINVALID, "decide.error.title_empty")
	case !utf8.ValidString(d.Title) || !utf8.ValidString(d.Details) || !validTexts(d.Options):
		return "title", Errorf(EINVALID, "decide.error.text_invalid")
	case strings.ContainsAny(d.Title, "\r\n"):
		return "title", Errorf(EINVALID, "decide.error.title_line")
	case utf8.RuneCountInString(d.Title) > MaxTitle:
		return "title", Errorf(EINVALID, "decide.error.title_long", "max", MaxTitle)
	case WholeChannelMention(d.Title) || WholeChannelMention(d.Details):
		return "title", Errorf(EINVALID, "decide.error.mention")
	case utf8.RuneCountInString(d.Details) > MaxDetails:
		return "details", Errorf(EINVALID, "decide.error.details_long", "max", MaxDetails)
	case d.Duration < MinDuration:
		return "closes", Errorf(EINVALID, "decide.error.closes_soon")
	case d.Duration > MaxDuration:
		return "closes", Errorf(EINVALID, "decide.error.closes_far")
	case d.Quorum < 0 || d.Quorum > 100:
		return "quorum", Errorf(EINVALID, "decide.error.quorum")
	}
	if d.Kind == "" {
		d.Kind = Proposal
		if len(d.Options) > 0 {
			d.Kind = Poll
		}
	}
	if d.Kind == Proposal {
		if len(d.Options) > 0 {
			return "options", Errorf(EINVALID, "decide.error.options_on_proposal")
		}
		d.Options = ProposalOptions
		return "", nil
	}
	var opts []string
	seen := map[string]bool{}
	for _, o := range d.Options {
		o = strings.TrimSpace(o)
		switch {
		case o == "":
			continue
		case utf8.RuneCountInString(o) > MaxOption:
			return "options", Errorf(EINVALID, "decide.error.option_long", "max", MaxOption)
		case WholeChannelMention(o):
			return "options", Errorf(EINVALID, "decide.error.mention")
		case seen[strings.ToLower(o)]:
			return "options", Errorf(EINVALID, "decide.error.option_twice", "option", o)
		}
		seen[strings.ToLower(o)] = true
		opts = append(opts, o)
	}
	if len(opts) < MinPollOption || len(opts) > MaxPollOption {
		return "options", Errorf(EINVALID, "decide.error.options_count", "min", MinPollOption, "max", MaxPollOption)
	}
	d.Options = opts
	return "", nil
}

// validTexts reports whether every text is valid UTF-8.
func validTexts(texts []string) bool {
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return false
		}
	}
	return true
}

// WholeChannelMention reports whether s would notify a whole channel.
func WholeChannelMention(s string) bool {
	l := strings.ToLower(s)
	for _, m := range []string{"@channel", "@here", "@all"} {
		for from := 0; ; {
			i := strings.Index(l[from:], m)
			if i < 0 {
				break
			}
			// Mattermost drops trailing dots, dashes and underscores: "@here." notifies.
			j := from + i + len(m)
			for j < len(l) && strings.IndexByte("._-", l[j]) >= 0 {
				j++
			}
			if j == len(l) || !isAlnum(l[j]) {
				return true
			}
			from += i + 1
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// Quiet neutralises mentions of a whole channel in what a member wrote, so
// that Balise never notifies everyone on their behalf.
func Quiet(s string) string {
	if !WholeChannelMention(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '@' && WholeChannelMention(s[i:min(len(s), i+9)]) {
			b.WriteString("\u200b")
		}
	}
	return b.String()
}

// Open reports whether the decision still takes votes.
func (d *Decision) Open() bool { return d.ClosedAt.IsZero() }

// RemindAt is when the undecided get a reminder: 24 hours before the close,
// or half-way for decisions shorter than two days.
func (d *Decision) RemindAt() time.Time {
	span := d.ClosesAt.Sub(d.CreatedAt)
	if span < 48*time.Hour {
		return d.CreatedAt.Add(span / 2)
	}
	return d.ClosesAt.Add(-24 * time.Hour)
}

// Tally is the count of current stances.
type Tally struct {
	Counts []int // per option, in the order of Decision.Options
	Voted  int   // members who took a stance
}

// QuorumNeeded is how many voters the quorum asks for.
func (d *Decision) QuorumNeeded() int {
	return (d.Electorate*d.Quorum + 99) / 100
}

// Missing is how many more votes the quorum needs, 0 when it is met.
func (d *Decision) Missing(t Tally) int {
	return max(0, d.QuorumNeeded()-t.Voted)
}

// Blocks is how many members blocked a proposal.
func (d *Decision) Blocks(t Tally) int {
	if d.Kind != Proposal || len(t.Counts) != len(ProposalOptions) {
		return 0
	}
	return t.Counts[3]
}

// Stance is a member's current choice on a decision.
type Stance struct {
	Choice int
	Reason string
}

// DecisionFilter selects decisions of a team for lists and the register.
// Either Channels or AnyChannel must be set: a list shows what the member may
// see, so the face checks their membership of each channel DecisionChannels
// returns, then asks for those channels, and the limit counts only what the
// member may see.
type DecisionFilter struct {
	Open bool // only open ones; else only closed ones
	// Search holds words that must all appear in title, details or
	// outcome, as words or beginnings of words; case and accents are
	// ignored in any script.
	Search     string
	Channels   []string // only decisions of these channels
	AnyChannel bool     // decisions of every channel (the terminal)
	Limit      int      // 20 when 0
}

// StanceNews is what a stance announces. The store queues it in the
// stance's own transaction, so that the stance and its news are kept or
// lost together.
type StanceNews struct {
	// Posts are queued whenever the stance is stored: a reason posted in
	// the decision's thread.
	Posts []Envelope
	// BlockNotice, set by the caller when the stance is a block, tells the
	// author. It is queued only the first time this voter blocks this
	// decision: toggling Block and Agree sends one notice. For anonymous
	// decisions the voters told are remembered by their hidden key, and
	// forgotten at the close.
	BlockNotice *Envelope
}

// StanceTaken is what TakeStance did.
type StanceTaken struct {
	Changed  bool // the stance is new or its choice changed
	Revision int  // the decision's revision after this stance
	Notified bool // the block notice was queued
}

// Decisions keeps the team's decisions, stances and their history. It is
// called by the HTTP face (commands, clicks, dialogs) and by the scheduled
// jobs. Decisions are looked up by team and number, or by the id a signed
// button or dialog carries: a team never sees another's decisions. Methods
// return ENOTFOUND for a decision unknown (in the team), the errors named
// below, and wrapped errors for failures of the database.
type Decisions interface {
	// CreateDecision stores a new decision and gives it its number, id and
	// PostKey, the key the card is posted with. Called when a member opens
	// a decision, before the card is posted.
	CreateDecision(ctx context.Context, d *Decision) error
	// DeleteDecision removes a decision whose card could not be posted;
	// called right after CreateDecision.
	DeleteDecision(ctx context.Context, id int64) error
	// SetDecisionPost records the card's post id once it is posted.
	SetDecisionPost(ctx context.Context, id int64, postID string) error
	// Unposted returns the decisions whose card has no post id yet (a crash
	// between storing and posting), oldest first; called on start to post
	// their cards with their PostKey. A decision being opened at that very
	// moment is among them: call it before serving.
	Unposted(ctx context.Context) ([]*Decision, error)
	// IsVoter reports whether a member may vote on a decision; called
	// before opening the reason form.
	IsVoter(ctx context.Context, id int64, userID string) (bool, error)
	// Decision returns a team's decision by number (/decide show, close,
	// outcome).
	Decision(ctx context.Context, teamID string, number int) (*Decision, error)
	// DecisionByID returns a decision by id, for buttons and dialogs.
	DecisionByID(ctx context.Context, id int64) (*Decision, error)
	// ListDecisions returns the team's decisions matching f, newest first
	// (/decide list, log, export); the limit applies after every filter.
	// An internal error when f names neither Channels nor AnyChannel.
	ListDecisions(ctx context.Context, teamID string, f DecisionFilter) ([]*Decision, error)
	// DecisionChannels returns the channels where the team has posted
	// decisions, so that the face checks a member's membership once per
	// channel before ListDecisions.
	DecisionChannels(ctx context.Context, teamID string) ([]string, error)
	// Tally counts the current stances, for cards, lists and exports.
	Tally(ctx context.Context, id int64) (Tally, error)
	// TakeStance records a member's stance (and keeps the change with its
	// time) and queues its news in the same transaction; called on a vote
	// click or a reason. It checks what the caller may have checked on a
	// decision it loaded, from the database in the same transaction:
	// ECONFLICT "decide.error.closed" when the decision is closed or its
	// closing time has passed, EFORBIDDEN "decide.error.not_eligible" when
	// the member may not vote, EINVALID "decide.error.not_found" for a
	// choice out of range. It returns what it did, with the new tally so
	// that the card can be redrawn without loading the decision again.
	TakeStance(ctx context.Context, id int64, userID string, s Stance, news StanceNews) (StanceTaken, error)
	// StanceOf returns a member's current stance, false when none; called
	// to prefill the reason dialog. After an anonymous decision's close it
	// always returns false.
	StanceOf(ctx context.Context, id int64, userID string) (Stance, bool, error)
	// Undecided returns the eligible voters without a stance, in one
	// query, anonymous decisions included; called to build reminders.
	Undecided(ctx context.Context, id int64) ([]string, error)
	// Close closes the decision, forgets who chose what if it is
	// anonymous, and queues what announce returns for the final tally, in
	// one transaction. It returns false when it was already closed: closing
	// happens once. Called by the closing job and by "Close now".
	CloseDecision(ctx context.Context, id int64, announce func(*Decision, Tally) []Envelope) (bool, error)
	// SetOutcome records the outcome statement of a closed decision
	// (outcome dialog or /decide outcome) and queues envs (the outcome
	// posted in the thread) in the same transaction; ECONFLICT
	// "decide.error.still_open" while it is open.
	SetOutcome(ctx context.Context, id int64, outcome string, envs ...Envelope) error
	// Due returns the open decisions whose closing time has passed; called
	// by the closing job.
	Due(ctx context.Context, now time.Time) ([]*Decision, error)
	// ClaimReminder marks the decision reminded and queues the reminders
	// in one transaction, and returns false when it was already: the
	// reminder goes out once.
	ClaimReminder(ctx context.Context, id int64, reminders []Envelope) (bool, error)
	// ClaimAskedReminder queues the reminders the author asked for, unless
	// they asked less than gap ago (a double click): it returns false then.
	// ECONFLICT "decide.error.reminders_used" (argument max) once
	// MaxAskedReminders were sent, ECONFLICT "decide.error.closed" once the
	// decision is closed or its closing time has passed, even before the
	// closing job ran. Called by the "Remind the undecided" button.
	ClaimAskedReminder(ctx context.Context, id int64, reminders []Envelope, gap time.Duration) (bool, error)
	// ReminderDue returns the open decisions whose reminder is due and
	// whose closing time has not passed; called by the reminder job.
	ReminderDue(ctx context.Context, now time.Time) ([]*Decision, error)
	// StaleCards returns the decisions whose card shows an older revision;
	// called by the job that re-renders cards.
	StaleCards(ctx context.Context) ([]*Decision, error)
	// CardShown records that the card shows revision; called after a card
	// update succeeded.
	CardShown(ctx context.Context, id int64, revision int) error
}
