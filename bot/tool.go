package bot

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Tool is an entry of the catalogue: a free tool an association may adopt,
// or a proprietary service people want to leave (Free false), which is
// only ever named as what free tools replace. Its JSON form is the
// catalogue's data file format.
type Tool struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Categories      []string `json:"categories"`
	Needs           Phrases  `json:"needs"`
	Description     Text     `json:"description"`
	License         string   `json:"license"` // SPDX expression or LicenseRef-...
	Free            bool     `json:"free"`
	Replaces        []string `json:"replaces"` // names of the services it replaces
	Hosting         []string `json:"hosting"`  // subset of Hostings
	Cost            Text     `json:"cost"`
	UserDifficulty  int      `json:"user_difficulty"`  // 1 easy .. 3 hard, for its users
	AdminDifficulty int      `json:"admin_difficulty"` // 1 easy .. 3 hard, for whoever installs it
	Mobile          bool     `json:"mobile"`
	Website         string   `json:"website"`
	Source          string   `json:"source"`          // where its facts come from
	Checked         string   `json:"checked"`         // when they were checked, YYYY-MM-DD
	Hosts           []Host   `json:"hosts,omitempty"` // ethical hosts offering it, to use it without installing
}

// Host is an ethical host (a member of the CHATONS collective, a
// non-profit...) offering a tool as a service, with where that fact comes
// from and when it was checked.
type Host struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Source  string `json:"source"`
	Checked string `json:"checked"` // YYYY-MM-DD
}

// Phrases are words and phrases in French and English.
type Phrases struct {
	FR []string `json:"fr"`
	EN []string `json:"en"`
}

// Text is a short text in French and English.
type Text struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// In returns the text in language l, the other one when it is empty.
func (t Text) In(l Lang) string {
	if l == English && t.EN != "" || t.FR == "" {
		return t.EN
	}
	return t.FR
}

// In returns the phrases of language l.
func (p Phrases) In(l Lang) []string {
	if l == English {
		return p.EN
	}
	return p.FR
}

// ToolCategories are the catalogue's categories, in the order /tool list
// shows them.
var ToolCategories = []string{
	"files", "writing", "office", "chat", "mailing-lists", "video-meetings", "scheduling", "voting",
	"project-boards", "wiki", "newsletters", "website", "social-networks", "events", "maps",
	"members-accounting", "crm", "forms", "design", "video-editing", "audio", "passwords", "backups",
	"self-hosting", "desktop",
}

// Hostings are the ways a tool can be hosted.
var Hostings = []string{"self-hosted", "ethical-host", "editor-saas"}

// Limits on what a catalogue entry may hold.
const (
	MaxToolID       = 40
	MaxToolName     = 60
	MaxToolPhrase   = 80
	MaxToolPhrases  = 40
	MaxToolText     = 400
	MaxToolURL      = 300
	MaxFeedback     = 500
	MaxToolReplaces = 20
	MaxToolHosts    = 10
)

