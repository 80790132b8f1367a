package bot

import (
	"math"
	"slices"
	"sort"
	"strings"
)

// queryTerm finds what a word of the query stands for: itself, its
// synonyms, or when the index does not know it, the known words one or
// two letters away.
func (ix *ToolIndex) queryTerm(w string) queryTerm {
	var qt queryTerm
	add := func(id int32, weight float64, typo bool) {
		for i, a := range qt.alts {
			if a.term == id {
				if weight > a.w {
					qt.alts[i].w, qt.alts[i].typo = weight, typo
				}
				return
			}
		}
		qt.alts = append(qt.alts, termWeight{term: id, w: weight, typo: typo})
	}
	stems := queryStems(w)
	for _, s := range stems {
		if id, ok := ix.terms[s]; ok {
			add(id, 1, false)
		}
	}
	for _, syn := range toolSynonyms[stemToolWord(w)] {
		for _, s := range queryStems(syn) {
			if id, ok := ix.terms[s]; ok {
				add(id, synonymWeight, false)
			}
		}
	}
	if len(qt.alts) == 0 {
		for _, s := range stems {
			for _, a := range ix.typos(s) {
				add(a.term, a.w, true)
			}
		}
	}
	for _, a := range qt.alts {
		qt.mass = max(qt.mass, ix.idf[a.term])
	}
	if len(qt.alts) == 0 {
		// A word the catalogue does not know still counts, a little.
		qt.mass = 0.5 * math.Log(1+float64(len(ix.tools)))
	}
	return qt
}

// typos returns the known terms at most one letter away from w (two for
// long words), by a letter added, removed, changed or two swapped.
func (ix *ToolIndex) typos(w string) []termWeight {
	maxDist := 0
	switch {
	case len(w) >= 8:
		maxDist = 2
	case len(w) >= 4:
		maxDist = 1
	default:
		return nil
	}
	grams := toolTrigrams(w)
	shared := map[int32]int{}
	for _, g := range grams {
		for _, id := range ix.grams[g] {
			shared[id]++
		}
	}
	var out []termWeight
	need := len(grams) - 3*maxDist
	for id, n := range shared {
		t := ix.termText[id]
		if n < need || n == 0 || toolAbs(len(t)-len(w)) > maxDist {
			continue
		}
		switch d := toolEditDistance(w, t, maxDist); {
		case d == 1:
			out = append(out, termWeight{term: id, w: typoWeight1, typo: true})
		case d == 2 && maxDist == 2:
			out = append(out, termWeight{term: id, w: typoWeight2, typo: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].w != out[j].w {
			return out[i].w > out[j].w
		}
		return out[i].term < out[j].term
	})
	return out[:min(len(out), 4)]
}

// namedServices finds the services whose whole name the query holds, and
// marks their words as taken.
func (ix *ToolIndex) namedServices(q []queryTerm) []int32 {
	has := map[int32]int{} // term -> query word
	for i, qt := range q {
		for _, a := range qt.alts {
			if a.w == 1 || a.typo {
				has[a.term] = i
			}
		}
	}
	var named []int32
	for term := range has {
		for _, n := range ix.named[term] {
			if slices.Contains(named, n) {
				continue
			}
			all := true
			for _, t := range ix.services[n].terms {
				_, ok := has[t]
				all = all && ok
			}
			if all {
				named = append(named, n)
			}
		}
	}
	slices.Sort(named)
	for _, n := range named {
		for _, t := range ix.services[n].terms {
			q[has[t]].taken = true
		}
	}
	return named
}

func toolSharesCategory(a, b *Tool) bool {
	for _, c := range a.Categories {
		if slices.Contains(b.Categories, c) {
			return true
		}
	}
	return false
}

// withoutMentions drops @mentions from a query: they name people, not needs.
func withoutMentions(s string) string {
	fields := strings.Fields(s)
	kept := fields[:0]
	for _, f := range fields {
		if !strings.HasPrefix(f, "@") {
			kept = append(kept, f)
		}
	}
	return strings.Join(kept, " ")
}

func toolKey(s string) string { return strings.Join(toolWords(s), " ") }

func toolTrigrams(w string) []string {
	p := "^" + w + "$"
	var out []string
	for i := 0; i+3 <= len(p); i++ {
		out = append(out, p[i:i+3])
	}
	return out
}

// toolEditDistance is the optimal string alignment distance between a and b,
// or more than limit when it exceeds it.
func toolEditDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func toolAbs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
