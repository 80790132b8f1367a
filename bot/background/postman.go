package background

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
)

// Sender posts as the bot: the part of bot.Messenger the postman uses.
type Sender interface {
	Post(ctx context.Context, m bot.Message) (string, error)
	DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error)
	DirectChannel(ctx context.Context, userID string) (string, error)
	FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (string, bool, error)
}

// Postman delivers the outbox: the letters that the capabilities queued in
// the same transaction as the change they announce. Kick delivers soon; the
// delivery job delivers what is due at every tick.
type Postman struct {
	outbox bot.Outbox
	chat   Sender
	soon   *Refresher
	mu     sync.Mutex // one delivery at a time
}

// NewPostman returns a postman delivering outbox through chat.
func NewPostman(work *Work, outbox bot.Outbox, chat Sender) *Postman {
	p := &Postman{outbox: outbox, chat: chat}
	p.soon = NewRefresher(work, func(ctx context.Context, _ int64) error { return p.Deliver(ctx) })
	return p
}

// Kick delivers what is queued now rather than at the next tick. Kicks
// while a delivery runs cause one more delivery, never a goroutine each.
func (p *Postman) Kick() { p.soon.Refresh(0) }

// Job is the delivery job, run every tick.
func (p *Postman) Job(every time.Duration) bot.Job {
	return bot.Job{Name: "deliver-outbox", Every: every, Run: p.Deliver}
}

// Deliver posts the letters that are due, oldest first, one thread's in
// order. A letter that fails transiently waits for a later attempt (the
// store spaces them out) and holds back its thread only; one that can never
// be posted (archived channel, deleted thread, bot removed) becomes a dead
// letter, logged once and counted for the operator.
func (p *Postman) Deliver(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	for {
		letters, err := p.outbox.Pending(ctx, 50)
		if err != nil || len(letters) == 0 {
			return err
		}
		var failure error
		for _, l := range letters {
			postID, err := p.send(ctx, l)
			if err != nil {
				permanent := bot.IsPermanent(err)
				if permanent {
					zerolog.Ctx(ctx).Error().Err(err).Int64("letter", l.ID).Str("team_id", l.TeamID).
						Msg("a letter can never be posted: kept as a dead letter")
				} else {
					failure = err
				}
				if err := p.outbox.Failed(ctx, l.ID, err.Error(), permanent); err != nil {
					return err
				}
				continue
			}
			if err := p.outbox.Sent(ctx, l.ID, postID); err != nil {
				return err
			}
		}
		if failure != nil {
			zerolog.Ctx(ctx).Warn().Err(failure).Msg("a letter could not be delivered; it waits for a later attempt")
			return failure
		}
	}
}

// send posts a letter once. After a failed attempt, the post may exist
// (created, but the answer lost): it is looked for by its key first, since
// Mattermost forgets pending post ids after 30 seconds.
func (p *Postman) send(ctx context.Context, l bot.Letter) (string, error) {
	if l.MayBePosted() {
		channel := l.Message.ChannelID
		if l.ToUserID != "" {
			var err error
			if channel, err = p.chat.DirectChannel(ctx, l.ToUserID); err != nil {
				return "", err
			}
		}
		if id, found, err := p.chat.FindPostByKey(ctx, channel, l.QueuedAt, l.Message.Key); err != nil {
			return "", err
		} else if found {
			return id, nil
		}
	}
	if l.ToUserID != "" {
		return p.chat.DirectMessage(ctx, l.ToUserID, l.Message)
	}
	return p.chat.Post(ctx, l.Message)
}
