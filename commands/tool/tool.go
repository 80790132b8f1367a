// Package tool is the "which tool for X" capability: /tool and /outil, the
// catalogue's cards and categories, members' feedback, the administrators'
// edits, and the "Propose to the board" button.
package tool

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/commands"
)

// Chat is what /tool asks of Mattermost.
type Chat interface {
	Member(ctx context.Context, userID string) (bot.Member, error)
	DirectMessage(ctx context.Context, userID string, m bot.Message) (string, error)
	IsTeamAdmin(ctx context.Context, teamID, userID string) (bool, error)
	IsSystemAdmin(ctx context.Context, userID string) (bool, error)
}

// Board opens the form of a new decision, prefilled: how a tool is
// proposed to the board. The decisions capability implements it.
type Board interface {
	OpenForm(ctx context.Context, req bot.Request, l bot.Lang, title, details string) error
}

// Advisor is the /tool capability. Build it with New.
type Advisor struct {
	kit       *commands.Kit
	catalogue bot.Catalogue
	tools     *bot.ToolFinder
	chat      Chat
	board     Board
	assistant bot.Assistant
	waitLLM   time.Duration
	now       func() time.Time
}

// Config is what an Advisor needs.
type Config struct {
	Kit       *commands.Kit
	Catalogue bot.Catalogue
	Chat      Chat
	Board     Board            // opens decisions; no "Propose" button without it
	Assistant bot.Assistant    // optional language model, nil for none
	WaitLLM   time.Duration    // how long /tool waits for the assistant; 4s when zero
	Now       func() time.Time // the clock; time.Now when nil
	// Finder is the search index of the catalogue, shared with the other
	// capabilities that search it (one copy in memory); a new one over
	// Catalogue when nil.
	Finder *bot.ToolFinder
}

