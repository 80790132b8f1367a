package commands

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"

	"balise/bot"
)

// registerDecide adds /decide and /decision: Loomio-style decisions.
func (s *Server) registerDecide() {
	s.addCommand(&command{name: "decide", helpKey: "help.decide", run: s.runDecide}, "decide", "decision")
	s.actions["vote"] = s.clickVote
	s.actions["reason"] = s.clickReason
	s.actions["close"] = s.clickClose
	s.actions["remind"] = s.clickRemind
	s.actions["outcome"] = s.clickOutcome
	s.dialogs["decide"] = s.submitDecision
	s.dialogs["reason"] = s.submitReason
	s.dialogs["outcome"] = s.submitOutcome
	s.jobs = append(s.jobs, s.decisionJobs()...)
}

var decideVerbs = map[string]string{
	"list": "list", "liste": "list",
	"log": "log", "registre": "log", "journal": "log",
	"show": "show", "voir": "show", "montrer": "show",
	"close": "close", "fermer": "close", "clore": "close",
	"outcome": "outcome", "résultat": "outcome", "resultat": "outcome", "issue": "outcome",
	"export": "export", "exporter": "export",
	"help": "help", "aide": "help",
}

// decideVerb tells a subcommand from the title of a new decision: a line
// with flags is always a decision, "show", "close" and "outcome" need a
// number, "list", "export" and "help" stand alone.
func decideVerb(text string) (verb, rest string) {
	word, rest := subcommand(text)
	verb = decideVerbs[word]
	switch {
	case verb == "" || strings.Contains(text, "--") || strings.Contains(text, "—"):
		return "", ""
	case verb == "show" || verb == "close" || verb == "outcome":
		if _, _, ok := decisionNumber(rest); !ok {
			return "", ""
		}
	case verb == "list" || verb == "export" || verb == "help":
		if rest != "" {
			return "", ""
		}
	}
	return verb, rest
}

func (s *Server) runDecide(ctx context.Context, in *Input) (string, error) {
	verb, rest := decideVerb(in.Text)
	switch verb {
	case "list":
		return s.listDecisions(ctx, in, bot.DecisionFilter{Open: true})
	case "log":
		return s.listDecisions(ctx, in, bot.DecisionFilter{Search: rest, Limit: 15})
	case "show":
		return s.showDecision(ctx, in, rest)
	case "close":
		return s.closeCommand(ctx, in, rest)
	case "outcome":
		return s.outcomeCommand(ctx, in, rest)
	case "export":
		return s.exportDecisions(ctx, in)
	case "help":
		return s.text.T(in.Lang, "decide.usage"), nil
	}
	if in.Text == "" {
		return "", s.openDecisionDialog(ctx, in.Request, in.Lang, "", "")
	}
	if _, rest, ok := decisionNumber(in.Text); ok && rest == "" && strings.HasPrefix(in.Text, "#") {
		return s.showDecision(ctx, in, in.Text)
	}
	member, err := s.chat.Member(ctx, in.UserID)
	if err != nil {
		return "", err
	}
	draft, err := parseDraft(in.Text, s.now(), member.Location)
	if err != nil {
		return s.text.Err(in.Lang, err) + "\n" + s.text.T(in.Lang, "decide.usage"), nil
	}
	if _, err := draft.Validate(); err != nil {
		return s.text.Err(in.Lang, err), nil
	}
	d, err := s.openDecision(ctx, in.Request, in.Lang, member, draft)
	if err != nil {
		return "", err
	}
	return s.text.T(in.Lang, "decide.opened", "number", d.Number), nil
}

// openDecision stores the decision, then posts its card; if the card cannot
// be posted, the decision is removed and the member is told to retry.
func (s *Server) openDecision(ctx context.Context, req bot.Request, l bot.Lang, author bot.Member, draft bot.Draft) (*bot.Decision, error) {
	if err := s.chat.JoinChannel(ctx, req.ChannelID); err != nil {
		return nil, err
	}
	voters, err := s.chat.ChannelMembers(ctx, req.ChannelID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	d := &bot.Decision{TeamID: req.TeamID, ChannelID: req.ChannelID, AuthorID: req.UserID, Lang: l, Location: author.Location,
		Title: draft.Title, Details: draft.Details, Kind: draft.Kind, Options: draft.Options, Anonymous: draft.Anonymous,
		Hidden: draft.Hidden, Quorum: draft.Quorum, Voters: voters, CreatedAt: now, ClosesAt: now.Add(draft.Duration)}
	if err := s.decisions.CreateDecision(ctx, d); err != nil {
		return nil, err
	}
	msg := s.card(d, bot.Tally{Counts: make([]int, len(d.Options))})
	msg.Key = "decision-" + strconv.FormatInt(d.ID, 10) + "-" + newRequestID()
	postID, err := s.chat.Post(ctx, msg)
	if err == nil {
		err = s.decisions.SetDecisionPost(ctx, d.ID, postID)
	}
	if err != nil {
		if derr := s.decisions.DeleteDecision(ctx, d.ID); derr != nil {
			logErr(ctx, derr, "remove a decision whose card failed")
		}
		return nil, err
	}
	d.PostID = postID
	return d, nil
}

// decisionNumber reads "#12" or "12" and what follows it.
func decisionNumber(s string) (int, string, bool) {
	s = strings.TrimSpace(s)
	word, rest := s, ""
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		word, rest = s[:i], s[i:]
	}
	n, err := strconv.Atoi(strings.TrimPrefix(word, "#"))
	return n, strings.TrimSpace(rest), err == nil && n > 0
}

