package bot

import (
	"context"
	"strings"
	"time"
)

// A member's own data (GDPR): what Balise holds about them in a team, and
// forgetting them there.

// ForgottenPrefix begins every id that stands, after an erasure, in place
// of a forgotten member's user id: as a decision's author, a campaign's
// opener, a voter or a respondent. Each is random (one per decision or
// campaign), so that nothing links them together. Nothing is ever sent to
// such an id.
const ForgottenPrefix = "forgotten-"

// IsForgotten reports whether id stands for a forgotten member.
func IsForgotten(id string) bool { return strings.HasPrefix(id, ForgottenPrefix) }

// PersonalData is everything Balise holds about one member in one team.
type PersonalData struct {
	TeamID, UserID string
	// Lang is the language they chose with /balise lang, "" if none.
	Lang Lang
	// Authored are the decisions they opened.
	Authored []DecisionRef
	// Stances are their stances in decisions that are not anonymous.
	Stances []StanceRecord
	// AnonymousStances counts their stances in anonymous decisions still
	// open (after the close nothing links them to them any more).
	AnonymousStances int
	// Electorates counts the decisions whose voters they were listed among.
	Electorates int
	// Feedback is what they said of tools.
	Feedback []FeedbackRecord
	// Sheets are their diagnostic answers, one per campaign.
	Sheets []SheetRecord
	// CampaignsOpened counts the diagnostic campaigns they opened, and
	// Invitations those they were invited to.
	CampaignsOpened, Invitations int
	// Letters counts the messages waiting to be sent to them.
	Letters int
}

// Empty reports whether Balise holds nothing about the member.
func (p *PersonalData) Empty() bool {
	return p.Lang == "" && len(p.Authored) == 0 && len(p.Stances) == 0 && p.AnonymousStances == 0 &&
		p.Electorates == 0 && len(p.Feedback) == 0 && len(p.Sheets) == 0 && p.CampaignsOpened == 0 &&
		p.Invitations == 0 && p.Letters == 0
}

// DecisionRef names a decision.
type DecisionRef struct {
	Number    int
	Title     string
	CreatedAt time.Time
	Open      bool
}

// StanceRecord is a member's stance in a decision that is not anonymous.
type StanceRecord struct {
	Decision DecisionRef
	Kind     Kind
	Option   string // the option chosen: a ProposalOptions value or a poll's option
	Reason   string
	At       time.Time
	Changes  int // how many times they chose (the history keeps each)
}

// FeedbackRecord is what a member said of a tool.
type FeedbackRecord struct {
	ToolID string
	Text   string
	At     time.Time
}

// SheetRecord is a member's answers in one diagnostic campaign.
type SheetRecord struct {
	Campaign int // its number: V1, V2...
	Name     string
	Role     Role
	Answers  map[string]string // question id: option id
	Targets  map[string]int    // dimension: target, -1 for "don't know"
	Tools    []string          // the tools they listed, by name
}

// Forgotten counts what forgetting a member changed.
type Forgotten struct {
	Stances     int // stances kept under a random voter key, their reasons emptied
	Electorates int // places among a decision's voters given a random key
	Authored    int // decisions whose author is now a placeholder
	Feedback    int // feedback deleted
	Sheets      int // diagnostic sheets kept under a random respondent
	Campaigns   int // campaigns whose opener is now a placeholder
	Invitations int // invitations given a random key
	Letters     int // letters to them deleted
	Mentions    int // letters to others whose text named their id, rewritten
	Preferences int // language choices deleted
}

// PersonalStore reads and forgets a member's data.
type PersonalStore interface {
	// PersonalData returns what is held about a member in a team; only
	// wrapped database errors.
	PersonalData(ctx context.Context, teamID, userID string) (*PersonalData, error)
	// Forget erases or anonymises everything held about a member in a
	// team, in one transaction, keeping every count and result as it was,
	// and then wipes the database's WAL: after it their user id is in no
	// file of the database. Only wrapped database errors.
	Forget(ctx context.Context, teamID, userID string) (*Forgotten, error)
}
