package bot

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Campaign is one dated diagnostic of a team (V1, V2...), answered by
// several members, each with a role: a cross-diagnostic. A team has at
// most one open campaign.
//
// Anonymity: reports and exports show only aggregates, never who answered
// what. A role's figures are shown apart only when at least MinGroup
// members of that role answered; smaller roles are merged into "others",
// and no role breakdown ever shows one person's figures (see Groups). Free texts of the
// inventory are shown without names and in alphabetical order. Names
// appear only in the answering status, to the opener and team admins.
type Campaign struct {
	ID        int64
	TeamID    string
	Number    int // V1, V2... within the team
	Name      string
	ChannelID string // where it was opened; the report is posted there
	OpenerID  string
	Lang      Lang
	Version   int      // the questionnaire version it uses
	MinGroup  int      // the anonymity threshold: DefaultMinGroup, or 2
	Invited   []string // members invited by direct message
	CreatedAt time.Time
	ClosesAt  time.Time
	ClosedAt  time.Time // zero while open
	Reminders int       // reminders sent so far
}

// Limits and defaults of campaigns.
const (
	MaxCampaignName      = 100
	DefaultCampaignSpan  = 14 * 24 * time.Hour
	MinCampaignSpan      = time.Hour
	MaxCampaignSpan      = 90 * 24 * time.Hour
	DefaultMinGroup      = 3
	LowestMinGroup       = 2
	MaxCampaignReminders = 2
	MaxInventoryText     = 500
	MaxToolsPerSheet     = 40
)

// Label is the campaign's short name: "V2".
func (c *Campaign) Label() string { return fmt.Sprintf("V%d", c.Number) }

// Open reports whether the campaign still takes answers at now.
func (c *Campaign) Open(now time.Time) bool { return c.ClosedAt.IsZero() && now.Before(c.ClosesAt) }

// IsInvited reports whether a member was invited.
func (c *Campaign) IsInvited(userID string) bool { return slices.Contains(c.Invited, userID) }

// CampaignDraft is what a member asks for with /diag start.
type CampaignDraft struct {
	Name     string
	Invited  []string
	Duration time.Duration // 0 for DefaultCampaignSpan
	MinGroup int           // 0 for DefaultMinGroup
}

// Validate fills defaults and returns an EINVALID error saying what to fix,
// with the flag at fault.
func (d *CampaignDraft) Validate() (field string, err error) {
	d.Name = strings.TrimSpace(d.Name)
	d.Invited = trimList(d.Invited)
	slices.Sort(d.Invited)
	if d.Duration == 0 {
		d.Duration = DefaultCampaignSpan
	}
	if d.MinGroup == 0 {
		d.MinGroup = DefaultMinGroup
	}
	switch {
	case utf8.RuneCountInString(d.Name) > MaxCampaignName:
		return "name", Errorf(EINVALID, "diag.error.name_long", "max", MaxCampaignName)
	case WholeChannelMention(d.Name):
		return "name", Errorf(EINVALID, "decide.error.mention")
	case d.Duration < MinCampaignSpan:
		return "closes", Errorf(EINVALID, "diag.error.closes_soon")
	case d.Duration > MaxCampaignSpan:
		return "closes", Errorf(EINVALID, "diag.error.closes_far")
	case d.MinGroup < LowestMinGroup:
		return "min-group", Errorf(EINVALID, "diag.error.min_group", "min", LowestMinGroup)
	case len(d.Invited) == 0:
		return "respondents", Errorf(EINVALID, "diag.error.no_respondents")
	}
	return "", nil
}

// Role is what a respondent is in the association; asked first.
type Role string

const (
	Board     Role = "board"
	Staff     Role = "staff"
	Volunteer Role = "volunteer"
	Referent  Role = "referent"
)

// Roles are the respondents' roles, in the order of their buttons.
var Roles = []Role{Board, Staff, Volunteer, Referent}

// Targets are the answers to "where should we be in 12 months?", per
// dimension: a score a button names (diag.target.<score>).
var Targets = []int{25, 50, 75, 100}

// TargetDontKnow records a respondent who has no target for a dimension;
// it counts in their progress, not in the figures.
const TargetDontKnow = -1

// CheckTarget returns an EINVALID error for a target no button offers.
func CheckTarget(q *Questionnaire, dimension string, target int) error {
	if q.Dimension(dimension) == nil {
		return Errorf(EINVALID, "diag.error.question_unknown")
	}
	if target != TargetDontKnow && !slices.Contains(Targets, target) {
		return Errorf(EINVALID, "diag.error.option_unknown")
	}
	return nil
}

// Sheet is one respondent's answers to a campaign.
type Sheet struct {
	UserID    string
	Role      Role              // "" until asked
	Answers   map[string]string // question id → option id, DontKnow or NotConcerned
	Targets   map[string]int    // dimension id → target, or TargetDontKnow
	Tools     []ToolUse
	UpdatedAt time.Time
}

// TurnKind says what the respondent is asked next.
type TurnKind int

const (
	TurnRole     TurnKind = iota // their role
	TurnQuestion                 // a question
	TurnTarget                   // a dimension's target, after its questions
	TurnTools                    // everything answered: the optional inventory
)

