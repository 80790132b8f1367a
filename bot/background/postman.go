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

// Deliver posts the letters that are due, oldest first. A letter that fails
// waits for a later attempt (the store spaces them out) without holding up
// other threads.
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
			var postID string
			if l.ToUserID != "" {
				postID, err = p.chat.DirectMessage(ctx, l.ToUserID, l.Message)
			} else {
				postID, err = p.chat.Post(ctx, l.Message)
			}
			if err != nil {
				failure = err
				if err := p.outbox.Failed(ctx, l.ID, err.Error()); err != nil {
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