// New returns the /tool capability.
func New(c Config) *Advisor {
	s := &Advisor{kit: c.Kit, catalogue: c.Catalogue, tools: c.Finder, chat: c.Chat, board: c.Board,
		assistant: c.Assistant, waitLLM: c.WaitLLM, now: c.Now}
	if s.tools == nil {
		s.tools = bot.NewToolFinder(c.Catalogue)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Register implements commands.Capability.
func (s *Advisor) Register(r *commands.Routes) {
	r.Command("tool", "help.tool", s.runTool, "tool", "outil")
	r.Dialog("tool", s.submitTool)
	r.Action("propose", s.clickPropose)
}

// Limits of a /tool answer.
const (
	toolCandidates      = 8               // what the assistant may choose among
	toolAnswers         = 3               // what the member reads
	toolAnswerFloor     = 0.45            // an answer scores at least this share of the best
	toolWaitLLM         = 4 * time.Second // then the plain ranking answers
	toolFeedbackShow    = 3               // feedback lines on a card
	toolListMax         = 40              // tools listed for one category
	toolGuessCategories = 2               // categories named by a guess
	toolGuessTools      = 2               // tools named per category by a guess
)

var toolVerbs = map[string]string{
	"show": "show", "fiche": "show", "voir": "show", "card": "show",
	"list": "list", "liste": "list", "categories": "list", "catégories": "list",
	"feedback": "feedback", "avis": "feedback",
	"add": "add", "ajouter": "add",
	"edit": "edit", "modifier": "edit",
	"help": "help", "aide": "help",
}

func (s *Advisor) runTool(ctx context.Context, in *commands.Input) (string, error) {
	ix, err := s.tools.Index(ctx, in.TeamID)
	if err != nil {
		return "", err
	}
	verb, rest := commands.Subcommand(in.Text)
	// A subcommand word is read as one only when what follows names what
	// it needs (a tool, a category); otherwise the member is telling a
	// need that happens to start with it: "modifier une affiche", "show
	// me how to share files", "avis sur les sondages".
	switch toolVerbs[verb] {
	case "help":
		if rest == "" {
			return s.kit.T(in.Lang, "tool.usage"), nil
		}
	case "show":
		if t := ix.Find(rest); t != nil {
			return s.toolCard(ctx, in, ix, t)
		}
		if rest == "" {
			return s.kit.T(in.Lang, "tool.usage"), nil
		}
		return s.searchOr(ctx, in, ix, rest)
	case "list":
		if rest == "" {
			return s.toolCategories(in.Lang, ix), nil
		}
		if c := ix.Category(rest); c != "" {
			return s.toolCategory(in.Lang, ix, c), nil
		}
	case "feedback":
		if t, text := toolNamedFirst(ix, rest); t != nil {
			return s.toolFeedback(ctx, in, ix, t, text)
		}
		if rest == "" || ix.Find(rest) != nil {
			return s.kit.T(in.Lang, "tool.feedback.usage"), nil
		}
	case "add":
		if rest == "" {
			return "", s.openToolDialog(ctx, in.Request, in.Lang, nil)
		}
	case "edit":
		if t := ix.Find(rest); t != nil {
			return "", s.openToolDialog(ctx, in.Request, in.Lang, t)
		}
		if rest != "" {
			return s.searchOr(ctx, in, ix, rest)
		}
	}
	if in.Text == "" {
		return s.kit.T(in.Lang, "tool.usage"), nil
	}
	return s.searchTools(ctx, in, ix)
}

// searchOr searches the whole text after a subcommand word whose rest
// named no tool; when the search finds nothing either and the rest is a
// word or two, the member most likely named a tool the catalogue lacks.
func (s *Advisor) searchOr(ctx context.Context, in *commands.Input, ix *bot.ToolIndex, rest string) (string, error) {
	if m := ix.Search(in.Text, in.Lang, 1); len(strings.Fields(rest)) <= 2 && (len(m) == 0 || m[0].Guess) {
		return "", bot.Errorf(bot.ENOTFOUND, "tool.error.not_found", "name", toolQuote(rest))
	}
	return s.searchTools(ctx, in, ix)
}

// toolNamedFirst finds the tool named by the longest run of first words
// of text, leaving at least one word after it: "Jitsi Meet works well by
// phone". Nil when no run names a tool.
func toolNamedFirst(ix *bot.ToolIndex, text string) (*bot.Tool, string) {
	words := strings.Fields(text)
	for n := len(words) - 1; n >= 1; n-- {
		if t := ix.Find(strings.Join(words[:n], " ")); t != nil {
			return t, strings.Join(words[n:], " ")
		}
	}
	return nil, ""
}

// searchTools answers a need with the best two or three free tools.
func (s *Advisor) searchTools(ctx context.Context, in *commands.Input, ix *bot.ToolIndex) (string, error) {
	matches := ix.Search(in.Text, in.Lang, toolCandidates)
	chosen := false
	if len(matches) == 0 || matches[0].Guess {
		matches, chosen = s.chooseCategories(ctx, in, ix, matches)
	}
	if len(matches) == 0 {
		return s.kit.T(in.Lang, "tool.none", "query", toolQuote(in.Text)), nil
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = m.Tool.ID
	}
	teams, err := s.catalogue.TeamsUsing(ctx, ids)
	if err != nil {
		return "", err
	}
	bot.Boost(matches, teams)
	if !chosen {
		matches = s.rerankTools(ctx, in, matches)
	}
	if matches[0].Guess && matches[0].Explained == "" {
		return s.toolGuess(in, matches), nil
	}
	lines := []string{s.kit.T(in.Lang, "tool.found", "query", toolQuote(in.Text))}
	for i, m := range matches {
		if i == toolAnswers || m.Explained == "" && (m.Score < toolAnswerFloor*matches[0].Score || m.Guess) {
			break // a guess does not follow answers that fit
		}
		lines = append(lines, s.toolAnswer(in.Lang, i+1, m, teams[m.Tool.ID]))
		in.Buttons = append(in.Buttons, s.proposeButton(in, m.Tool))
	}
	lines = append(lines, s.kit.T(in.Lang, "tool.found_next", "id", matches[0].Tool.ID))
	return strings.Join(lines, "\n"), nil
}

// chooseCategories lets the assistant, when there is one, choose the
// categories a need calls for when the plain ranking finds nothing that
// fits, and ranks the catalogue's tools within them. Without an answer in
// time, or when the need names a service no free tool replaces, the plain
// matches stand.
func (s *Advisor) chooseCategories(ctx context.Context, in *commands.Input, ix *bot.ToolIndex, matches []bot.ToolMatch) ([]bot.ToolMatch, bool) {
	if s.assistant == nil || ix.NamesUnreplaced(in.Text) {
		return matches, false
	}
	ctx, cancel := context.WithTimeout(ctx, s.llmWait())
	defer cancel()
	choices := make([]bot.CategoryChoice, len(bot.ToolCategories))
	for i, c := range bot.ToolCategories {
		choices[i] = bot.CategoryChoice{ID: c, Label: s.kit.T(in.Lang, "tool.category."+c)}
	}
	cats, err := s.assistant.Categorize(ctx, in.Text, in.Lang, choices)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("assistant chose no category: plain ranking")
		return matches, false
	}
	within := ix.RankWithin(in.Text, in.Lang, cats, toolAnswers)
	if len(within) == 0 {
		return matches, false
	}
	return within, true
}

func (s *Advisor) llmWait() time.Duration {
	if s.waitLLM <= 0 {
		return toolWaitLLM
	}
	return s.waitLLM
}

// toolGuess answers when only the words around the needs fit: the
// closest categories with their best tools, said to be a guess.
func (s *Advisor) toolGuess(in *commands.Input, matches []bot.ToolMatch) string {
	l := in.Lang
	var cats []string
	byCat := map[string][]string{}
	for _, m := range matches {
		c := m.Tool.Categories[0]
		if !slices.Contains(cats, c) {
			if len(cats) == toolGuessCategories {
				continue
			}
			cats = append(cats, c)
		}
		if len(byCat[c]) < toolGuessTools {
			byCat[c] = append(byCat[c], s.kit.T(l, "tool.guess.tool", "name", m.Tool.Name, "id", m.Tool.ID, "what", m.Tool.Description.In(l)))
		}
	}
	lines := []string{s.kit.T(l, "tool.guess", "query", toolQuote(in.Text))}
	for _, c := range cats {
		lines = append(lines, s.kit.T(l, "tool.guess.category", "label", s.kit.T(l, "tool.category."+c), "id", c))
		lines = append(lines, byCat[c]...)
	}
	lines = append(lines, s.kit.T(l, "tool.guess.next"))
	return strings.Join(lines, "\n")
}

// rerankTools lets the assistant, when there is one, reorder the
// candidates within its deadline; otherwise the plain ranking stands.
func (s *Advisor) rerankTools(ctx context.Context, in *commands.Input, matches []bot.ToolMatch) []bot.ToolMatch {
	if s.assistant == nil || len(matches) < 2 {
		return matches
	}
	ctx, cancel := context.WithTimeout(ctx, s.llmWait())
	defer cancel()
	tools := make([]*bot.Tool, len(matches))
	for i, m := range matches {
		tools[i] = m.Tool
	}
	picks, err := s.assistant.Rerank(ctx, in.Text, in.Lang, tools)
	if err != nil {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("assistant did not answer: plain ranking")
		return matches
	}
	return bot.ApplyPicks(matches, picks)
}

// toolAnswer renders one answer: the tool, why it fits, its licence,
// difficulty and local use.
func (s *Advisor) toolAnswer(l bot.Lang, n int, m bot.ToolMatch, teams int) string {
	t := m.Tool
	var why []string
	if m.Replaces != "" {
		why = append(why, s.kit.T(l, "tool.replaces", "service", m.Replaces))
	}
	switch {
	case m.Explained != "":
		why = append(why, m.Explained)
	case m.Need != "":
		why = append(why, s.kit.T(l, "tool.fits", "need", m.Need))
	case m.Category != "":
		why = append(why, s.kit.T(l, "tool.category."+m.Category))
	case len(t.Needs.In(l)) > 0:
		why = append(why, s.kit.T(l, "tool.fits", "need", t.Needs.In(l)[0]))
	}
	line := s.kit.T(l, "tool.answer", "n", n, "name", t.Name, "what", t.Description.In(l), "why", strings.Join(why, " · "),
		"license", t.License, "difficulty", s.toolDifficulty(l, t))
	if teams > 0 {
		line += " · " + s.kit.T(l, "tool.used_by", "count", teams)
	}
	if len(t.Hosts) > 0 {
		line += "\n    " + s.kit.T(l, "tool.hosted", "hosts", toolHosts(t.Hosts))
	}
	return line
}

func (s *Advisor) toolDifficulty(l bot.Lang, t *bot.Tool) string {
	return s.kit.T(l, "tool.difficulty", "users", s.kit.T(l, "tool.level."+string(rune('0'+t.UserDifficulty))),
		"admin", s.kit.T(l, "tool.level."+string(rune('0'+t.AdminDifficulty))))
}

// toolCard renders an entry in full, with what the team said of it. A
// proprietary entry points to its free alternatives.
func (s *Advisor) toolCard(ctx context.Context, in *commands.Input, ix *bot.ToolIndex, t *bot.Tool) (string, error) {
	l := in.Lang
	if !t.Free {
		var names []string
		for _, a := range ix.Alternatives(t.Name) {
			names = append(names, "**"+a.Name+"**")
		}
		if len(names) == 0 {
			return s.kit.T(l, "tool.card.proprietary_alone", "name", t.Name, "category", s.kit.T(l, "tool.category."+t.Categories[0])), nil
		}
		return s.kit.T(l, "tool.card.proprietary", "name", t.Name, "alternatives", strings.Join(names, ", "), "query", t.Name), nil
	}
	usage, err := s.catalogue.Usage(ctx, t.ID, in.TeamID, toolFeedbackShow)
	if err != nil {
		return "", err
	}
	var cats, hosting []string
	for _, c := range t.Categories {
		cats = append(cats, s.kit.T(l, "tool.category."+c))
	}
	for _, h := range t.Hosting {
		hosting = append(hosting, s.kit.T(l, "tool.hosting."+h))
	}
	mobile := s.kit.T(l, "tool.card.no")
	if t.Mobile {
		mobile = s.kit.T(l, "tool.card.yes")
	}
	lines := []string{
		s.kit.T(l, "tool.card.title", "name", t.Name, "license", t.License, "categories", strings.Join(cats, ", ")),
		t.Description.In(l),
	}
	if len(t.Replaces) > 0 {
		lines = append(lines, s.kit.T(l, "tool.card.replaces", "services", strings.Join(t.Replaces, ", ")))
	}
	lines = append(lines,
		s.kit.T(l, "tool.card.hosting", "hosting", strings.Join(hosting, ", ")),
		s.kit.T(l, "tool.card.cost", "cost", t.Cost.In(l)),
		s.kit.T(l, "tool.card.difficulty", "difficulty", s.toolDifficulty(l, t)),
		s.kit.T(l, "tool.card.mobile", "mobile", mobile),
		s.kit.T(l, "tool.card.links", "website", t.Website, "source", t.Source, "checked", t.Checked),
	)
	if len(t.Hosts) > 0 {
		lines = append(lines, s.kit.T(l, "tool.card.hosts", "hosts", toolHosts(t.Hosts)))
	}
	if usage.Teams > 0 {
		lines = append(lines, s.kit.T(l, "tool.card.used_by", "count", usage.Teams))
	}
	for _, f := range usage.Feedback {
		who := "?"
		if m, err := s.chat.Member(ctx, f.UserID); err == nil {
			who = m.Username
		}
		lines = append(lines, s.kit.T(l, "tool.card.feedback", "text", f.Text, "who", who, "date", f.CreatedAt.Format(time.DateOnly)))
	}
	lines = append(lines, s.kit.T(l, "tool.card.next", "id", t.ID))
	in.Buttons = append(in.Buttons, s.proposeButton(in, t))
	return strings.Join(lines, "\n"), nil
}

// toolCategories lists the categories with how many free tools each holds.
func (s *Advisor) toolCategories(l bot.Lang, ix *bot.ToolIndex) string {
	counts := ix.CategoryCounts()
	lines := []string{s.kit.T(l, "tool.list.title")}
	for _, c := range bot.ToolCategories {
		if counts[c] > 0 {
			lines = append(lines, s.kit.T(l, "tool.list.category", "label", s.kit.T(l, "tool.category."+c), "id", c, "count", counts[c]))
		}
	}
	lines = append(lines, s.kit.T(l, "tool.list.next"))
	return strings.Join(lines, "\n")
}

// toolCategory lists the free tools of a category.
func (s *Advisor) toolCategory(l bot.Lang, ix *bot.ToolIndex, c string) string {
	tools := ix.InCategory(c)
	lines := []string{s.kit.T(l, "tool.list.in", "label", s.kit.T(l, "tool.category."+c), "count", len(tools))}
	for i, t := range tools {
		if i == toolListMax {
			break
		}
		lines = append(lines, s.kit.T(l, "tool.list.tool", "name", t.Name, "id", t.ID, "description", t.Description.In(l)))
	}
	return strings.Join(lines, "\n")
}

// toolFeedback records what a member says of a tool: "/tool feedback
// Jitsi Meet works well by phone".
func (s *Advisor) toolFeedback(ctx context.Context, in *commands.Input, ix *bot.ToolIndex, t *bot.Tool, text string) (string, error) {
	if !t.Free {
		return s.toolCard(ctx, in, ix, t)
	}
	f, err := bot.NewFeedback(t.ID, in.Request, text)
	if err != nil {
		return "", err
	}
	if err := s.catalogue.AddFeedback(ctx, f); err != nil {
		return "", err
	}
	return s.kit.T(in.Lang, "tool.feedback.saved", "name", t.Name, "id", t.ID), nil
}

// toolHosts links the hosts offering a tool.
func toolHosts(hosts []bot.Host) string {
	var out []string
	for _, h := range hosts {
		out = append(out, "["+h.Name+"]("+h.URL+")")
	}
	return strings.Join(out, ", ")
}

// toolQuote renders what a member typed inside a reply, on one line, without
// markup that could break out of it.
func toolQuote(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len([]rune(s)) > 80 {
		s = string([]rune(s)[:80]) + "…"
	}
	return bot.Quiet(strings.NewReplacer("`", "'", "*", "", "_", " ", "[", "(", "]", ")").Replace(s))
}
