package bot

import (
	"context"
	"time"
)

// Member is a person of a team as Mattermost describes them.
type Member struct {
	ID       string
	Username string
	Locale   string         // Mattermost locale, may be empty
	Location *time.Location // preferred time zone; the default zone (BALISE_DEFAULT_TZ) when they set none
}

// Request says who acts, where: ids as Mattermost sent them, never as a
// user typed them.
type Request struct {
	TeamID    string
	ChannelID string
	UserID    string
	TriggerID string
}

// Preferences keeps what members choose in Balise.
type Preferences interface {
	// Lang returns the language the member chose with /balise lang, or ""
	// when they never chose. Called by every handler, to speak to the
	// member; returns only wrapped database errors.
	Lang(ctx context.Context, teamID, userID string) (Lang, error)
	// SetLang records the member's choice; "" forgets it. Called by
	// /balise lang and its buttons; returns only wrapped database errors.
	SetLang(ctx context.Context, teamID, userID string, l Lang) error
}
