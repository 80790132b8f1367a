package bot

import (
	"context"
	"time"
)

// Diagnostics keeps the team's campaigns and their respondents' sheets. It
// is called by the HTTP face (/diag, its buttons and dialogs) and by the
// scheduled jobs (closing, reminders). A campaign is looked up by team and
// number, or by the id a signed button carries: a team never sees another's
// campaigns. Every answer is stored, in its own transaction, before the
// member is told it was saved. Methods return ENOTFOUND
// ("diag.error.not_found") for a campaign unknown in the team, the errors
// named below, and wrapped errors for failures of the database.
type Diagnostics interface {
	// OpenCampaign stores a new campaign and gives it its id and number
	// (V1, V2...). ECONFLICT "diag.error.already_open" when the team has
	// an open campaign. Called by /diag start.
	OpenCampaign(ctx context.Context, c *Campaign) error
	// CancelCampaign deletes an open campaign opened by mistake, with its
	// answers; ECONFLICT "diag.error.closed" once closed. Called by
	// /diag cancel, after the caller's right was checked.
	CancelCampaign(ctx context.Context, id int64) error
	// Campaign returns a team's campaign by number, or its latest when
	// number is 0 (/diag report, show, compare, export).
	Campaign(ctx context.Context, teamID string, number int) (*Campaign, error)
	// CampaignByID returns a campaign by id, for buttons and dialogs.
	CampaignByID(ctx context.Context, id int64) (*Campaign, error)
	// OpenCampaignOf returns the team's open campaign, ENOTFOUND
	// "diag.error.none_open" when there is none (/diag, status, remind).
	OpenCampaignOf(ctx context.Context, teamID string) (*Campaign, error)
	// SetRole records a respondent's role, creating their sheet: the first
	// answer of anyone who answers. ECONFLICT "diag.error.closed" when
	// the campaign is closed or its closing time has passed.
	SetRole(ctx context.Context, campaignID int64, userID string, r Role) error
	// Answer records (or replaces) an answer to a question, already checked
	// against the questionnaire (Questionnaire.CheckAnswer), and returns
	// whether it changed anything: a double tap changes nothing. ECONFLICT
	// "diag.error.closed" as SetRole, ECONFLICT "diag.error.role_first"
	// before the role.
	Answer(ctx context.Context, campaignID int64, userID, questionID, option string) (changed bool, err error)
	// SetTarget records (or replaces) a respondent's target for a
	// dimension, checked with CheckTarget; errors and result as Answer.
	SetTarget(ctx context.Context, campaignID int64, userID, dimension string, target int) (changed bool, err error)
	// SaveToolUse adds a tool to a respondent's inventory, or replaces the
	// entry with the same Key; validated beforehand. Errors as Answer, and
	// EINVALID "diag.error.too_many_tools" past MaxToolsPerSheet.
	SaveToolUse(ctx context.Context, campaignID int64, userID string, u ToolUse) error
	// RemoveToolUse removes the entry with that key from a respondent's
	// inventory; nothing happens when there is none. Errors as Answer.
	RemoveToolUse(ctx context.Context, campaignID int64, userID, key string) error
	// Sheet returns a respondent's sheet, empty (no role) when they have
	// not started: called to resume and for /diag review.
	Sheet(ctx context.Context, campaignID int64, userID string) (*Sheet, error)
	// Sheets returns every respondent's sheet, for status, reports and
	// exports. Callers show them only through Score and Inventory.
	Sheets(ctx context.Context, campaignID int64) ([]*Sheet, error)
	// CloseCampaign closes the campaign and queues what announce returns,
	// in one transaction; false when it was already closed. Called by the
	// closing job and /diag close.
	CloseCampaign(ctx context.Context, id int64, announce func(*Campaign) []Envelope) (bool, error)
	// DueCampaigns returns the open campaigns whose closing time has
	// passed; called by the closing job.
	DueCampaigns(ctx context.Context, now time.Time) ([]*Campaign, error)
	// ClaimCampaignReminder counts a reminder and queues its messages in
	// one transaction; false when MaxCampaignReminders were already sent,
	// whoever asked. Called by /diag remind.
	ClaimCampaignReminder(ctx context.Context, id int64, reminders []Envelope) (bool, error)
}
