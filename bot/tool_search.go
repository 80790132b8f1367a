package bot

import (
	"slices"
	"sort"
)

// ToolMatch is a tool found for a need, with why it fits.
type ToolMatch struct {
	Tool      *Tool
	Score     float64
	Need      string // the need phrase that matched, in the member's language when one did
	Category  string // the category that matched, when no need did
	Replaces  string // the service the member named that this tool replaces
	Explained string // why it fits, as a language model said it, "" without one
	Guess     bool   // no need phrase nor replaced service fits: only the words around them do
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
	out := ix.search(query, lang, limit)
	if ix.base == nil {
		return out
	}
	for _, m := range ix.base.search(query, lang, limit+len(ix.hidden)) {
		if !ix.hidden[m.Tool.ID] {
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return better(out[i], out[j]) })
	return out[:min(len(out), limit)]
}

func (ix *ToolIndex) search(query string, lang Lang, limit int) []ToolMatch {
	q := ix.queryTerms(query)
	if len(q) == 0 {
		return nil
	}
	named := ix.namedServices(q)
	// Past the first words, only the services named count: a long
	// sentence's need is in its first words, but "…, we use Zoom" names
	// what to replace wherever it stands.
	for i := len(q) - 1; i >= maxQueryTerms; i-- {
		if !q[i].taken {
			q = slices.Delete(q, i, i+1)
		}
	}
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
	// A service named inside a long sentence still says what the member
	// wants to leave: its replacements weigh at least half as much as
	// when it is all the question.
	boost := replacesBoost * max(taken/(taken+total), replacesFloor)
	sc := ix.scratch.Get().(*searchScratch)
	defer ix.scratch.Put(sc)
	defer sc.reset()
	sc.words = len(q)
	if total > 0 {
		ix.scoreNeeds(q, total, lang, sc)
		sc.idf = append(sc.idf, make([]float64, len(q))...)
		ix.scoreBM25(q, sc)
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
		// A tool no need phrase nor service fits is only a guess, from
		// the words of its fields and its categories' situations.
		guess := total < minScore && s.replaces == ""
		total += bm25Weight * s.bm25
		if total < minScore || guess && !grounded(q, sc, s) {
			continue
		}
		m := ToolMatch{Tool: ix.tools[s.tool], Score: total, Replaces: s.replaces, Guess: guess}
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

// queryTerms are the words of a query that may name a need or a service,
// each once: its first maxQueryTerms words are read in full (synonyms,
// typos), the others only for the services they name, as written or
// stemmed.
func (ix *ToolIndex) queryTerms(query string) []queryTerm {
	var q []queryTerm
	seen := map[string]bool{}
	for _, w := range toolWords(withoutMentions(query)) {
		if toolStopwords[w] || seen[stemToolWord(w)] || len(q) == maxServiceWords {
			continue
		}
		seen[stemToolWord(w)] = true
		if len(q) < maxQueryTerms {
			q = append(q, ix.queryTerm(w))
		} else {
			q = append(q, ix.serviceTerm(w))
		}
	}
	return q
}

// serviceTerm is a word of the query past its first words, read only for
// the services whose names hold it, as written or with a typo.
func (ix *ToolIndex) serviceTerm(w string) queryTerm {
	var qt queryTerm
	known := false
	stems := queryStems(w)
	for _, s := range stems {
		id, ok := ix.terms[s]
		known = known || ok
		if ok && len(ix.named[id]) > 0 {
			qt.alts = append(qt.alts, termWeight{term: id, w: 1})
		}
	}
	if !known {
		for _, s := range stems {
			for _, a := range ix.typos(s) {
				if len(ix.named[a.term]) > 0 && !slices.ContainsFunc(qt.alts, func(b termWeight) bool { return b.term == a.term }) {
					qt.alts = append(qt.alts, a)
				}
			}
		}
	}
	for _, a := range qt.alts {
		qt.mass = max(qt.mass, ix.idf[a.term])
	}
	return qt
}

// rank is what orders a match: its score, a guess's discounted so that
// it comes after what fits unless that fits only weakly and the guess is
// much stronger (its words weigh several times more in the tool's fields).
func (m ToolMatch) rank() float64 {
	if m.Guess {
		return m.Score * guessDiscount
	}
	return m.Score
}

// better orders matches: by rank, what fits before guesses, then the easier for members, then by id.
func better(a, b ToolMatch) bool {
	if ka, kb := a.rank(), b.rank(); ka != kb {
		return ka > kb
	}
	if a.Guess != b.Guess {
		return !a.Guess
	}
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
	// BM25F, per tool scored and query word: the weighted term frequency
	// in the tool's fields, in its categories' vocabulary, and of the
	// alternative being read; per query word, its idf.
	tf, catTF, altTF []float64
	// Per tool scored and query word: matched as written (not only
	// through a typo), and so in the tool's own fields.
	exact, ownExact []bool
	touched         []int32
	idf             []float64
	termW           []float64 // term -> the best weight the query gives it
	terms           []int32   // terms given a weight
}

func newSearchScratch(phrases, tools, terms int) *searchScratch {
	return &searchScratch{phraseAt: make([]int32, phrases), toolAt: make([]int32, tools), termW: make([]float64, terms)}
}

func (sc *searchScratch) reset() {
	for _, p := range sc.hits {
		sc.phraseAt[p] = 0
	}
	for _, s := range sc.scores {
		sc.toolAt[s.tool] = 0
	}
	sc.hits, sc.weights, sc.scores, sc.cover = sc.hits[:0], sc.weights[:0], sc.scores[:0], sc.cover[:0]
	sc.tf, sc.catTF, sc.altTF, sc.idf = sc.tf[:0], sc.catTF[:0], sc.altTF[:0], sc.idf[:0]
	sc.exact, sc.ownExact = sc.exact[:0], sc.ownExact[:0]
}

// score returns the score of a tool, new when the search had not met it.
func (sc *searchScratch) score(tool int32) *toolScore {
	if at := sc.toolAt[tool]; at > 0 {
		return &sc.scores[at-1]
	}
	sc.scores = append(sc.scores, toolScore{tool: tool, cover: len(sc.cover), bestPhrase: -1, bestInLang: -1})
	sc.cover = append(sc.cover, make([]float64, sc.words)...)
	sc.tf = append(sc.tf, make([]float64, sc.words)...)
	sc.catTF = append(sc.catTF, make([]float64, sc.words)...)
	sc.altTF = append(sc.altTF, make([]float64, sc.words)...)
	sc.exact = append(sc.exact, make([]bool, sc.words)...)
	sc.ownExact = append(sc.ownExact, make([]bool, sc.words)...)
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
	needs           int     // need phrases that matched: the more, the closer the tool is to the need
	bm25            float64 // its BM25F score
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
	// Every term the query stands for, with its best weight.
	defer func() {
		for _, t := range sc.terms {
			sc.termW[t] = 0
		}
		sc.terms = sc.terms[:0]
	}()
	for i, qt := range q {
		if qt.taken {
			continue
		}
		for _, a := range qt.alts {
			if sc.termW[a.term] == 0 {
				sc.terms = append(sc.terms, a.term)
			}
			sc.termW[a.term] = max(sc.termW[a.term], a.w)
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
			pCover += ix.idf[t] * sc.termW[t]
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