// Turn is what to ask next, with the progress mark: "Done/Total".
type Turn struct {
	Kind      TurnKind
	Question  *Question
	Dimension *DimensionInfo
	Done      int
	Total     int
}

// NextTurn is where a respondent resumes: the role first, then dimension
// by dimension its questions and its target, then the inventory. A
// questionnaire's questions are asked in the order of its dimensions.
func NextTurn(q *Questionnaire, s *Sheet) Turn {
	done, total := Progress(q, s)
	st := Turn{Kind: TurnTools, Done: done, Total: total}
	if s.Role == "" {
		st.Kind = TurnRole
		return st
	}
	for i := range q.Dimensions {
		d := &q.Dimensions[i]
		for j := range q.Questions {
			qu := &q.Questions[j]
			if _, ok := s.Answers[qu.ID]; !ok && qu.Dimension == d.ID {
				st.Kind, st.Question, st.Dimension = TurnQuestion, qu, d
				return st
			}
		}
		if _, ok := s.Targets[d.ID]; !ok {
			st.Kind, st.Dimension = TurnTarget, d
			return st
		}
	}
	return st
}

// Progress counts the questions and targets answered, out of all. Answers
// to questions of another version do not count.
func Progress(q *Questionnaire, s *Sheet) (done, total int) {
	for _, qu := range q.Questions {
		if _, ok := s.Answers[qu.ID]; ok {
			done++
		}
	}
	for _, d := range q.Dimensions {
		if _, ok := s.Targets[d.ID]; ok {
			done++
		}
	}
	return done, len(q.Questions) + len(q.Dimensions)
}

// Attendance is who finished, who stopped half-way and who has not
// started, for /diag status and reminders. Respondents who were not
// invited but answered count too.
type Attendance struct {
	Finished, HalfWay, NotStarted []string
}

// Attend sorts the invited and the respondents by their progress.
func Attend(q *Questionnaire, c *Campaign, sheets []*Sheet) Attendance {
	var a Attendance
	seen := map[string]bool{}
	for _, s := range sheets {
		seen[s.UserID] = true
		switch done, total := Progress(q, s); {
		case done == total:
			a.Finished = append(a.Finished, s.UserID)
		case done > 0 || s.Role != "":
			a.HalfWay = append(a.HalfWay, s.UserID)
		default:
			a.NotStarted = append(a.NotStarted, s.UserID)
		}
	}
	for _, u := range c.Invited {
		if !seen[u] {
			a.NotStarted = append(a.NotStarted, u)
		}
	}
	return a
}

// Future is what a respondent sees ahead for a tool.
type Future string

const (
	Keep         Future = "keep"
	Change       Future = "change"
	Drop         Future = "drop"
	FutureUnsure Future = "dontknow"
)

// Futures are the answers to "what future for this tool?".
var Futures = []Future{Keep, Change, Drop, FutureUnsure}

// Frequency is how often a respondent uses a tool.
type Frequency string

// Frequencies are the answers to "how often do you use it?".
var Frequencies = []Frequency{"daily", "weekly", "monthly", "rarely"}

// ToolUse is an entry of a respondent's tool inventory: a catalogue tool
// or one typed freely, and optionally what need brought it, how it works
// here, its limits, its future and how often they use it.
type ToolUse struct {
	ToolID    string // catalogue id, "" for a tool typed freely
	Name      string // the catalogue's name, or as typed
	Category  string // a catalogue category: the need it serves
	Need      string
	How       string
	Limits    string
	Future    Future    // "" when not answered
	Frequency Frequency // "" when not answered
}

// Key identifies a tool within a sheet: the catalogue id, or the typed name
// folded ("name:framadate"), so that a tool listed twice is one entry.
func (u ToolUse) Key() string {
	if u.ToolID != "" {
		return u.ToolID
	}
	return "name:" + strings.ToLower(strings.Join(strings.Fields(u.Name), " "))
}

// Validate trims the entry and returns an EINVALID error, with the dialog
// field at fault.
func (u *ToolUse) Validate() (field string, err error) {
	for _, s := range []*string{&u.ToolID, &u.Name, &u.Category, &u.Need, &u.How, &u.Limits} {
		*s = strings.TrimSpace(*s)
	}
	switch {
	case u.Name == "" || utf8.RuneCountInString(u.Name) > MaxToolName:
		return "name", Errorf(EINVALID, "tool.error.name", "max", MaxToolName)
	case u.Category != "" && !slices.Contains(ToolCategories, u.Category):
		return "category", Errorf(EINVALID, "diag.error.category")
	case u.Future != "" && !slices.Contains(Futures, u.Future):
		return "future", Errorf(EINVALID, "diag.error.option_unknown")
	case u.Frequency != "" && !slices.Contains(Frequencies, u.Frequency):
		return "frequency", Errorf(EINVALID, "diag.error.option_unknown")
	}
	for _, f := range []struct{ name, text string }{{"need", u.Need}, {"how", u.How}, {"limits", u.Limits}} {
		if utf8.RuneCountInString(f.text) > MaxInventoryText {
			return f.name, Errorf(EINVALID, "diag.error.text_long", "max", MaxInventoryText)
		}
		if WholeChannelMention(f.text) {
			return f.name, Errorf(EINVALID, "decide.error.mention")
		}
	}
	return "", nil
}
