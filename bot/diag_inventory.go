package bot

import (
	"cmp"
	"slices"
)

// ToolSummary is one tool of the association's information system, as its
// users described it. Free texts carry no names and are sorted, so that
// their order says nothing of who wrote them.
type ToolSummary struct {
	Key         string
	ToolID      string // catalogue id, "" for a tool typed freely
	Name        string
	Category    string // the category most users gave
	Users       int
	Needs       []string
	Hows        []string
	Limits      []string
	Futures     map[Future]int
	Frequencies map[Frequency]int
	// Shadow is a tool some use that no board member listed, when board
	// members listed tools at all.
	Shadow bool
}

// Overlap is a need (a catalogue category) served by several tools.
type Overlap struct {
	Category string
	Tools    []string // names
}

// InformationSystem is the map of the tools the association uses: the
// dated map seed 000 describes.
type InformationSystem struct {
	Tools    []ToolSummary // most used first
	Overlaps []Overlap     // in ToolCategories order
}

// Inventory gathers the respondents' tool inventories.
func Inventory(sheets []*Sheet) InformationSystem {
	byKey := map[string]*ToolSummary{}
	categories := map[string]map[string]int{}
	boardListed := false
	byBoard := map[string]bool{}
	var order []string
	for _, s := range sheets {
		if s.Role == Board && len(s.Tools) > 0 {
			boardListed = true
		}
		for _, u := range s.Tools {
			k := u.Key()
			t, ok := byKey[k]
			if !ok {
				t = &ToolSummary{Key: k, ToolID: u.ToolID, Name: u.Name, Futures: map[Future]int{}, Frequencies: map[Frequency]int{}}
				byKey[k], categories[k] = t, map[string]int{}
				order = append(order, k)
			}
			t.Users++
			t.Needs, t.Hows, t.Limits = appendText(t.Needs, u.Need), appendText(t.Hows, u.How), appendText(t.Limits, u.Limits)
			if u.Future != "" {
				t.Futures[u.Future]++
			}
			if u.Frequency != "" {
				t.Frequencies[u.Frequency]++
			}
			if u.Category != "" {
				categories[k][u.Category]++
			}
			if s.Role == Board {
				byBoard[k] = true
			}
		}
	}
	var is InformationSystem
	perCategory := map[string][]string{}
	for _, k := range order {
		t := byKey[k]
		t.Category = mostGiven(categories[k])
		t.Shadow = boardListed && !byBoard[k]
		for _, list := range [][]string{t.Needs, t.Hows, t.Limits} {
			slices.Sort(list)
		}
		if t.Category != "" {
			perCategory[t.Category] = append(perCategory[t.Category], t.Name)
		}
		is.Tools = append(is.Tools, *t)
	}
	slices.SortStableFunc(is.Tools, func(a, b ToolSummary) int {
		return cmp.Or(cmp.Compare(b.Users, a.Users), cmp.Compare(a.Name, b.Name))
	})
	for _, c := range ToolCategories {
		if names := perCategory[c]; len(names) > 1 {
			slices.Sort(names)
			is.Overlaps = append(is.Overlaps, Overlap{Category: c, Tools: names})
		}
	}
	return is
}

func appendText(list []string, s string) []string {
	if s == "" {
		return list
	}
	return append(list, s)
}

// mostGiven is the category given most often, the first in ToolCategories
// among equals; "" when none was given.
func mostGiven(counts map[string]int) string {
	best := ""
	for _, c := range ToolCategories {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}
