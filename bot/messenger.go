package bot

import (
	"context"
	"time"
)

// Message is what Balise posts in a channel or a thread.
type Message struct {
	ChannelID string
	RootID    string // the thread to reply in, "" for a root post
	Text      string
	// Card is an optional attachment with a title, text and buttons.
	Card *Card
	// More are further attachments below Card (a follow-up about several
	// steps, each with its buttons). Button ids must differ across them.
	More []*Card `json:",omitempty"`
	// Key makes posting idempotent: Balise stores it with what it sends and
	// retries with the same key, so that Mattermost does not post twice.
	Key string
}

// Card is a message attachment.
type Card struct {
	Title   string
	Text    string
	Color   string
	Buttons []Button
}

// Button is a clickable action. Context is signed by the HTTP face before
// it reaches the messenger, and comes back with the click.
type Button struct {
	ID      string // [A-Za-z0-9]+
	Label   string
	Style   string // "default", "primary", "danger", "good"
	Context map[string]any
}

// Messenger talks to the chat as the bot. It is called by the HTTP face and
// by the scheduled jobs. Every method returns an internal error when
// Mattermost cannot be reached after retries or refuses the call; when
// trying again cannot help (archived channel, deleted post, the bot no
// longer a member, a request the chat refuses), that error wraps
// ErrPermanent (see IsPermanent).
type Messenger interface {
	// Post creates a post and returns its id.
	Post(ctx context.Context, m Message) (string, error)
	// Update replaces the text and card of a post the bot made.
	Update(ctx context.Context, postID string, m Message) error
	// FindPostByKey looks among the bot's posts in a channel since a time
	// for the one made from a Message with this Key, and returns its id.
	// Called by whoever delivers a message whose first try's outcome is
	// unknown (a timeout), before sending it again: the chat forgets its own
	// deduplication after 30 seconds. For a direct message the channel is
	// the direct channel (DirectChannel). found is false, with a nil error,
	// when no such post exists (or it was deleted); err as for every method.
	FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (postID string, found bool, err error)
	// DirectMessage posts m to the member in their direct channel with the
	// bot and returns the post id. m.ChannelID is ignored.
	DirectMessage(ctx context.Context, userID string, m Message) (string, error)
	// DirectChannel returns the id of the direct channel between the bot
	// and a member, creating it if needed.
	DirectChannel(ctx context.Context, userID string) (string, error)
	// Upload attaches files to a new post in m.ChannelID and returns the post id.
	Upload(ctx context.Context, m Message, files []File) (string, error)
	// Member returns a member's profile (locale, time zone); cached.
	Member(ctx context.Context, userID string) (Member, error)
	// JoinChannel makes the bot a member of a channel so that it can post
	// there; ECONFLICT when the channel is private and the bot cannot join.
	JoinChannel(ctx context.Context, channelID string) error
	// OpenDialog opens a dialog for the member who clicked or typed; the
	// trigger id expires 3 seconds after Mattermost issued it.
	OpenDialog(ctx context.Context, triggerID, dialogURL string, d Dialog) error
	// IsChannelMember reports whether a member belongs to a channel the bot
	// is in. Called before showing what was decided there.
	IsChannelMember(ctx context.Context, channelID, userID string) (bool, error)
	// ChannelMembers returns the ids of the people (not bots) in a channel.
	ChannelMembers(ctx context.Context, channelID string) ([]string, error)
	// IsTeamAdmin reports whether a member administers the team or the
	// whole server. Called before anyone closes another's decision.
	IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error)
	// IsActiveTeamMember reports whether a member still belongs to a team
	// and their account is active: false when they left the team, were
	// removed from it or deactivated. Called daily by the plans, which hand
	// the steps of those who left to others.
	IsActiveTeamMember(ctx context.Context, teamID, userID string) (bool, error)
	// IsSystemAdmin reports whether a member administers the server.
	// Called before anyone edits the tool catalogue, which teams share.
	IsSystemAdmin(ctx context.Context, userID string) (bool, error)
}

// File is a file attached to a post.
type File struct {
	Name string
	Data []byte
}
