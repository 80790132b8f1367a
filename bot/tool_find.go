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
	if i, ok := ix.byKey[key]; ok {
		return ix.tools[i]
	}
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
	for _, t := range ix.tools {
		if t.Free {
			for _, c := range t.Categories {
				counts[c]++
			}
		}
	}
	return counts
}

// ToolFinder keeps each team's search index, rebuilding it when the
// catalogue's version changes, whoever changed it.
type ToolFinder struct {
	store      Catalogue
	vocabulary ToolVocabulary
	mu         sync.Mutex
	indexes    map[string]versionedIndex // by team id
}

type versionedIndex struct {
	version int64
	index   *ToolIndex
}

// NewToolFinder returns a finder over the catalogue.
func NewToolFinder(c Catalogue) *ToolFinder {
	return &ToolFinder{store: c, indexes: map[string]versionedIndex{}}
}

// Index returns the index of the catalogue as the team sees it now.
func (f *ToolFinder) Index(ctx context.Context, teamID string) (*ToolIndex, error) {
	v, err := f.store.CatalogueVersion(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if vi, ok := f.indexes[teamID]; ok && vi.version == v {
		return vi.index, nil
	}
	if f.vocabulary == nil {
		if f.vocabulary, err = f.store.Vocabulary(ctx); err != nil {
			return nil, err
		}
	}
	tools, v, err := f.store.Tools(ctx, teamID)
	if err != nil {
		return nil, err
	}
	ix := NewToolIndex(tools, f.vocabulary)
	f.indexes[teamID] = versionedIndex{version: v, index: ix}
	return ix, nil
}

// Boost raises a little the tools that teams of this server use, as their
// feedback says, and orders the matches again.
func Boost(matches []ToolMatch, teams map[string]int) {
	for i := range matches {
		matches[i].Score *= 1 + 0.03*float64(min(teams[matches[i].Tool.ID], 5))
	}
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].Score > matches[j].Score })
}