// findDecision returns the decision numbered in arg, if the member may see
// it: a decision belongs to its channel's members.
func (s *Server) findDecision(ctx context.Context, in *Input, arg string) (*bot.Decision, string, error) {
	n, rest, ok := decisionNumber(arg)
	if !ok {
		return nil, "", bot.Errorf(bot.EINVALID, "decide.error.number")
	}
	d, err := s.decisions.Decision(ctx, in.TeamID, n)
	if err != nil {
		return nil, "", err
	}
	visible, err := s.visible(ctx, in.UserID, []*bot.Decision{d})
	if err != nil {
		return nil, "", err
	}
	if len(visible) == 0 {
		return nil, "", bot.Errorf(bot.ENOTFOUND, "decide.error.not_found")
	}
	return d, rest, nil
}

// visible keeps the decisions of the channels the member belongs to.
func (s *Server) visible(ctx context.Context, userID string, all []*bot.Decision) ([]*bot.Decision, error) {
	member := map[string]bool{}
	var out []*bot.Decision
	for _, d := range all {
		in, known := member[d.ChannelID]
		if !known {
			var err error
			if in, err = s.chat.IsChannelMember(ctx, d.ChannelID, userID); err != nil {
				return nil, err
			}
			member[d.ChannelID] = in
		}
		if in {
			out = append(out, d)
		}
	}
	return out, nil
}

func (s *Server) listDecisions(ctx context.Context, in *Input, f bot.DecisionFilter) (string, error) {
	f.AnyChannel = true // the face filters by membership after; to be redone with Channels
	list, err := s.decisions.ListDecisions(ctx, in.TeamID, f)
	if err == nil {
		list, err = s.visible(ctx, in.UserID, list)
	}
	if err != nil {
		return "", err
	}
	key := "decide.list.title"
	if !f.Open {
		key = "decide.log.title"
	}
	if len(list) == 0 {
		return s.text.T(in.Lang, key+"_empty"), nil
	}
	loc := s.location(ctx, in.UserID)
	lines := []string{s.text.T(in.Lang, key)}
	for _, d := range list {
		t, err := s.decisions.Tally(ctx, d.ID)
		if err != nil {
			return "", err
		}
		lines = append(lines, "• "+s.summary(in.Lang, loc, d, t))
	}
	return strings.Join(lines, "\n"), nil
}

func (s *Server) showDecision(ctx context.Context, in *Input, arg string) (string, error) {
	d, _, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	t, err := s.decisions.Tally(ctx, d.ID)
	if err != nil {
		return "", err
	}
	d.Lang = in.Lang
	d.Location = s.location(ctx, in.UserID)
	msg := s.card(d, t)
	return "#### " + msg.Card.Title + "\n" + msg.Card.Text + "\n" + s.permalink(d.PostID), nil
}

// location is a member's time zone, UTC when unknown.
func (s *Server) location(ctx context.Context, userID string) *time.Location {
	if m, err := s.chat.Member(ctx, userID); err == nil && m.Location != nil {
		return m.Location
	}
	return time.UTC
}

// mayManage checks that a member may close a decision, remind its voters or
// write its outcome: its author, or an administrator of the team.
func (s *Server) mayManage(ctx context.Context, d *bot.Decision, userID string) error {
	if d.AuthorID == userID {
		return nil
	}
	admin, err := s.chat.IsTeamAdmin(ctx, d.TeamID, userID)
	if err != nil {
		return err
	}
	if !admin {
		return bot.Errorf(bot.EFORBIDDEN, "decide.error.not_author")
	}
	return nil
}

func (s *Server) closeCommand(ctx context.Context, in *Input, arg string) (string, error) {
	d, _, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	return s.closeNow(ctx, d, in.UserID, in.Lang)
}

func (s *Server) closeNow(ctx context.Context, d *bot.Decision, userID string, l bot.Lang) (string, error) {
	if err := s.mayManage(ctx, d, userID); err != nil {
		return "", err
	}
	closed, err := s.closeDecision(ctx, d)
	if err != nil {
		return "", err
	}
	if !closed {
		return s.text.T(l, "decide.error.closed"), nil
	}
	return s.text.T(l, "decide.closed", "number", d.Number), nil
}

func (s *Server) outcomeCommand(ctx context.Context, in *Input, arg string) (string, error) {
	d, text, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	if text == "" {
		return s.text.T(in.Lang, "decide.usage"), nil
	}
	if err := s.writeOutcome(ctx, d, in.UserID, text); err != nil {
		return "", err
	}
	return s.text.T(in.Lang, "decide.outcome_saved", "number", d.Number), nil
}

// writeOutcome stores the outcome of a closed decision and posts it in the
// decision's thread.
func (s *Server) writeOutcome(ctx context.Context, d *bot.Decision, userID, text string) error {
	if err := s.mayManage(ctx, d, userID); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > bot.MaxOutcome {
		return bot.Errorf(bot.EINVALID, "decide.error.outcome", "max", bot.MaxOutcome)
	}
	if err := s.decisions.SetOutcome(ctx, d.ID, text); err != nil {
		return err
	}
	err := s.outbox.Enqueue(ctx, d.TeamID, bot.Envelope{Message: bot.Message{ChannelID: d.ChannelID, RootID: d.PostID,
		Text: s.text.T(d.Lang, "decide.outcome_post", "number", d.Number, "outcome", bot.Quiet(text))}})
	if err != nil {
		return err
	}
	s.kick()
	s.refresh(d.ID)
	return nil
}
