package bot

import (
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// ToolIndex finds the catalogue's free tools for a need said in a
// member's own words. It is built in memory from the entries and rebuilt
// when the catalogue changes; a search reads it without locks.
type ToolIndex struct {
	tools    []*Tool
	byKey    map[string]int // id and name, as folded words
	terms    map[string]int32
	termText []string
	idf      []float64
	postings [][]int32 // term -> phrases holding it
	phrases  []toolPhrase
	services []toolService
	named    [][]int32          // term -> services whose name holds it
	grams    map[string][]int32 // trigram -> terms, for typos
	scratch  sync.Pool          // of *searchScratch
}

type phraseKind uint8

const (
	needPhrase phraseKind = iota
	namePhrase
	categoryPhrase
)

// A toolPhrase is something a tool is searched by: a need, its name, the
// words of one of its categories.
type toolPhrase struct {
	tool     int32
	kind     phraseKind
	lang     Lang
	text     string // as written, for the answer's reason
	category string // for category phrases
	terms    []int32
	mass     float64 // sum of the terms' idf
}

// A toolService is a service that free tools replace, named as they say
// it ("Google Drive", "Doodle").
type toolService struct {
	name  string
	terms []int32
	tools []int32 // free tools replacing it
	entry int     // its own catalogue entry, -1 when it has none
}

// Weights of the ranking.
const (
	kindNeed, kindName, kindCategory = 1.0, 1.1, 0.7
	otherLang                        = 0.92 // a phrase in the other language
	synonymWeight                    = 0.85
	typoWeight1, typoWeight2         = 0.75, 0.6 // one or two letters wrong
	coverBonus                       = 0.25      // query words matched elsewhere in the tool
	phraseBonus                      = 0.01      // per need phrase matching most of the query
	replacesBoost                    = 1.0       // the tool replaces the service named
	sameCategoryBoost                = 0.1       // ... and shares its category
	minScore                         = 0.35
	maxQueryTerms                    = 12
)

// NewToolIndex indexes the tools. Entries that are not free are never
// returned by Search: they are only known as what free tools replace.
func NewToolIndex(tools []*Tool) *ToolIndex {
	ix := &ToolIndex{tools: tools, byKey: map[string]int{}, terms: map[string]int32{}, grams: map[string][]int32{}}
	serviceAt := map[string]int{}
	service := func(name string) int {
		key := toolKey(name)
		if i, ok := serviceAt[key]; ok {
			return i
		}
		var terms []int32
		for _, t := range toolTerms(name) {
			terms = append(terms, ix.intern(t))
		}
		ix.services = append(ix.services, toolService{name: name, terms: terms, entry: -1})
		serviceAt[key] = len(ix.services) - 1
		return len(ix.services) - 1
	}
	for i, t := range tools {
		ix.byKey[toolKey(t.ID)] = i
		ix.byKey[toolKey(t.Name)] = i
		if !t.Free {
			ix.services[service(t.Name)].entry = i
			continue
		}
		ix.addPhrase(i, namePhrase, "", t.Name, "")
		for _, l := range []Lang{French, English} {
			for _, p := range t.Needs.In(l) {
				ix.addPhrase(i, needPhrase, l, p, "")
			}
			for _, c := range t.Categories {
				for _, p := range toolCategoryWords[c].In(l) {
					ix.addPhrase(i, categoryPhrase, l, p, c)
				}
			}
		}
		for _, r := range t.Replaces {
			s := &ix.services[service(r)]
			if !slices.Contains(s.tools, int32(i)) {
				s.tools = append(s.tools, int32(i))
			}
		}
	}
	ix.weigh()
	ix.scratch.New = func() any { return newSearchScratch(len(ix.phrases), len(ix.tools)) }
	return ix
}

func (ix *ToolIndex) intern(term string) int32 {
	if id, ok := ix.terms[term]; ok {
		return id
	}
	id := int32(len(ix.termText))
	ix.terms[term] = id
	ix.termText = append(ix.termText, term)
	ix.postings = append(ix.postings, nil)
	ix.named = append(ix.named, nil)
	for _, g := range toolTrigrams(term) {
		ix.grams[g] = append(ix.grams[g], id)
	}
	return id
}

func (ix *ToolIndex) addPhrase(tool int, kind phraseKind, l Lang, text, category string) {
	p := toolPhrase{tool: int32(tool), kind: kind, lang: l, text: text, category: category}
	for _, t := range toolTerms(text) {
		id := ix.intern(t)
		if !slices.Contains(p.terms, id) {
			p.terms = append(p.terms, id)
		}
	}
	if len(p.terms) == 0 {
		return
	}
	n := int32(len(ix.phrases))
	ix.phrases = append(ix.phrases, p)
	for _, id := range p.terms {
		ix.postings[id] = append(ix.postings[id], n)
	}
}

// weigh computes each term's idf over the free tools, and each phrase's
// and service's mass.
func (ix *ToolIndex) weigh() {
	df := make([]int, len(ix.termText))
	free := 0
	for _, t := range ix.tools {
		if t.Free {
			free++
		}
	}
	for id, list := range ix.postings {
		last := int32(-1)
		for _, p := range list {
			if tool := ix.phrases[p].tool; tool != last {
				df[id]++
				last = tool
			}
		}
	}
	ix.idf = make([]float64, len(df))
	for id, n := range df {
		ix.idf[id] = math.Log(1 + float64(free+1)/float64(n+1))
	}
	for i := range ix.phrases {
		for _, t := range ix.phrases[i].terms {
			ix.phrases[i].mass += ix.idf[t]
		}
	}
	for i, s := range ix.services {
		for _, t := range s.terms {
			if !slices.Contains(ix.named[t], int32(i)) {
				ix.named[t] = append(ix.named[t], int32(i))
			}
		}
	}
}

// ToolMatch is a tool found for a need, with why it fits.
type ToolMatch struct {
	Tool      *Tool
	Score     float64
	Need      string // the need phrase that matched, in the member's language when one did
	Category  string // the category that matched, when no need did
	Replaces  string // the service the member named that this tool replaces
	Explained string // why it fits, as a language model said it, "" without one
}

// queryTerm is a word of the query with the index terms it stands for.
type queryTerm struct {
	alts  []termWeight
	mass  float64 // its idf, what it weighs in the query
	taken bool    // part of a service's name: not a need
}

type termWeight struct {
	term int32
	w    float64
	typo bool
}

// Search returns the best free tools for the need in query, at most
// limit, best first; none when nothing fits. lang is the member's
// language, whose phrases weigh a little more and give the reasons.
func (ix *ToolIndex) Search(query string, lang Lang, limit int) []ToolMatch {
	words := toolTerms(withoutMentions(query))
	var q []queryTerm
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] || len(q) == maxQueryTerms {
			continue
		}
		seen[w] = true
		q = append(q, ix.queryTerm(w))
	}
	if len(q) == 0 {
		return nil
	}
	named := ix.namedServices(q)
	var total, taken float64
	for _, qt := range q {
		if qt.taken {
			taken += qt.mass
		} else {
			total += qt.mass
		}
	}
	// Replacing the service named weighs as much as the service's name
	// weighs in the query: all of "alternative à Doodle", a third of
	// "réseaux sociaux pour quitter Facebook".
	boost := replacesBoost * taken / (taken + total)
	sc := ix.scratch.Get().(*searchScratch)
	defer ix.scratch.Put(sc)
	defer sc.reset()
	sc.words = len(q)
	if total > 0 {
		ix.scoreNeeds(q, total, lang, sc)
	}
	for _, n := range named {
		svc := ix.services[n]
		for _, tool := range svc.tools {
			s := sc.score(tool)
			if s.replaces == "" {
				s.replaces = svc.name
				s.bonus += boost
				if svc.entry >= 0 && toolSharesCategory(ix.tools[tool], ix.tools[svc.entry]) {
					s.bonus += sameCategoryBoost * boost
				}
			}
		}
	}
	var out []ToolMatch
	for k := range sc.scores {
		s := &sc.scores[k]
		total := s.best + s.bonus
		if s.best > 0 {
			total += coverBonus*(sc.covered(q, s)-s.bestCover) + phraseBonus*float64(min(s.needs, 6))
		}
		if total < minScore {
			continue
		}
		m := ToolMatch{Tool: ix.tools[s.tool], Score: total, Replaces: s.replaces}
		i := len(out)
		for i > 0 && better(m, out[i-1]) {
			i--
		}
		if i >= limit {
			continue
		}
		if r := s.reason(); r >= 0 {
			p := ix.phrases[r]
			switch p.kind {
			case needPhrase:
				m.Need = p.text
			case categoryPhrase:
				m.Category = p.category
			}
		}
		out = slices.Insert(out, i, m)
		if len(out) > limit {
			out = out[:limit]
		}
	}
	return out
}

