package decide

import (
	"context"
	"time"

	"balise/bot"

	"github.com/rs/zerolog"
)

func (s *Decide) updateCard(ctx context.Context, id int64) error {
	d, err := s.store.DecisionByID(ctx, id)
	if err != nil {
		return err
	}
	t, err := s.store.Tally(ctx, id)
	if err != nil {
		return err
	}
	if err := s.chat.Update(ctx, d.PostID, s.card(d, t)); bot.IsPermanent(err) {
		// A deleted card, an archived channel: no later tick can do better.
		zerolog.Ctx(ctx).Warn().Err(err).Int64("decision", id).Msg("card can no longer be updated; left as it is")
	} else if err != nil {
		return err
	}
	return s.store.CardShown(ctx, id, d.Revision)
}

func (s *Decide) refreshStale(ctx context.Context) error {
	stale, err := s.store.StaleCards(ctx)
	if err != nil {
		return err
	}
	for _, d := range stale {
		s.cards.Refresh(d.ID)
	}
	return nil
}

// closeDecision closes d once, queues the result for its thread and
// refreshes its card. It returns false when d was already closed.
func (s *Decide) closeDecision(ctx context.Context, d *bot.Decision) (bool, error) {
	author := d.AuthorID
	if bot.IsForgotten(d.AuthorID) {
		author = s.kit.T(d.Lang, "decide.result.no_author") // they asked to be forgotten
	} else if m, err := s.chat.Member(ctx, d.AuthorID); err == nil {
		author = "@" + m.Username
	}
	closed, err := s.store.CloseDecision(ctx, d.ID, func(d *bot.Decision, t bot.Tally) []bot.Envelope {
		return []bot.Envelope{s.resultPost(d, t, author)}
	})
	if err != nil || !closed {
		return closed, err
	}
	s.cards.Refresh(d.ID)
	s.post.Kick()
	return true, nil
}

// closeDue closes the decisions whose time has come, also those that came
// while Balise was down.
func (s *Decide) closeDue(ctx context.Context) error {
	due, err := s.store.Due(ctx, s.now())
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
func (s *Decide) reminders(ctx context.Context, d *bot.Decision) ([]bot.Envelope, error) {
	undecided, err := s.store.Undecided(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	var out []bot.Envelope
	for _, u := range undecided {
		// While Mattermost cannot tell a member's language, the reminder
		// waits rather than go out in the wrong one.
		l, loc, err := s.kit.Recipient(ctx, d.TeamID, u)
		if err != nil {
			return nil, err
		}
		text := s.kit.T(l, "decide.reminder", "number", d.Number, "title", bot.Quiet(d.Title),
			"when", s.kit.When(l, d.ClosesAt, loc), "link", s.kit.Permalink(d.PostID))
		out = append(out, bot.Envelope{ToUserID: u, Message: bot.Message{Text: text}})
	}
	return out, nil
}

// remindDue sends each decision's reminder once, when it is due.
func (s *Decide) remindDue(ctx context.Context) error {
	due, err := s.store.ReminderDue(ctx, s.now())
	if err != nil {
		return err
	}
	for _, d := range due {
		reminders, err := s.reminders(ctx, d)
		if err != nil {
			return err
		}
		if _, err := s.store.ClaimReminder(ctx, d.ID, reminders); err != nil {
			return err
		}
	}
	if len(due) > 0 {
		s.post.Kick()
	}
	return nil
}

// defaultTick is how often the jobs look for due work.
const defaultTick = 30 * time.Second
