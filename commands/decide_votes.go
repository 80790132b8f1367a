package commands

import (
	"context"
	"strconv"
	"strings"
	"time"

	"balise/bot"
)

// clickedDecision loads the decision a button belongs to.
func (s *Server) clickedDecision(ctx context.Context, c *Click) (*bot.Decision, error) {
	id, err := strconv.ParseInt(c.Fields["d"], 10, 64)
	if err != nil {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	d, err := s.decisions.DecisionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.TeamID != c.TeamID {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	return d, nil
}

// clickVote records the member's stance; clicking again changes it.
func (s *Server) clickVote(ctx context.Context, c *Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	choice, err := strconv.Atoi(c.Fields["c"])
	if err != nil || choice < 0 || choice >= len(d.Options) {
		return "", bot.Errorf(bot.EINVALID, "decide.error.not_found")
	}
	if err := s.mayVote(d, c.UserID); err != nil {
		return "", err
	}
	taken, err := s.decisions.TakeStance(ctx, d.ID, c.UserID, bot.Stance{Choice: choice}, bot.StanceNews{})
	changed := taken.Changed
	if err != nil {
		return "", err
	}
	s.refresh(d.ID)
	if changed && d.Kind == bot.Proposal && d.Options[choice] == bot.Block {
		s.notifyBlock(ctx, d, c.UserID, "")
	}
	return s.text.T(c.Lang, "decide.voted", "choice", s.optionLabel(c.Lang, d, choice)), nil
}

// submittedDecision loads the decision a signed dialog state names, in the
// team the state was signed for.
func (s *Server) submittedDecision(ctx context.Context, sub *Submission) (*bot.Decision, error) {
	id, _ := strconv.ParseInt(sub.State["d"], 10, 64)
	d, err := s.decisions.DecisionByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if d.TeamID != sub.TeamID {
		return nil, bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	return d, nil
}

func (s *Server) mayVote(d *bot.Decision, userID string) error {
	if !d.Open() {
		return bot.Errorf(bot.ECONFLICT, "decide.error.closed")
	}
	if !d.Eligible(userID) {
		return bot.Errorf(bot.EFORBIDDEN, "decide.error.not_eligible")
	}
	return nil
}

// notifyBlock tells the author, in a direct message, that someone blocked.
func (s *Server) notifyBlock(ctx context.Context, d *bot.Decision, voterID, reason string) {
	who := s.text.T(d.Lang, "decide.block.someone")
	if !d.Anonymous {
		if m, err := s.chat.Member(ctx, voterID); err == nil {
			who = "@" + m.Username
		}
	}
	text := s.text.T(d.Lang, "decide.block.notice", "who", who, "number", d.Number, "title", bot.Quiet(d.Title), "link", s.permalink(d.PostID))
	if reason != "" && !d.Anonymous {
		text += "\n> " + bot.Quiet(reason)
	}
	if err := s.outbox.Enqueue(ctx, d.TeamID, bot.Envelope{ToUserID: d.AuthorID, Message: bot.Message{Text: text}}); err != nil {
		logErr(ctx, err, "queue block notice")
		return
	}
	s.kick()
}

// clickReason opens the dialog where a member gives their stance a reason.
func (s *Server) clickReason(ctx context.Context, c *Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.mayVote(d, c.UserID); err != nil {
		return "", err
	}
	current, voted, err := s.decisions.StanceOf(ctx, d.ID, c.UserID)
	if err != nil {
		return "", err
	}
	l := c.Lang
	stance := bot.Field{Name: "stance", Label: s.text.T(l, "decide.dialog.stance"), Kind: "radio"}
	if voted {
		stance.Default = strconv.Itoa(current.Choice) // a member who has not voted chooses here
	}
	for i := range d.Options {
		stance.Options = append(stance.Options, bot.Option{Label: s.optionLabel(l, d, i), Value: strconv.Itoa(i)})
	}
	dlg := bot.Dialog{CallbackID: "reason", Title: s.text.T(l, "decide.dialog.reason_title"), SubmitLabel: s.text.T(l, "decide.dialog.submit"),
		Intro:  "#" + strconv.Itoa(d.Number) + " " + bot.Quiet(d.Title),
		Fields: []bot.Field{stance, {Name: "reason", Label: s.text.T(l, "decide.dialog.reason"), Kind: "textarea", MaxLen: bot.MaxReason, Default: current.Reason}}}
	return "", s.openDialog(ctx, c.Request, dlg, map[string]string{"d": c.Fields["d"]})
}

func (s *Server) submitReason(ctx context.Context, sub *Submission) (map[string]string, error) {
	d, err := s.submittedDecision(ctx, sub)
	if err != nil {
		return nil, err
	}
	if err := s.mayVote(d, sub.UserID); err != nil {
		return nil, err
	}
	choice, err := strconv.Atoi(sub.Text("stance"))
	if err != nil || choice < 0 || choice >= len(d.Options) {
		return map[string]string{"stance": s.text.T(sub.Lang, "decide.error.stance")}, nil
	}
	reason := strings.TrimSpace(sub.Text("reason"))
	if reason == "" || len([]rune(reason)) > bot.MaxReason {
		return map[string]string{"reason": s.text.T(sub.Lang, "decide.error.reason", "max", bot.MaxReason)}, nil
	}
	taken, err := s.decisions.TakeStance(ctx, d.ID, sub.UserID, bot.Stance{Choice: choice, Reason: reason}, bot.StanceNews{})
	changed := taken.Changed
	if err != nil {
		return nil, err
	}
	s.refresh(d.ID)
	if changed && d.Kind == bot.Proposal && d.Options[choice] == bot.Block {
		s.notifyBlock(ctx, d, sub.UserID, reason)
	}
	if d.Anonymous {
		return nil, nil
	}
	m, err := s.chat.Member(ctx, sub.UserID)
	if err != nil {
		return nil, err
	}
	text := s.text.T(d.Lang, "decide.reason_post", "who", "@"+m.Username, "choice", s.optionLabel(d.Lang, d, choice), "reason", bot.Quiet(reason))
	if d.Hidden {
		text = s.text.T(d.Lang, "decide.reason_post_hidden", "who", "@"+m.Username, "reason", bot.Quiet(reason))
	}
	if err := s.outbox.Enqueue(ctx, d.TeamID, bot.Envelope{Message: bot.Message{ChannelID: d.ChannelID, RootID: d.PostID, Text: text}}); err != nil {
		return nil, err
	}
	s.kick()
	return nil, nil
}

func (s *Server) clickClose(ctx context.Context, c *Click) (string, error) {
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
func (s *Server) clickRemind(ctx context.Context, c *Click) (string, error) {
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
	claimed, err := s.decisions.ClaimAskedReminder(ctx, d.ID, reminders, askedReminderGap)
	if err != nil {
		return "", err
	}
	if !claimed {
		return s.text.T(c.Lang, "decide.reminded_recently"), nil
	}
	s.kick()
	if len(reminders) == 0 {
		return s.text.T(c.Lang, "decide.reminded_none"), nil
	}
	return s.text.T(c.Lang, "decide.reminded", "count", len(reminders)), nil
}

// clickOutcome opens the dialog where the author writes the outcome.
func (s *Server) clickOutcome(ctx context.Context, c *Click) (string, error) {
	d, err := s.clickedDecision(ctx, c)
	if err != nil {
		return "", err
	}
	if err := s.mayManage(ctx, d, c.UserID); err != nil {
		return "", err
	}
	l := c.Lang
	dlg := bot.Dialog{CallbackID: "outcome", Title: s.text.T(l, "decide.dialog.outcome_title"), SubmitLabel: s.text.T(l, "decide.dialog.submit"),
		Intro: "#" + strconv.Itoa(d.Number) + " " + bot.Quiet(d.Title),
		Fields: []bot.Field{{Name: "outcome", Label: s.text.T(l, "decide.dialog.outcome"), Kind: "textarea", MaxLen: bot.MaxOutcome,
			Default: d.Outcome, Help: s.text.T(l, "decide.dialog.outcome_help")}}}
	return "", s.openDialog(ctx, c.Request, dlg, map[string]string{"d": c.Fields["d"]})
}

func (s *Server) submitOutcome(ctx context.Context, sub *Submission) (map[string]string, error) {
	d, err := s.submittedDecision(ctx, sub)
	if err != nil {
		return nil, err
	}
	err = s.writeOutcome(ctx, d, sub.UserID, sub.Text("outcome"))
	if e, ok := err.(*bot.Error); ok && e.Code == bot.EINVALID {
		return map[string]string{"outcome": s.text.Err(sub.Lang, err)}, nil
	}
	return nil, err
}
