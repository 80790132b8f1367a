// Package background runs the work that outlives a request: delivering the
// outbox and refreshing cards. What it does not finish, the jobs redo, since
// what must happen is read from the stores.
package background

import (
	"context"
	"sync"

	"github.com/rs/zerolog"
)

// Work runs functions in the background and drains them on shutdown.
type Work struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns a Work whose functions log with log.
func New(log zerolog.Logger) *Work {
	ctx, cancel := context.WithCancel(log.WithContext(context.Background()))
	return &Work{ctx: ctx, cancel: cancel}
}

// Go runs fn in the background; a panic is logged, not fatal.
func (w *Work) Go(fn func(ctx context.Context)) {
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		defer func() {
			if p := recover(); p != nil {
				zerolog.Ctx(w.ctx).Error().Interface("panic", p).Msg("background work panicked; the jobs redo it")
			}
		}()
		fn(w.ctx)
	}()
}

// Drain waits, until ctx is done, for the work under way, then cancels what
// is left: on shutdown, after the HTTP server and the scheduler stopped,
// before the database closes.
func (w *Work) Drain(ctx context.Context) error {
	defer w.cancel()
	done := make(chan struct{})
	go func() { w.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Wait waits for the work under way, and what it starts, to finish.
func (w *Work) Wait() { w.wg.Wait() }
