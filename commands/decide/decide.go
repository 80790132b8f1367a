// Package decide is the decisions capability, Loomio-style: /decide and
// /decision, the vote buttons, the reason and outcome forms, and the jobs
// that close decisions, remind the undecided and keep cards true.
package decide

import (
	"context"
	"strconv"
	"strings"
	"time"
	"unicode"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
)

// Chat is what decisions ask of Mattermost.
type Chat interface {
	Post(ctx context.Context, m bot.Message) (string, error)
	Update(ctx context.Context, postID string, m bot.Message) error
	Upload(ctx context.Context, m bot.Message, files []bot.File) (string, error)
	DirectChannel(ctx context.Context, userID string) (string, error)
	Member(ctx context.Context, userID string) (bot.Member, error)
	JoinChannel(ctx context.Context, channelID string) error
	ChannelMembers(ctx context.Context, channelID string) ([]string, error)
	IsChannelMember(ctx context.Context, channelID, userID string) (bool, error)
	IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error)
	FindPostByKey(ctx context.Context, channelID string, since time.Time, key string) (string, bool, error)
}

// Store is what decisions ask of the database: the decisions and the
// outbox their announcements go through.
type Store interface {
	bot.Decisions
	bot.Outbox
}

// Decide is the decisions capability. Build it with New.
type Decide struct {
	kit   *commands.Kit
	store Store
	chat  Chat
	post  *background.Postman
	cards *background.Refresher
	now   func() time.Time
	tick  time.Duration
}

// Config is what Decide needs.
type Config struct {
	Kit     *commands.Kit
	Store   Store
	Chat    Chat
	Work    *background.Work    // runs card refreshes
	Postman *background.Postman // delivers what decisions announce
	Now     func() time.Time    // the clock; time.Now when nil
	Tick    time.Duration       // how often jobs look for due work; 30s when zero
}

// New returns the decisions capability.
func New(c Config) *Decide {
	s := &Decide{kit: c.Kit, store: c.Store, chat: c.Chat, post: c.Postman, now: c.Now, tick: c.Tick}
	if s.now == nil {
		s.now = time.Now
	}
	if s.tick <= 0 {
		s.tick = defaultTick
	}
	s.cards = background.NewRefresher(c.Work, s.updateCard)
	return s
}

// Register implements commands.Capability.
func (s *Decide) Register(r *commands.Routes) {
	r.Command("decide", "help.decide", s.runDecide, "decide", "decision")
	r.Action("vote", s.clickVote)
	r.Action("reason", s.clickReason)
	r.Action("close", s.clickClose)
	r.Action("remind", s.clickRemind)
	r.Action("outcome", s.clickOutcome)
	r.Dialog("decide", s.submitDecision)
	r.Dialog("reason", s.submitReason)
	r.Dialog("outcome", s.submitOutcome)
	r.Job(
		bot.Job{Name: "close-due-decisions", Every: s.tick, Run: s.closeDue},
		bot.Job{Name: "remind-undecided", Every: s.tick, Run: s.remindDue},
		bot.Job{Name: "refresh-stale-cards", Every: s.tick, Run: s.refreshStale},
		bot.Job{Name: "repair-unposted-cards", Every: s.tick, Run: s.repairCards},
	)
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
	word, rest := commands.Subcommand(text)
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

func (s *Decide) runDecide(ctx context.Context, in *commands.Input) (string, error) {
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
		return s.kit.T(in.Lang, "decide.usage"), nil
	}
	if in.Text == "" {
		return "", s.OpenForm(ctx, in.Request, in.Lang, "", "")
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
		return s.kit.Err(in.Lang, err) + "\n" + s.kit.T(in.Lang, "decide.usage"), nil
	}
	if _, err := draft.Validate(); err != nil {
		return s.kit.Err(in.Lang, err), nil
	}
	d, err := s.openDecision(ctx, in.Request, in.Lang, member, draft)
	if err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "decide.opened", "number", d.Number), nil
}

