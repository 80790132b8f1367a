package background

import (
	"context"
	"sync"

	"github.com/rs/zerolog"
)

// Refresher runs update for a key (a decision's card, a plan's, the outbox) soon
// after a change. Refreshes of one card never overlap, and a change during
// a refresh causes one more, so a card ends up showing what is stored.
type Refresher struct {
	work    *Work
	update  func(ctx context.Context, id int64) error
	mu      sync.Mutex
	running map[int64]bool // cards being refreshed
	again   map[int64]bool // cards that changed while being refreshed
}

// NewRefresher returns a refresher that calls update to re-render card id.
func NewRefresher(work *Work, update func(ctx context.Context, id int64) error) *Refresher {
	return &Refresher{work: work, update: update, running: map[int64]bool{}, again: map[int64]bool{}}
}

// Refresh re-renders card id in the background.
func (c *Refresher) Refresh(id int64) {
	c.mu.Lock()
	if c.running[id] {
		c.again[id] = true
		c.mu.Unlock()
		return
	}
	c.running[id] = true
	c.mu.Unlock()
	c.work.Go(func(ctx context.Context) {
		done := false
		defer func() {
			if !done { // a panic: the next refresh starts afresh
				c.mu.Lock()
				delete(c.running, id)
				c.mu.Unlock()
			}
		}()
		for {
			if err := c.update(ctx, id); err != nil {
				zerolog.Ctx(ctx).Warn().Err(err).Int64("card", id).Msg("card refresh failed; the job retries")
			}
			c.mu.Lock()
			if !c.again[id] || ctx.Err() != nil {
				delete(c.running, id)
				delete(c.again, id)
				c.mu.Unlock()
				done = true
				return
			}
			delete(c.again, id)
			c.mu.Unlock()
		}
	})
}
