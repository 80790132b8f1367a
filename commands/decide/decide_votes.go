package decide

import (
	"context"
	"strconv"
	"strings"
	"time"

	"balise/bot"
	"balise/commands"
)

// clickedDecision loads the decision a button belongs to.
func (s *Decide) clickedDecision(ctx context.Context, c *commands.Click) (*bot.Decision, error) {
	id, err := strconv.ParseInt(c.Fields["d"], 10, 64)
	if err != nil {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	d, err := s.store.DecisionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.TeamID != c.TeamID {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	return d, nil
}

// clickVote records the member's stance; clicking again changes it. The
// store checks that the member may vote and that the decision is open.
func (s *Decide) clickVote(ctx context.Context, c *commands.Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	choice, err := strconv.Atoi(c.Fields["c"])
	if err != nil || choice < 0 || choice >= len(d.Options) {
		return "", bot.Errorf(bot.EINVALID, "decide.error.not_found")
	}
	if err := s.takeStance(ctx, d, c.UserID, bot.Stance{Choice: choice}); err != nil {
		return "", err
	}
	return s.kit.T(c.Lang, "decide.voted", "choice", s.optionLabel(c.Lang, d, choice)), nil
}

// takeStance stores a stance with what it announces (its reason in the
// thread, a first block to the author) in one transaction, then refreshes
// the card if the stance changed and delivers what was queued.
func (s *Decide) takeStance(ctx context.Context, d *bot.Decision, userID string, st bot.Stance) error {
	var news bot.StanceNews
	if d.Kind == bot.Proposal && d.Options[st.Choice] == bot.Block && !d.Hidden {
		// Under hidden results, the author learns of blocks with everyone,
		// at the close.
		news.BlockNotice = s.blockNotice(ctx, d, userID, st.Reason)
	}
	if st.Reason != "" && !d.Anonymous {
		post, err := s.reasonPost(ctx, d, userID, st)
		if err != nil {
			return err
		}
		news.Posts = append(news.Posts, post)
	}
	taken, err := s.store.TakeStance(ctx, d.ID, userID, st, news)
	if err != nil {
		return err
	}
	if taken.Changed { // the same click twice changes nothing on the card
		s.cards.Refresh(d.ID)
	}
	if taken.Notified || len(news.Posts) > 0 {
		s.post.Kick()
	}
	return nil
}

// submittedDecision loads the decision a signed dialog state names, in the
// team the state was signed for.
func (s *Decide) submittedDecision(ctx context.Context, sub *commands.Submission) (*bot.Decision, error) {
	id, _ := strconv.ParseInt(sub.State["d"], 10, 64)
	d, err := s.store.DecisionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.TeamID != sub.TeamID {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	return d, nil
}

// mayVote checks, before a form opens, what the store checks again when
// the stance is taken: the decision is open and the member may vote.
func (s *Decide) mayVote(ctx context.Context, d *bot.Decision, userID string) error {
	if !d.Open() {
		return bot.Errorf(bot.ECONFLICT, "decide.error.closed")
	}
	voter, err := s.store.IsVoter(ctx, d.ID, userID)
	if err != nil {
		return err
	}
	if !voter {
		return bot.Errorf(bot.EFORBIDDEN, "decide.error.not_eligible")
	}
	return nil
}

// blockNotice is the direct message that tells the author someone blocked.
func (s *Decide) blockNotice(ctx context.Context, d *bot.Decision, voterID, reason string) *bot.Envelope {
	who := s.kit.T(d.Lang, "decide.block.someone")
	if !d.Anonymous {
		if m, err := s.chat.Member(ctx, voterID); err == nil {
			who = "@" + m.Username
		}
	}
	text := s.kit.T(d.Lang, "decide.block.notice", "who", who, "number", d.Number, "title", bot.Quiet(d.Title), "link", s.kit.Permalink(d.PostID))
	if reason != "" && !d.Anonymous {
		text += "\n> " + bot.Quiet(reason)
	}
	return &bot.Envelope{ToUserID: d.AuthorID, Message: bot.Message{Text: text}}
}

// reasonPost is a reason as posted in the decision's thread.
func (s *Decide) reasonPost(ctx context.Context, d *bot.Decision, userID string, st bot.Stance) (bot.Envelope, error) {
	m, err := s.chat.Member(ctx, userID)
	if err != nil {
		return bot.Envelope{}, err
	}
	text := s.kit.T(d.Lang, "decide.reason_post", "who", "@"+m.Username, "choice", s.optionLabel(d.Lang, d, st.Choice), "reason", bot.Quiet(st.Reason))
	if d.Hidden {
		text = s.kit.T(d.Lang, "decide.reason_post_hidden", "who", "@"+m.Username, "reason", bot.Quiet(st.Reason))
	}
	return bot.Envelope{Message: bot.Message{ChannelID: d.ChannelID, RootID: d.PostID, Text: text}}, nil
}

// clickReason opens the dialog where a member gives their stance a reason.
func (s *Decide) clickReason(ctx context.Context, c *commands.Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.mayVote(ctx, d, c.UserID); err != nil {
		return "", err
	}
	current, voted, err := s.store.StanceOf(ctx, d.ID, c.UserID)
	if err != nil {
		return "", err
	}
	l := c.Lang
	stance := bot.Field{Name: "stance", Label: s.kit.T(l, "decide.dialog.stance"), Kind: "radio"}
	if voted {
		stance.Default = strconv.Itoa(current.Choice) // a member who has not voted chooses here
	}
	for i := range d.Options {
		stance.Options = append(stance.Options, bot.Option{Label: s.optionLabel(l, d, i), Value: strconv.Itoa(i)})
	}
	dlg := bot.Dialog{CallbackID: "reason", Title: s.kit.T(l, "decide.dialog.reason_title"), SubmitLabel: s.kit.T(l, "decide.dialog.submit"),
		Intro:  "#" + strconv.Itoa(d.Number) + " " + bot.Quiet(d.Title),
		Fields: []bot.Field{stance, {Name: "reason", Label: s.kit.T(l, "decide.dialog.reason"), Kind: "textarea", MaxLen: bot.MaxReason, Default: current.Reason}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, map[string]string{"d": c.Fields["d"]})
}

func (s *Decide) submitReason(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	d, err := s.submittedDecision(ctx, sub)
	if err != nil {
		return nil, err
	}
	if err := s.mayVote(ctx, d, sub.UserID); err != nil {
		return nil, err
	}
	choice, err := strconv.Atoi(sub.Text("stance"))
	if err != nil || choice < 0 || choice >= len(d.Options) {
		return map[string]string{"stance": s.kit.T(sub.Lang, "decide.error.stance")}, nil
	}
	reason := strings.TrimSpace(sub.Text("reason"))
	if reason == "" || len([]rune(reason)) > bot.MaxReason {
		return map[string]string{"reason": s.kit.T(sub.Lang, "decide.error.reason", "max", bot.MaxReason)}, nil
	}
	return nil, s.takeStance(ctx, d, sub.UserID, bot.Stance{Choice: choice, Reason: reason})
}

func (s *Decide) clickClose(ctx context.Context, c *commands.Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	return s.closeNow(ctx, d, c.UserID, c.Lang)
}

// askedReminderGap is the least time between two reminders the author
// asks for: a double click, or an impatient author, does not send twice.
const askedReminderGap = 10 * time.Minute

// clickRemind sends the undecided a reminder now, at the author's request.
func (s *Decide) clickRemind(ctx context.Context, c *commands.Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, d, c.UserID); err != nil {
		return "", err
	}
	if !d.Open() {
		return "", bot.Errorf(bot.ECONFLICT, "decide.error.closed")
	}
	reminders, err := s.reminders(ctx, d)
	if err != nil {
		return "", err
	}
	claimed, err := s.store.ClaimAskedReminder(ctx, d.ID, reminders, askedReminderGap)
	if err != nil {
		return "", err
	}
	if !claimed {
		return s.kit.T(c.Lang, "decide.reminded_recently"), nil
	}
	s.post.Kick()
	if len(reminders) == 0 {
		return s.kit.T(c.Lang, "decide.reminded_none"), nil
	}
	return s.kit.T(c.Lang, "decide.reminded", "count", len(reminders)), nil
}

// clickOutcome opens the dialog where the author writes the outcome.
func (s *Decide) clickOutcome(ctx context.Context, c *commands.Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, d, c.UserID); err != nil {
		return "", err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "outcome", Title: s.kit.T(l, "decide.dialog.outcome_title"), SubmitLabel: s.kit.T(l, "decide.dialog.submit"),
		Intro: "#" + strconv.Itoa(d.Number) + " " + bot.Quiet(d.Title),
		Fields: []bot.Field{{Name: "outcome", Label: s.kit.T(l, "decide.dialog.outcome"), Kind: "textarea", MaxLen: bot.MaxOutcome,
			Default: d.Outcome, Help: s.kit.T(l, "decide.dialog.outcome_help")}}}
	return "", s.kit.OpenDialog(ctx, c.Request, dlg, map[string]string{"d": c.Fields["d"]})
}

func (s *Decide) submitOutcome(ctx context.Context, sub *commands.Submission) (map[string]string, error) {
	d, err := s.submittedDecision(ctx, sub)
	if err != nil {
		return nil, err
	}
	err = s.writeOutcome(ctx, d, sub.UserID, sub.Text("outcome"))
	if e, ok := err.(*bot.Error); ok && e.Code == bot.EINVALID {
		return map[string]string{"outcome": s.kit.Err(sub.Lang, err)}, nil
	}
	return nil, err
}