// openDecision stores the decision, then posts its card; if the card cannot
// be posted, the decision is removed and the member is told to retry.
func (s *Decide) openDecision(ctx context.Context, req bot.Request, l bot.Lang, author bot.Member, draft bot.Draft) (*bot.Decision, error) {
	if err := commands.EnterChannel(ctx, s.chat, req.ChannelID, req.UserID, "decide.error.not_member"); err != nil {
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
	if err := s.store.CreateDecision(ctx, d); err != nil {
		return nil, err
	}
	postID, err := s.postCard(ctx, d, false)
	if err != nil {
		if derr := s.store.DeleteDecision(ctx, d.ID); derr != nil {
			commands.LogErr(ctx, derr, "remove a decision whose card failed")
		}
		return nil, err
	}
	d.PostID = postID
	return d, nil
}

// postCard posts a new decision's card with the key stored with it, and
// records the post. When the card may already exist (a timeout whose
// answer was lost, a crash before the post id was stored), it is looked
// for by its key first: a card is never posted twice.
func (s *Decide) postCard(ctx context.Context, d *bot.Decision, mayExist bool) (string, error) {
	msg := s.card(d, bot.Tally{Counts: make([]int, len(d.Options))})
	msg.Key = d.PostKey
	for {
		if mayExist {
			id, found, err := s.chat.FindPostByKey(ctx, d.ChannelID, d.CreatedAt, d.PostKey)
			if err != nil {
				return "", err
			}
			if found {
				return id, s.store.SetDecisionPost(ctx, d.ID, id)
			}
		}
		postID, err := s.chat.Post(ctx, msg)
		if err == nil {
			return postID, s.store.SetDecisionPost(ctx, d.ID, postID)
		}
		if mayExist || bot.IsPermanent(err) {
			return "", err
		}
		mayExist = true // the post may exist, its answer lost: look, then try once more
	}
}

// repairCards posts the cards that a crash left unposted. Decisions opened
// less than a minute ago are left to the request opening them.
func (s *Decide) repairCards(ctx context.Context) error {
	unposted, err := s.store.Unposted(ctx)
	if err != nil {
		return err
	}
	for _, d := range unposted {
		if s.now().Sub(d.CreatedAt) < time.Minute {
			continue
		}
		if _, err := s.postCard(ctx, d, true); err != nil {
			return err
		}
	}
	return nil
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
func (s *Decide) findDecision(ctx context.Context, in *commands.Input, arg string) (*bot.Decision, string, error) {
	n, rest, ok := decisionNumber(arg)
	if !ok {
		return nil, "", bot.Errorf(bot.EINVALID, "decide.error.number")
	}
	d, err := s.store.Decision(ctx, in.TeamID, n)
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
func (s *Decide) visible(ctx context.Context, userID string, all []*bot.Decision) ([]*bot.Decision, error) {
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

// memberChannels returns the channels of the team's decisions that the
// member belongs to: lists ask the store for those only, so that their
// limit counts what the member may see.
func (s *Decide) memberChannels(ctx context.Context, teamID, userID string) ([]string, error) {
	all, err := s.store.DecisionChannels(ctx, teamID)
	if err != nil {
		return nil, err
	}
	mine := []string{}
	for _, c := range all {
		in, err := s.chat.IsChannelMember(ctx, c, userID)
		if err != nil {
			return nil, err
		}
		if in {
			mine = append(mine, c)
		}
	}
	return mine, nil
}

func (s *Decide) listDecisions(ctx context.Context, in *commands.Input, f bot.DecisionFilter) (string, error) {
	var err error
	if f.Channels, err = s.memberChannels(ctx, in.TeamID, in.UserID); err != nil {
		return "", err
	}
	list, err := s.store.ListDecisions(ctx, in.TeamID, f)
	if err != nil {
		return "", err
	}
	key := "decide.list.title"
	if !f.Open {
		key = "decide.log.title"
	}
	if len(list) == 0 {
		return s.kit.T(in.Lang, key+"_empty"), nil
	}
	loc := s.kit.Location(ctx, in.UserID)
	lines := []string{s.kit.T(in.Lang, key)}
	for _, d := range list {
		t, err := s.store.Tally(ctx, d.ID)
		if err != nil {
			return "", err
		}
		lines = append(lines, "• "+s.summary(in.Lang, loc, d, t))
	}
	return strings.Join(lines, "\n"), nil
}

func (s *Decide) showDecision(ctx context.Context, in *commands.Input, arg string) (string, error) {
	d, _, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	t, err := s.store.Tally(ctx, d.ID)
	if err != nil {
		return "", err
	}
	d.Lang = in.Lang
	d.Location = s.kit.Location(ctx, in.UserID)
	msg := s.card(d, t)
	return "#### " + msg.Card.Title + "\n" + msg.Card.Text + "\n" + s.kit.Permalink(d.PostID), nil
}

// mayManage checks that a member may close a decision, remind its voters or
// write its outcome: its author, or an administrator of the team.
func (s *Decide) mayManage(ctx context.Context, d *bot.Decision, userID string) error {
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

func (s *Decide) closeCommand(ctx context.Context, in *commands.Input, arg string) (string, error) {
	d, _, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	return s.closeNow(ctx, d, in.UserID, in.Lang)
}

func (s *Decide) closeNow(ctx context.Context, d *bot.Decision, userID string, l bot.Lang) (string, error) {
	if err := s.mayManage(ctx, d, userID); err != nil {
		return "", err
	}
	closed, err := s.closeDecision(ctx, d)
	if err != nil {
		return "", err
	}
	if !closed {
		return s.kit.T(l, "decide.error.closed"), nil
	}
	return s.kit.T(l, "decide.closed", "number", d.Number), nil
}

func (s *Decide) outcomeCommand(ctx context.Context, in *commands.Input, arg string) (string, error) {
	d, text, err := s.findDecision(ctx, in, arg)
	if err != nil {
		return "", err
	}
	if text == "" {
		return s.kit.T(in.Lang, "decide.usage"), nil
	}
	if err := s.writeOutcome(ctx, d, in.UserID, text); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "decide.outcome_saved", "number", d.Number), nil
}

// writeOutcome stores the outcome of a closed decision and posts it in the
// decision's thread.
func (s *Decide) writeOutcome(ctx context.Context, d *bot.Decision, userID, text string) error {
	if err := s.mayManage(ctx, d, userID); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > bot.MaxOutcome {
		return bot.Errorf(bot.EINVALID, "decide.error.outcome", "max", bot.MaxOutcome)
	}
	// "Start a plan": the plans capability opens its form with the title
	// (the author said what was decided; nothing is assumed).
	start := s.kit.Button("planstart", s.kit.T(d.Lang, "decide.button.start_plan"), "primary", "planstart",
		map[string]string{"team": d.TeamID, "title": d.Title, "tool": ""})
	post := bot.Envelope{Message: bot.Message{ChannelID: d.ChannelID, RootID: d.PostID,
		Text: s.kit.T(d.Lang, "decide.outcome_post", "number", d.Number, "outcome", bot.Quiet(text)),
		Card: &bot.Card{Buttons: []bot.Button{start}}}}
	if err := s.store.SetOutcome(ctx, d.ID, text, post); err != nil {
		return err
	}
	s.post.Kick()
	s.cards.Refresh(d.ID)
	return nil
}