var (
	toolIDPattern      = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	toolLicensePattern = regexp.MustCompile(`^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*)$`)
	toolDatePattern    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// Validate checks an entry and returns an EINVALID error saying what to
// fix, with the name of the field at fault (its JSON name). It trims
// spaces and drops empty phrases.
func (t *Tool) Validate() (field string, err error) {
	t.ID = strings.TrimSpace(t.ID)
	t.Name = strings.TrimSpace(t.Name)
	t.License = strings.TrimSpace(t.License)
	t.Website = strings.TrimSpace(t.Website)
	t.Source = strings.TrimSpace(t.Source)
	t.Checked = strings.TrimSpace(t.Checked)
	t.Categories = trimList(t.Categories)
	t.Replaces = trimList(t.Replaces)
	t.Hosting = trimList(t.Hosting)
	t.Needs.FR, t.Needs.EN = trimList(t.Needs.FR), trimList(t.Needs.EN)
	for _, s := range []*string{&t.Description.FR, &t.Description.EN, &t.Cost.FR, &t.Cost.EN} {
		*s = strings.TrimSpace(*s)
	}
	switch {
	case !toolIDPattern.MatchString(t.ID) || len(t.ID) > MaxToolID:
		return "id", Errorf(EINVALID, "tool.error.id", "max", MaxToolID)
	case t.Name == "" || utf8.RuneCountInString(t.Name) > MaxToolName:
		return "name", Errorf(EINVALID, "tool.error.name", "max", MaxToolName)
	case len(t.Categories) == 0:
		return "categories", Errorf(EINVALID, "tool.error.categories_empty")
	}
	for _, c := range t.Categories {
		if !slices.Contains(ToolCategories, c) {
			return "categories", Errorf(EINVALID, "tool.error.category", "category", c, "known", strings.Join(ToolCategories, ", "))
		}
	}
	for _, f := range []struct {
		name string
		list []string
	}{{"needs_fr", t.Needs.FR}, {"needs_en", t.Needs.EN}} {
		if len(f.list) == 0 || len(f.list) > MaxToolPhrases {
			return f.name, Errorf(EINVALID, "tool.error.needs", "max", MaxToolPhrases)
		}
		for _, p := range f.list {
			if utf8.RuneCountInString(p) > MaxToolPhrase {
				return f.name, Errorf(EINVALID, "tool.error.phrase_long", "phrase", p, "max", MaxToolPhrase)
			}
		}
	}
	for _, f := range []struct{ name, text string }{
		{"description_fr", t.Description.FR}, {"description_en", t.Description.EN},
		{"cost_fr", t.Cost.FR}, {"cost_en", t.Cost.EN},
	} {
		if f.text == "" || utf8.RuneCountInString(f.text) > MaxToolText {
			return f.name, Errorf(EINVALID, "tool.error.text", "max", MaxToolText)
		}
		if WholeChannelMention(f.text) {
			return f.name, Errorf(EINVALID, "tool.error.mention")
		}
	}
	switch {
	case !toolLicensePattern.MatchString(t.License):
		return "license", Errorf(EINVALID, "tool.error.license")
	case t.Free && strings.HasPrefix(t.License, "LicenseRef-Proprietary"):
		return "free", Errorf(EINVALID, "tool.error.free_proprietary")
	case !t.Free && !strings.HasPrefix(t.License, "LicenseRef-"):
		return "free", Errorf(EINVALID, "tool.error.proprietary_free_licence", "license", t.License)
	case len(t.Replaces) > MaxToolReplaces:
		return "replaces", Errorf(EINVALID, "tool.error.replaces", "max", MaxToolReplaces)
	case len(t.Hosting) == 0:
		return "hosting", Errorf(EINVALID, "tool.error.hosting", "known", strings.Join(Hostings, ", "))
	}
	for _, r := range t.Replaces {
		if utf8.RuneCountInString(r) > MaxToolName {
			return "replaces", Errorf(EINVALID, "tool.error.replaces", "max", MaxToolReplaces)
		}
	}
	for _, h := range t.Hosting {
		if !slices.Contains(Hostings, h) {
			return "hosting", Errorf(EINVALID, "tool.error.hosting", "known", strings.Join(Hostings, ", "))
		}
	}
	switch {
	case t.UserDifficulty < 1 || t.UserDifficulty > 3:
		return "user_difficulty", Errorf(EINVALID, "tool.error.difficulty")
	case t.AdminDifficulty < 1 || t.AdminDifficulty > 3:
		return "admin_difficulty", Errorf(EINVALID, "tool.error.difficulty")
	case !webAddress(t.Website):
		return "website", Errorf(EINVALID, "tool.error.url")
	case t.Source == "" || utf8.RuneCountInString(t.Source) > MaxToolURL:
		return "source", Errorf(EINVALID, "tool.error.source", "max", MaxToolURL)
	}
	if !validDate(t.Checked) {
		return "checked", Errorf(EINVALID, "tool.error.checked")
	}
	if len(t.Hosts) > MaxToolHosts {
		return "hosts", Errorf(EINVALID, "tool.error.hosts", "max", MaxToolHosts)
	}
	for i := range t.Hosts {
		h := &t.Hosts[i]
		h.Name, h.URL = strings.TrimSpace(h.Name), strings.TrimSpace(h.URL)
		h.Source, h.Checked = strings.TrimSpace(h.Source), strings.TrimSpace(h.Checked)
		if h.Name == "" || utf8.RuneCountInString(h.Name) > MaxToolName || strings.ContainsAny(h.Name, ";|") ||
			!webAddress(h.URL) || h.Source == "" || utf8.RuneCountInString(h.Source) > MaxToolURL ||
			strings.ContainsAny(h.Source, ";|") || !validDate(h.Checked) {
			return "hosts", Errorf(EINVALID, "tool.error.host", "name", h.Name)
		}
	}
	return "", nil
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil && toolDatePattern.MatchString(s)
}

func webAddress(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) &&
		len(s) > len("https://") && len(s) <= MaxToolURL && !strings.ContainsAny(s, " \t\n")
}