// better orders matches: by score, then the easier for members, then by id.
func better(a, b ToolMatch) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.Tool.UserDifficulty != b.Tool.UserDifficulty {
		return a.Tool.UserDifficulty < b.Tool.UserDifficulty
	}
	return a.Tool.ID < b.Tool.ID
}

// searchScratch is the working memory of one search, kept in a pool: a
// search touches a small part of a big index, and clears only that part.
type searchScratch struct {
	words    int       // query words
	phraseAt []int32   // phrase -> 1 + its place in hits, 0 when not hit
	hits     []int32   // phrases hit
	weights  []float64 // per phrase hit, per query word: the best weight it matched
	toolAt   []int32   // tool -> 1 + its place in scores
	scores   []toolScore
	cover    []float64 // per tool scored, per query word: the best weight it matched in the tool
}

func newSearchScratch(phrases, tools int) *searchScratch {
	return &searchScratch{phraseAt: make([]int32, phrases), toolAt: make([]int32, tools)}
}

func (sc *searchScratch) reset() {
	for _, p := range sc.hits {
		sc.phraseAt[p] = 0
	}
	for _, s := range sc.scores {
		sc.toolAt[s.tool] = 0
	}
	sc.hits, sc.weights, sc.scores, sc.cover = sc.hits[:0], sc.weights[:0], sc.scores[:0], sc.cover[:0]
}

