package bot

import (
	"context"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Find returns the entry a member names by id or name, forgiving case,
// accents and a typo or two; nil when none or several are that close.
func (ix *ToolIndex) Find(name string) *Tool {
	key := toolKey(name)
	if key == "" {
		return nil
	}
	if ix.base == nil {
		if i, ok := ix.byKey[key]; ok {
			return ix.tools[i]
		}
		return ix.findNear(key)
	}
	// A team's own entry, then a shared one it did not replace; exact
	// names before near ones, and none when the two disagree.
	if i, ok := ix.byKey[key]; ok {
		return ix.tools[i]
	}
	if i, ok := ix.base.byKey[key]; ok {
		return ix.own(ix.base.tools[i])
	}
	own, shared := ix.findNear(key), ix.own(ix.base.findNear(key))
	switch {
	case own == nil:
		return shared
	case shared == nil || shared == own:
		return own
	}
	return nil
}

// own returns the team's entry standing in place of a shared one.
func (ix *ToolIndex) own(t *Tool) *Tool {
	if t == nil || !ix.hidden[t.ID] {
		return t
	}
	return ix.tools[ix.byKey[toolKey(t.ID)]]
}

// findNear finds an entry by the start of its name or one or two typos.
func (ix *ToolIndex) findNear(key string) *Tool {
	if t := ix.findByWord(key); t != nil {
		return t
	}
	if len(key) < 5 {
		return nil
	}
	limit := 1
	if len(key) >= 9 {
		limit = 2
	}
	found, best := -1, limit+1
	for k, i := range ix.byKey {
		if toolAbs(len(k)-len(key)) > limit {
			continue
		}
		switch d := toolEditDistance(key, k, limit); {
		case d < best:
			found, best = i, d
		case d == best && i != found:
			found = -2 // ambiguous at this distance
		}
	}
	if found < 0 {
		return nil
	}
	return ix.tools[found]
}

// findByWord returns the one entry whose name starts with key ("jitsi" for
// Jitsi Meet) or that lists key among its needs as a name ("garradin",
// Paheko's former name); nil when none or several.
func (ix *ToolIndex) findByWord(key string) *Tool {
	var found *Tool
	for _, t := range ix.tools {
		match := strings.HasPrefix(toolKey(t.Name)+" ", key+" ")
		for _, n := range append(t.Needs.FR, t.Needs.EN...) {
			match = match || toolKey(n) == key
		}
		if !match {
			continue
		}
		if found != nil && found != t {
			return nil
		}
		found = t
	}
	return found
}

// Alternatives returns the free tools that replace a service, by name.
func (ix *ToolIndex) Alternatives(service string) []*Tool {
	key := toolKey(service)
	var out []*Tool
	if ix.base != nil {
		for _, t := range ix.base.Alternatives(service) {
			if !ix.hidden[t.ID] {
				out = append(out, t)
			}
		}
	}
	for _, t := range ix.tools {
		if !t.Free {
			continue
		}
		for _, r := range t.Replaces {
			if toolKey(r) == key {
				out = append(out, t)
				break
			}
		}
	}
	return out
}

// Category returns the category a member names by its id or one of its
// words ("visio", "backup"), "" when none.
func (ix *ToolIndex) Category(name string) string {
	name = strings.TrimSpace(strings.ToLower(name))
	if slices.Contains(ToolCategories, name) {
		return name
	}
	terms := strings.Join(toolTerms(name), " ")
	if terms == "" {
		return ""
	}
	for _, c := range ToolCategories {
		if strings.Join(toolTerms(strings.ReplaceAll(c, "-", " ")), " ") == terms {
			return c
		}
		words := ix.vocabulary[c].Names
		for _, p := range append(slices.Clone(words.FR), words.EN...) {
			if strings.Join(toolTerms(p), " ") == terms {
				return c
			}
		}
	}
	return ""
}

// InCategory returns the free tools of a category, by name.
func (ix *ToolIndex) InCategory(category string) []*Tool {
	var out []*Tool
	if ix.base != nil {
		for _, t := range ix.base.InCategory(category) {
			if !ix.hidden[t.ID] {
				out = append(out, t)
			}
		}
	}
	for _, t := range ix.tools {
		if t.Free && slices.Contains(t.Categories, category) {
			out = append(out, t)
		}
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out
}

// CategoryCounts returns how many free tools each category holds.
func (ix *ToolIndex) CategoryCounts() map[string]int {
	counts := map[string]int{}
	if ix.base != nil {
		counts = ix.base.CategoryCounts()
		for _, t := range ix.base.tools {
			if t.Free && ix.hidden[t.ID] {
				for _, c := range t.Categories {
					counts[c]--
				}
			}
		}
	}
	for _, t := range ix.tools {
		if t.Free {
			for _, c := range t.Categories {
				counts[c]++
			}
		}
	}
	return counts
}

// ToolFinder keeps one search index of the shared catalogue, and for
// each team that added or edited entries, an overlay of them on it. An
// import rebuilds the shared index once; a team's edit rebuilds its small
// overlay only.
type ToolFinder struct {
	store      Catalogue
	mu         sync.Mutex
	vocabulary ToolVocabulary
	shared     versionedIndex            // at the shared version
	seen       int64                     // the catalogue version the shared one was read at
	teams      map[string]versionedIndex // by team id, at the catalogue version
}

type versionedIndex struct {
	version int64
	index   *ToolIndex
}

// NewToolFinder returns a finder over the catalogue.
func NewToolFinder(c Catalogue) *ToolFinder {
	return &ToolFinder{store: c, seen: -1, teams: map[string]versionedIndex{}}
}

// Index returns the index of the catalogue as the team sees it now.
func (f *ToolFinder) Index(ctx context.Context, teamID string) (*ToolIndex, error) {
	v, err := f.store.CatalogueVersion(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if vi, ok := f.teams[teamID]; ok && vi.version == v {
		return vi.index, nil
	}
	if f.vocabulary == nil {
		if f.vocabulary, err = f.store.Vocabulary(ctx); err != nil {
			return nil, err
		}
	}
	if f.seen != v {
		sv, err := f.store.SharedVersion(ctx)
		if err != nil {
			return nil, err
		}
		if f.shared.index == nil || f.shared.version != sv {
			tools, _, err := f.store.Tools(ctx, "")
			if err != nil {
				return nil, err
			}
			f.shared = versionedIndex{version: sv, index: NewToolIndex(tools, f.vocabulary)}
			clear(f.teams)
		}
		f.seen = v
	}
	own, err := f.store.TeamTools(ctx, teamID)
	if err != nil {
		return nil, err
	}
	ix := f.shared.index.WithOverlay(own)
	f.teams[teamID] = versionedIndex{version: v, index: ix}
	return ix, nil
}

// RankWithin answers a need within categories an assistant chose (ids
// among ToolCategories; others are ignored): the tools of those
// categories the plain ranking scored, best first, then the others of
// the categories, easier first. Only catalogue entries, never more than
// limit.
func (ix *ToolIndex) RankWithin(query string, lang Lang, categories []string, limit int) []ToolMatch {
	var cats []string
	for _, c := range categories {
		if slices.Contains(ToolCategories, c) && !slices.Contains(cats, c) && len(cats) < MaxChosenCategories {
			cats = append(cats, c)
		}
	}
	in := func(t *Tool) string {
		for _, c := range cats {
			if slices.Contains(t.Categories, c) {
				return c
			}
		}
		return ""
	}
	var out []ToolMatch
	seen := map[string]bool{}
	for _, m := range ix.Search(query, lang, 50) {
		if c := in(m.Tool); c != "" && len(out) < limit {
			m.Guess, m.Need, m.Category, m.Replaces = false, "", c, ""
			out = append(out, m)
			seen[m.Tool.ID] = true
		}
	}
	for _, c := range cats {
		rest := ix.InCategory(c)
		sort.SliceStable(rest, func(i, j int) bool { return rest[i].UserDifficulty < rest[j].UserDifficulty })
		for _, t := range rest {
			if len(out) < limit && !seen[t.ID] {
				out = append(out, ToolMatch{Tool: t, Category: c})
				seen[t.ID] = true
			}
		}
	}
	return out
}

// NamesUnreplaced tells whether a query names a proprietary service that
// no free tool of the catalogue replaces: then nothing is to be guessed.
func (ix *ToolIndex) NamesUnreplaced(query string) bool {
	for _, n := range ix.namedServices(ix.queryTerms(query)) {
		if len(ix.services[n].tools) == 0 && len(ix.Alternatives(ix.services[n].name)) == 0 {
			return true
		}
	}
	return ix.base != nil && ix.base.NamesUnreplaced(query)
}

// Boost raises a little the tools that teams of this server use, as their
// feedback says, and orders the matches again, guesses discounted.
func Boost(matches []ToolMatch, teams map[string]int) {
	for i := range matches {
		matches[i].Score *= 1 + 0.03*float64(min(teams[matches[i].Tool.ID], 5))
	}
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].rank() > matches[j].rank() })
}