func trimList(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Feedback is a member's experience of a tool, recorded for their team.
type Feedback struct {
	ToolID    string
	TeamID    string
	UserID    string
	Text      string
	CreatedAt time.Time
}

// NewFeedback returns a member's feedback, trimmed and quieted so that it
// never notifies a whole channel. EINVALID when empty or too long.
func NewFeedback(toolID string, req Request, text string) (Feedback, error) {
	text = strings.Join(strings.Fields(text), " ")
	switch {
	case text == "":
		return Feedback{}, Errorf(EINVALID, "tool.error.feedback_empty")
	case utf8.RuneCountInString(text) > MaxFeedback:
		return Feedback{}, Errorf(EINVALID, "tool.error.feedback_long", "max", MaxFeedback)
	}
	return Feedback{ToolID: toolID, TeamID: req.TeamID, UserID: req.UserID, Text: Quiet(text)}, nil
}

// Usage is what is known of a tool's local use.
type Usage struct {
	Teams    int        // how many teams of this server gave feedback
	Feedback []Feedback // the asking team's own feedback, newest first
}

// Catalogue keeps the tools and the feedback that each team gives. The
// server's catalogue (shipped, or imported from the terminal) is shared by
// every team; a team's admins add and edit entries for their own team
// only, which stand in place of the shared ones for that team. Teams are
// named by id, "" being the shared catalogue alone. Methods return wrapped
// errors for failures of the database.
type Catalogue interface {
	// CatalogueVersion changes whenever an entry is added or changed, by
	// this process or another (an import from the terminal). Called before
	// each search to know whether the index must be rebuilt.
	CatalogueVersion(ctx context.Context) (int64, error)
	// Vocabulary returns the words of each category and the situations
	// that call for it. Called once, to build the search index.
	Vocabulary(ctx context.Context) (ToolVocabulary, error)
	// SharedVersion changes whenever a shared entry is added or changed
	// (an upgrade, an import from the terminal), not when a team edits its
	// own. Called when CatalogueVersion changed, to know whether the shared
	// index must be rebuilt.
	SharedVersion(ctx context.Context) (int64, error)
	// TeamTools returns the entries a team added or edited, which stand in
	// place of the shared ones with the same id for that team, ordered by
	// id. Called to build the team's overlay on the shared index.
	TeamTools(ctx context.Context, teamID string) ([]*Tool, error)
	// Tools returns every entry a team sees, free or not, ordered by id,
	// with the version they are at. Called to build a team's search index,
	// and by export with teamID "".
	Tools(ctx context.Context, teamID string) ([]*Tool, int64, error)
	// Tool returns an entry a team sees, by id; ENOTFOUND when there is
	// none. Called by /tool edit, to tell a real change from a form saved
	// as it was.
	Tool(ctx context.Context, teamID, id string) (*Tool, error)
	// AddTool stores a new entry made by a team's administrator, for that
	// team; ECONFLICT when the team already sees that id. Called by /tool add.
	AddTool(ctx context.Context, teamID string, t *Tool) error
	// EditTool replaces an entry for a team, marking it edited locally so
	// that an upgrade of Balise never overwrites it; other teams keep
	// seeing the shared entry. ENOTFOUND when the team sees no such id.
	// Called by /tool edit.
	EditTool(ctx context.Context, teamID string, t *Tool) error
	// AddFeedback records a member's feedback; ENOTFOUND when the team
	// sees no such tool. Called by /tool feedback.
	AddFeedback(ctx context.Context, f Feedback) error
	// Usage returns how many teams gave feedback about a tool, and the
	// feedback of team teamID, at most limit of them, newest first: a team
	// never reads another's words. Called by /tool show.
	Usage(ctx context.Context, toolID, teamID string, limit int) (Usage, error)
	// TeamsUsing returns, for each of ids, how many teams gave feedback.
	// Called to rank and annotate the answers of /tool.
	TeamsUsing(ctx context.Context, ids []string) (map[string]int, error)
}

// ToolID returns the id of a new entry named name: "Jitsi Meet" gives
// "jitsi-meet".
func ToolID(name string) string {
	id := strings.Join(toolWords(name), "-")
	if len(id) > MaxToolID {
		id = strings.TrimRight(id[:MaxToolID], "-")
	}
	return id
}
