package commands

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
)

// background runs work that outlives a request: card refreshes and the
// delivery of queued messages. What it does not finish, the jobs redo.
type background struct {
	ctx     context.Context
	cancel  context.CancelFunc
	mu      sync.Mutex
	running map[int64]bool // cards being refreshed
	again   map[int64]bool // cards that changed while being refreshed
	deliver sync.Mutex     // one delivery at a time
	wg      sync.WaitGroup // work under way
}

func newBackground(log zerolog.Logger) background {
	ctx, cancel := context.WithCancel(log.WithContext(context.Background()))
	return background{ctx: ctx, cancel: cancel, running: map[int64]bool{}, again: map[int64]bool{}}
}

// run runs fn in the background; a panic is logged, not fatal.
func (b *background) run(fn func()) {
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		defer func() {
			if p := recover(); p != nil {
				zerolog.Ctx(b.ctx).Error().Interface("panic", p).Msg("background work panicked; the jobs redo it")
			}
		}()
		fn()
	}()
}

// Drain waits, until ctx is done, for the background work under way, then
// cancels what is left: on shutdown, after the HTTP server and the
// scheduler stopped, before the database closes.
func (s *Server) Drain(ctx context.Context) error {
	defer s.bg.cancel()
	done := make(chan struct{})
	go func() { s.bg.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Server) decisionJobs() []bot.Job {
	return []bot.Job{
		{Name: "close-due-decisions", Every: s.tick, Run: s.closeDue},
		{Name: "remind-undecided", Every: s.tick, Run: s.remindDue},
		{Name: "refresh-stale-cards", Every: s.tick, Run: s.refreshStale},
		{Name: "deliver-outbox", Every: s.tick, Run: s.deliverOutbox},
	}
}

// refresh re-renders a decision's card from the database, soon. Refreshes
// of one card never overlap, and a change during a refresh causes another,
// so the card ends up showing what the database holds.
func (s *Server) refresh(id int64) {
	b := &s.bg
	b.mu.Lock()
	if b.running[id] {
		b.again[id] = true
		b.mu.Unlock()
		return
	}
	b.running[id] = true
	b.mu.Unlock()
	b.run(func() {
		done := false
		defer func() {
			if !done { // a panic: the next refresh starts afresh
				b.mu.Lock()
				delete(b.running, id)
				b.mu.Unlock()
			}
		}()
		for {
			if err := s.updateCard(b.ctx, id); err != nil {
				zerolog.Ctx(b.ctx).Warn().Err(err).Int64("decision", id).Msg("card refresh failed; the job retries")
			}
			b.mu.Lock()
			if !b.again[id] {
				delete(b.running, id)
				b.mu.Unlock()
				done = true
				return
			}
			delete(b.again, id)
			b.mu.Unlock()
		}
	})
}

func (s *Server) updateCard(ctx context.Context, id int64) error {
	d, err := s.decisions.DecisionByID(ctx, id)
	if err != nil {
		return err
	}
	t, err := s.decisions.Tally(ctx, id)
	if err != nil {
		return err
	}
	if err := s.chat.Update(ctx, d.PostID, s.card(d, t)); err != nil {
		return err
	}
	return s.decisions.CardShown(ctx, id, d.Revision)
}

func (s *Server) refreshStale(ctx context.Context) error {
	stale, err := s.decisions.StaleCards(ctx)
	if err != nil {
		return err
	}
	for _, d := range stale {
		s.refresh(d.ID)
	}
	return nil
}

// closeDecision closes d once, queues the result for its thread and
// refreshes its card. It returns false when d was already closed.
func (s *Server) closeDecision(ctx context.Context, d *bot.Decision) (bool, error) {
	author := d.AuthorID
	if m, err := s.chat.Member(ctx, d.AuthorID); err == nil {
		author = "@" + m.Username
	}
	closed, err := s.decisions.CloseDecision(ctx, d.ID, func(d *bot.Decision, t bot.Tally) []bot.Envelope {
		return []bot.Envelope{s.resultPost(d, t, author)}
	})
	if err != nil || !closed {
		return closed, err
	}
	s.refresh(d.ID)
	s.kick()
	return true, nil
}

// closeDue closes the decisions whose time has come, also those that came
// while Balise was down.
func (s *Server) closeDue(ctx context.Context) error {
	due, err := s.decisions.Due(ctx, s.now())
	if err != nil {
		return err
	}
	for _, d := range due {
		if _, err := s.closeDecision(ctx, d); err != nil {
			return err
		}
	}
	return nil
}

// reminders are the direct messages to the undecided, each in their language.
func (s *Server) reminders(ctx context.Context, d *bot.Decision) ([]bot.Envelope, error) {
	undecided, err := s.decisions.Undecided(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var out []bot.Envelope
	for _, u := range undecided {
		l := s.lang(ctx, d.TeamID, u)
		text := s.text.T(l, "decide.reminder", "number", d.Number, "title", bot.Quiet(d.Title),
			"when", s.when(l, d.ClosesAt, s.location(ctx, u)), "link", s.permalink(d.PostID))
		out = append(out, bot.Envelope{ToUserID: u, Message: bot.Message{Text: text}})
	}
	return out, nil
}

// remindDue sends each decision's reminder once, when it is due.
func (s *Server) remindDue(ctx context.Context) error {
	due, err := s.decisions.ReminderDue(ctx, s.now())
	if err != nil {
		return err
	}
	for _, d := range due {
		reminders, err := s.reminders(ctx, d)
		if err != nil {
			return err
		}
		if _, err := s.decisions.ClaimReminder(ctx, d.ID, reminders); err != nil {
			return err
		}
	}
	if len(due) > 0 {
		s.kick()
	}
	return nil
}

// kick delivers queued messages now rather than at the next tick.
func (s *Server) kick() {
	s.bg.run(func() {
		if err := s.deliverOutbox(s.bg.ctx); err != nil {
			zerolog.Ctx(s.bg.ctx).Warn().Err(err).Msg("delivery failed; the job retries")
		}
	})
}

// deliverOutbox posts the letters that are due, in order. A letter that
// fails waits for a later attempt (the store spaces them out) without
// holding up the others.
func (s *Server) deliverOutbox(ctx context.Context) error {
	s.bg.deliver.Lock()
	defer s.bg.deliver.Unlock()
	for {
		letters, err := s.outbox.Pending(ctx, 50)
		if err != nil || len(letters) == 0 {
			return err
		}
		var failure error
		for _, l := range letters {
			var postID string
			if l.ToUserID != "" {
				postID, err = s.chat.DirectMessage(ctx, l.ToUserID, l.Message)
			} else {
				postID, err = s.chat.Post(ctx, l.Message)
			}
			if err != nil {
				failure = err
				if err := s.outbox.Failed(ctx, l.ID, err.Error(), false); err != nil {
					return err
				}
				continue
			}
			if err := s.outbox.Sent(ctx, l.ID, postID); err != nil {
				return err
			}
		}
		if failure != nil {
			return failure
		}
	}
}

// defaultTick is how often the jobs look for due work.
const defaultTick = 30 * time.Second
