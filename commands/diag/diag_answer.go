package diag

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"balise/bot"
	"balise/commands"
)

// Answering happens in the member's direct channel with the bot: one
// question per post, its buttons signed for the respondent. A click
// stores the answer first, then marks it on the post; a first answer
// brings the next question, a changed one says so.

// resume posts the caller's next step of the open campaign in their
// direct channel with the bot.
func (s *Diag) resume(ctx context.Context, in *commands.Input) (string, error) {
	c, q, err := s.answering(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	if err := s.postStep(ctx, c, q, in.UserID, in.Lang); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "diag.sent"), nil
}

// answering returns the team's campaign that takes answers now, and its
// questionnaire.
func (s *Diag) answering(ctx context.Context, teamID string) (*bot.Campaign, *bot.Questionnaire, error) {
	c, err := s.store.OpenCampaignOf(ctx, teamID)
	if err != nil {
		return nil, nil, err
	}
	if !c.Open(s.now()) {
		return nil, nil, bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	q, err := s.questionnaire(c)
	return c, q, err
}

// lock serialises the clicks of one respondent on one campaign, so that a
// double click brings one next question, not two.
func (s *Diag) lock(c *bot.Campaign, userID string) func() {
	key := strconv.FormatInt(c.ID, 10) + "/" + userID
	s.mu.Lock()
	m, ok := s.answers[key]
	if !ok {
		m = &sync.Mutex{}
		s.answers[key] = m
	}
	s.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// respondent checks a click on a respondent's button: only they may use
// it, in the campaign's team. It returns the campaign and its
// questionnaire, and a function to release the respondent's lock.
func (s *Diag) respondent(ctx context.Context, c *commands.Click) (*bot.Campaign, *bot.Questionnaire, func(), error) {
	if c.Fields["u"] != c.UserID {
		return nil, nil, nil, bot.Errorf(bot.EFORBIDDEN, "diag.error.not_respondent")
	}
	return s.campaignOf(ctx, c.TeamID, c.Fields["c"], c.UserID)
}

// campaignOf reads a campaign named by a signed button or dialog.
func (s *Diag) campaignOf(ctx context.Context, teamID, id, userID string) (*bot.Campaign, *bot.Questionnaire, func(), error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return nil, nil, nil, bot.Errorf(bot.ENOTFOUND, "diag.error.not_found")
	}
	camp, err := s.store.CampaignByID(ctx, n)
	if err != nil {
		return nil, nil, nil, err
	}
	if camp.TeamID != teamID {
		return nil, nil, nil, bot.Errorf(bot.ENOTFOUND, "diag.error.not_found")
	}
	q, err := s.questionnaire(camp)
	if err != nil {
		return nil, nil, nil, err
	}
	return camp, q, s.lock(camp, userID), nil
}

// dm returns the direct channel with a member.
func (s *Diag) dm(ctx context.Context, userID string) (string, error) {
	return s.chat.DirectChannel(ctx, userID)
}

// postStep posts what the respondent is asked next.
func (s *Diag) postStep(ctx context.Context, c *bot.Campaign, q *bot.Questionnaire, userID string, l bot.Lang) error {
	sheet, err := s.store.Sheet(ctx, c.ID, userID)
	if err != nil {
		return err
	}
	st := bot.NextTurn(q, sheet)
	var m bot.Message
	switch st.Kind {
	case bot.TurnRole:
		m = s.roleMessage(l, c, userID, "")
	case bot.TurnQuestion:
		m = s.questionMessage(l, c, q, sheet, st.Question)
	case bot.TurnTarget:
		m = s.targetMessage(l, c, q, sheet, st.Dimension)
	default:
		m = s.toolsMessage(l, c, sheet)
	}
	return s.postDM(ctx, userID, m)
}

func (s *Diag) postDM(ctx context.Context, userID string, m bot.Message) error {
	ch, err := s.dm(ctx, userID)
	if err != nil {
		return err
	}
	m.ChannelID = ch
	_, err = s.chat.Post(ctx, m)
	return err
}

func (s *Diag) roleMessage(l bot.Lang, c *bot.Campaign, userID string, chosen bot.Role) bot.Message {
	text := s.kit.T(l, "diag.role.question")
	card := &bot.Card{}
	for i, r := range bot.Roles {
		style := "default"
		if r == chosen {
			style = "primary"
			text += "\n✓ **" + s.kit.T(l, "diag.role."+string(r)) + "**"
		}
		card.Buttons = append(card.Buttons, s.respondentButton(fmt.Sprintf("r%d", i), s.kit.T(l, "diag.role."+string(r)), style,
			"diagrole", c, userID, map[string]string{"r": string(r)}))
	}
	card.Text = text
	return bot.Message{Card: card}
}

// answerLabel is how an answer reads: its option's label, or "I don't
// know", "Not relevant to us".
func (s *Diag) answerLabel(l bot.Lang, qu *bot.Question, option string) string {
	switch option {
	case bot.DontKnow, bot.NotConcerned:
		return s.kit.T(l, "diag.answer."+option)
	}
	for _, o := range qu.Options {
		if o.ID == option {
			return o.Label.In(l)
		}
	}
	return option
}

func (s *Diag) questionMessage(l bot.Lang, c *bot.Campaign, q *bot.Questionnaire, sheet *bot.Sheet, qu *bot.Question) bot.Message {
	done, total := bot.Progress(q, sheet)
	text := s.kit.T(l, "diag.question.header", "dimension", q.Dimension(qu.Dimension).Name.In(l), "done", done, "total", total) +
		"\n" + qu.Text.In(l)
	chosen, answered := sheet.Answers[qu.ID]
	if answered {
		text += "\n✓ **" + s.answerLabel(l, qu, chosen) + "**"
	}
	card := &bot.Card{Text: text}
	options := make([]string, 0, len(qu.Options)+2)
	for _, o := range qu.Options {
		options = append(options, o.ID)
	}
	options = append(options, bot.DontKnow, bot.NotConcerned)
	for i, o := range options {
		style := "default"
		if answered && o == chosen {
			style = "primary"
		}
		card.Buttons = append(card.Buttons, s.respondentButton(fmt.Sprintf("o%d", i), s.answerLabel(l, qu, o), style,
			"diaganswer", c, sheet.UserID, map[string]string{"q": qu.ID, "o": o}))
	}
	return bot.Message{Card: card}
}

func (s *Diag) targetLabel(l bot.Lang, target int) string {
	if target == bot.TargetDontKnow {
		return s.kit.T(l, "diag.target.dontknow")
	}
	return s.kit.T(l, "diag.target."+strconv.Itoa(target))
}

func (s *Diag) targetMessage(l bot.Lang, c *bot.Campaign, q *bot.Questionnaire, sheet *bot.Sheet, d *bot.DimensionInfo) bot.Message {
	done, total := bot.Progress(q, sheet)
	text := s.kit.T(l, "diag.target.question", "dimension", d.Name.In(l), "done", done, "total", total)
	chosen, answered := sheet.Targets[d.ID]
	if answered {
		text += "\n✓ **" + s.targetLabel(l, chosen) + "**"
	}
	card := &bot.Card{Text: text}
	for i, t := range append(append([]int(nil), bot.Targets...), bot.TargetDontKnow) {
		style := "default"
		if answered && t == chosen {
			style = "primary"
		}
		card.Buttons = append(card.Buttons, s.respondentButton(fmt.Sprintf("t%d", i), s.targetLabel(l, t), style,
			"diagtarget", c, sheet.UserID, map[string]string{"d": d.ID, "t": strconv.Itoa(t)}))
	}
	return bot.Message{Card: card}
}

// clickNext answers the Start and Resume buttons of invitations and
// reminders: the next step, in the direct channel.
func (s *Diag) clickNext(ctx context.Context, c *commands.Click) (string, error) {
	camp, q, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	if !camp.Open(s.now()) {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	return "", s.postStep(ctx, camp, q, c.UserID, c.Lang)
}

// clickAsk posts one question or target again, from /diag review.
func (s *Diag) clickAsk(ctx context.Context, c *commands.Click) (string, error) {
	camp, q, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	if !camp.Open(s.now()) {
		return "", bot.Errorf(bot.ECONFLICT, "diag.error.closed")
	}
	sheet, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	var m bot.Message
	switch {
	case c.Fields["q"] != "" && q.Question(c.Fields["q"]) != nil:
		m = s.questionMessage(c.Lang, camp, q, sheet, q.Question(c.Fields["q"]))
	case c.Fields["d"] != "" && q.Dimension(c.Fields["d"]) != nil:
		m = s.targetMessage(c.Lang, camp, q, sheet, q.Dimension(c.Fields["d"]))
	default:
		return "", bot.Errorf(bot.EINVALID, "diag.error.question_unknown")
	}
	return "", s.postDM(ctx, c.UserID, m)
}

func (s *Diag) clickRole(ctx context.Context, c *commands.Click) (string, error) {
	camp, q, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	role := bot.Role(c.Fields["r"])
	before, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	label := s.kit.T(c.Lang, "diag.role."+string(role))
	if before.Role == role {
		return s.kit.T(c.Lang, "diag.answer.same", "option", label), nil
	}
	if err := s.store.SetRole(ctx, camp.ID, c.UserID, role); err != nil {
		return "", err
	}
	s.mark(ctx, c.PostID, s.roleMessage(c.Lang, camp, c.UserID, role))
	if before.Role != "" {
		return s.kit.T(c.Lang, "diag.answer.changed", "option", label, "before", s.kit.T(c.Lang, "diag.role."+string(before.Role))), nil
	}
	return "", s.postStep(ctx, camp, q, c.UserID, c.Lang)
}

func (s *Diag) clickAnswer(ctx context.Context, c *commands.Click) (string, error) {
	camp, q, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	qid, option := c.Fields["q"], c.Fields["o"]
	if err := q.CheckAnswer(qid, option); err != nil {
		return "", err
	}
	qu := q.Question(qid)
	before, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	changed, err := s.store.Answer(ctx, camp.ID, c.UserID, qid, option)
	if err != nil {
		return "", err
	}
	label := s.answerLabel(c.Lang, qu, option)
	if !changed {
		return s.kit.T(c.Lang, "diag.answer.same", "option", label), nil
	}
	after, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	s.mark(ctx, c.PostID, s.questionMessage(c.Lang, camp, q, after, qu))
	if old, ok := before.Answers[qid]; ok {
		return s.kit.T(c.Lang, "diag.answer.changed", "option", label, "before", s.answerLabel(c.Lang, qu, old)), nil
	}
	return "", s.postStep(ctx, camp, q, c.UserID, c.Lang)
}

func (s *Diag) clickTarget(ctx context.Context, c *commands.Click) (string, error) {
	camp, q, unlock, err := s.respondent(ctx, c)
	if err != nil {
		return "", err
	}
	defer unlock()
	dim := c.Fields["d"]
	target, err := strconv.Atoi(c.Fields["t"])
	if err == nil {
		err = bot.CheckTarget(q, dim, target)
	}
	if err != nil {
		return "", bot.Errorf(bot.EINVALID, "diag.error.option_unknown")
	}
	before, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	changed, err := s.store.SetTarget(ctx, camp.ID, c.UserID, dim, target)
	if err != nil {
		return "", err
	}
	label := s.targetLabel(c.Lang, target)
	if !changed {
		return s.kit.T(c.Lang, "diag.answer.same", "option", label), nil
	}
	after, err := s.store.Sheet(ctx, camp.ID, c.UserID)
	if err != nil {
		return "", err
	}
	s.mark(ctx, c.PostID, s.targetMessage(c.Lang, camp, q, after, q.Dimension(dim)))
	if old, ok := before.Targets[dim]; ok {
		return s.kit.T(c.Lang, "diag.answer.changed", "option", label, "before", s.targetLabel(c.Lang, old)), nil
	}
	return "", s.postStep(ctx, camp, q, c.UserID, c.Lang)
}

// mark shows the stored answer on the clicked post. The answer is saved
// already: a post that cannot be updated is logged, not an error.
func (s *Diag) mark(ctx context.Context, postID string, m bot.Message) {
	if postID == "" {
		return
	}
	if err := s.chat.Update(ctx, postID, m); err != nil {
		commands.LogErr(ctx, err, "mark an answer on its question")
	}
}

// review posts the caller's answers, a post per dimension, each question
// with a button to change it.
func (s *Diag) review(ctx context.Context, in *commands.Input) (string, error) {
	c, q, err := s.answering(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	sheet, err := s.store.Sheet(ctx, c.ID, in.UserID)
	if err != nil {
		return "", err
	}
	if sheet.Role == "" {
		return s.resume(ctx, in)
	}
	done, total := bot.Progress(q, sheet)
	if err := s.postDM(ctx, in.UserID, bot.Message{Text: s.kit.T(in.Lang, "diag.review.title", "done", done, "total", total)}); err != nil {
		return "", err
	}
	for _, m := range s.reviewMessages(in.Lang, c, q, sheet) {
		if err := s.postDM(ctx, in.UserID, m); err != nil {
			return "", err
		}
	}
	return s.kit.T(in.Lang, "diag.sent"), nil
}

func (s *Diag) reviewMessages(l bot.Lang, c *bot.Campaign, q *bot.Questionnaire, sheet *bot.Sheet) []bot.Message {
	var out []bot.Message
	n := 0
	for i := range q.Dimensions {
		d := &q.Dimensions[i]
		card := &bot.Card{Title: d.Name.In(l)}
		var lines []string
		for j := range q.Questions {
			qu := &q.Questions[j]
			if qu.Dimension != d.ID {
				continue
			}
			n++
			answer := "_" + s.kit.T(l, "diag.review.unanswered") + "_"
			if a, ok := sheet.Answers[qu.ID]; ok {
				answer = "**" + s.answerLabel(l, qu, a) + "**"
			}
			lines = append(lines, fmt.Sprintf("%d. %s — %s", n, qu.Text.In(l), answer))
			card.Buttons = append(card.Buttons, s.respondentButton(fmt.Sprintf("q%d", n), strconv.Itoa(n), "default", "diagask", c,
				sheet.UserID, map[string]string{"q": qu.ID}))
		}
		target := "_" + s.kit.T(l, "diag.review.unanswered") + "_"
		if t, ok := sheet.Targets[d.ID]; ok {
			target = "**" + s.targetLabel(l, t) + "**"
		}
		lines = append(lines, "🎯 "+s.kit.T(l, "diag.target.ask")+" — "+target)
		card.Buttons = append(card.Buttons, s.respondentButton("target", "🎯", "default", "diagask", c, sheet.UserID, map[string]string{"d": d.ID}))
		card.Text = strings.Join(lines, "\n")
		out = append(out, bot.Message{Card: card})
	}
	return out
}

// closesWhen is a campaign's closing time for a reader.
func (s *Diag) closesWhen(ctx context.Context, l bot.Lang, c *bot.Campaign, userID string) string {
	return s.kit.When(l, c.ClosesAt, s.kit.Location(ctx, userID))
}