// score returns the score of a tool, new when the search had not met it.
func (sc *searchScratch) score(tool int32) *toolScore {
	if at := sc.toolAt[tool]; at > 0 {
		return &sc.scores[at-1]
	}
	sc.scores = append(sc.scores, toolScore{tool: tool, cover: len(sc.cover), bestPhrase: -1, bestInLang: -1})
	sc.cover = append(sc.cover, make([]float64, sc.words)...)
	sc.toolAt[tool] = int32(len(sc.scores))
	return &sc.scores[len(sc.scores)-1]
}

// covered is how much of the query (its words that are needs) the tool
// matched, all phrases together.
func (sc *searchScratch) covered(q []queryTerm, s *toolScore) float64 {
	var got, total float64
	for i, qt := range q {
		if !qt.taken {
			got += qt.mass * sc.cover[s.cover+i]
			total += qt.mass
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// toolScore gathers what a search found about one tool.
type toolScore struct {
	tool            int32
	best, bestCover float64 // the best phrase's score and query cover
	bestPhrase      int32   // -1 when none
	bestInLang      int32   // the best phrase in the member's language, -1 when none
	bestInLangScore float64
	cover           int // where its cover starts in searchScratch.cover
	bonus           float64
	replaces        string
	needs           int // need phrases that matched: the more, the closer the tool is to the need
}

// reason returns the phrase that explains the match: the best one in the
// member's language when it is nearly as good as the best.
func (s *toolScore) reason() int32 {
	if s.best == 0 {
		return -1
	}
	if s.bestInLang >= 0 && s.bestInLangScore >= 0.8*s.best {
		return s.bestInLang
	}
	return s.bestPhrase
}

// scoreNeeds scores every phrase that holds a word of the query: how much
// of the query it covers, weighted by idf, times how much of the phrase
// the query covers.
func (ix *ToolIndex) scoreNeeds(q []queryTerm, total float64, lang Lang, sc *searchScratch) {
	var alts []termWeight // every term the query stands for, with its best weight
	for i, qt := range q {
		if qt.taken {
			continue
		}
		for _, a := range qt.alts {
			if j := slices.IndexFunc(alts, func(b termWeight) bool { return b.term == a.term }); j >= 0 {
				alts[j].w = max(alts[j].w, a.w)
			} else {
				alts = append(alts, a)
			}
			for _, p := range ix.postings[a.term] {
				at := sc.phraseAt[p]
				if at == 0 {
					sc.hits = append(sc.hits, p)
					sc.weights = append(sc.weights, make([]float64, sc.words)...)
					at = int32(len(sc.hits))
					sc.phraseAt[p] = at
				}
				w := &sc.weights[int(at-1)*sc.words+i]
				*w = max(*w, a.w)
			}
		}
	}
	for k, p := range sc.hits {
		ph := &ix.phrases[p]
		weights := sc.weights[k*sc.words : (k+1)*sc.words]
		var qCover, pCover float64
		for i, w := range weights {
			qCover += q[i].mass * w
		}
		for _, t := range ph.terms {
			for _, a := range alts {
				if a.term == t {
					pCover += ix.idf[t] * a.w
					break
				}
			}
		}
		qCover /= total
		pCover /= ph.mass
		v := qCover * (0.5 + 0.5*pCover)
		switch ph.kind {
		case needPhrase:
			v *= kindNeed
		case namePhrase:
			v *= kindName
		case categoryPhrase:
			v *= kindCategory
		}
		if ph.lang != "" && ph.lang != lang {
			v *= otherLang
		}
		s := sc.score(ph.tool)
		if ph.kind == needPhrase && qCover >= 0.5 {
			s.needs++
		}
		if v > s.best {
			s.best, s.bestCover, s.bestPhrase = v, qCover, p
		}
		if (ph.lang == lang || ph.lang == "") && ph.kind != namePhrase && v > s.bestInLangScore {
			s.bestInLang, s.bestInLangScore = p, v
		}
		cover := sc.cover[s.cover : s.cover+sc.words]
		for i, w := range weights {
			cover[i] = max(cover[i], w)
		}
	}
}

// queryTerm finds what a word of the query stands for: itself, its
// synonyms, or when the index does not know it, the known words one or
// two letters away.
func (ix *ToolIndex) queryTerm(w string) queryTerm {
	var qt queryTerm
	if id, ok := ix.terms[w]; ok {
		qt.alts = append(qt.alts, termWeight{term: id, w: 1})
		qt.mass = ix.idf[id]
	}
	for _, syn := range toolSynonyms[w] {
		if id, ok := ix.terms[syn]; ok {
			qt.alts = append(qt.alts, termWeight{term: id, w: synonymWeight})
			qt.mass = max(qt.mass, ix.idf[id])
		}
	}
	if len(qt.alts) == 0 {
		qt.alts = ix.typos(w)
		for _, a := range qt.alts {
			qt.mass = max(qt.mass, ix.idf[a.term])
		}
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
