package bot

import "context"

// Envelope is a message waiting to be sent: to a channel or thread, or to a
// member in a direct message when ToUserID is set.
type Envelope struct {
	ToUserID string
	Message  Message
}

// Letter is a queued envelope. Its message's Key is fixed when it is queued,
// so that every attempt to post it carries the same key.
type Letter struct {
	ID       int64
	TeamID   string
	Attempts int
	Envelope
}

// Outbox keeps what Balise must post until Mattermost took it: messages are
// stored before they are sent, so that an outage or a restart loses none.
// Letters are queued by the HTTP face and the jobs, and sent by the
// delivery job; every method returns only wrapped database errors.
type Outbox interface {
	// Enqueue stores envelopes to send for a team.
	Enqueue(ctx context.Context, teamID string, envs ...Envelope) error
	// Pending returns up to limit letters due for sending, oldest first.
	Pending(ctx context.Context, limit int) ([]Letter, error)
	// Sent records that a letter was posted; it is not returned again.
	Sent(ctx context.Context, id int64, postID string) error
	// Failed records a failed attempt; the letter is retried later, with a
	// growing delay, and never dropped.
	Failed(ctx context.Context, id int64, reason string) error
}
