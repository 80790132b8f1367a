package bot

import (
	"context"
	"time"
)

// Envelope is a message waiting to be sent: to a channel or thread, or to a
// member in a direct message when ToUserID is set.
type Envelope struct {
	ToUserID string
	Message  Message
}

// Thread names the conversation an envelope goes to; letters of one thread
// are delivered in the order they were queued. A direct message's thread is
// its member's; a reply's is its channel and root post; root posts of a
// channel share the channel's thread.
func (e Envelope) Thread() string {
	if e.ToUserID != "" {
		return "dm:" + e.ToUserID
	}
	return "ch:" + e.Message.ChannelID + ":" + e.Message.RootID
}

// Letter is a queued envelope. Its message's Key is fixed when it is queued,
// so that every attempt to post it carries the same key.
type Letter struct {
	ID       int64
	TeamID   string
	QueuedAt time.Time
	// Attempts counts the failed attempts. After one, the letter's fate is
	// unknown: the post may have been created while the answer was lost.
	// Before sending it again, the deliverer looks for a post of the bot
	// carrying Message.Key created since QueuedAt.
	Attempts      int
	FirstFailedAt time.Time // zero before the first failure
	Envelope
}

// MayBePosted reports whether an earlier attempt may have posted the letter.
func (l Letter) MayBePosted() bool { return l.Attempts > 0 }

// Outbox keeps what Balise must post until Mattermost took it: messages are
// stored before they are sent, so that an outage or a restart loses none.
// Letters are queued by the HTTP face and the jobs, and sent by the
// delivery job; every method returns only wrapped database errors.
type Outbox interface {
	// Enqueue stores envelopes to send for a team. Changes that announce
	// something queue their envelopes through their own store method, in
	// the change's transaction; Enqueue is for what stands alone.
	Enqueue(ctx context.Context, teamID string, envs ...Envelope) error
	// Pending returns up to limit letters due for sending, oldest first,
	// and at most one per thread: the oldest not yet posted nor dead. A
	// letter waiting after a failure holds back the later ones of its
	// thread, so that a thread reads in order.
	Pending(ctx context.Context, limit int) ([]Letter, error)
	// Sent records that a letter was posted; it is not returned again.
	Sent(ctx context.Context, id int64, postID string) error
	// Failed records a failed attempt. A transient failure (network, 408,
	// 429, 5xx) is retried later, with a growing delay up to an hour, and
	// never dropped. A permanent one (400, 403, 404: archived channel,
	// deleted post, bot removed) makes the letter dead: it is kept for the
	// operator, never retried, and no longer holds back its thread. The
	// Mattermost adapter tells which is which.
	Failed(ctx context.Context, id int64, reason string, permanent bool) error
	// DeadLetters counts the letters that can never be posted, for the
	// operator (balise check, metrics).
	DeadLetters(ctx context.Context) (int, error)
}
