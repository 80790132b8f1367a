package bot

import "math"

// The second ranking of the index is BM25F (Robertson and Zaragoza, "The
// Probabilistic Relevance Framework: BM25 and Beyond", 2009): each free
// tool is a document whose fields weigh differently, and a query scores
// the sum over its words, so that a long sentence is not diluted by the
// words that name no need. A category's names and situations are one
// more field, shared by the tools of the category.

type toolField uint8

const (
	fieldNeeds toolField = iota
	fieldName
	fieldReplaces
	fieldDescription
	fieldCategory
	toolFields
)

// Weights and parameters of BM25F.
var fieldWeight = [toolFields]float64{fieldNeeds: 1, fieldName: 2, fieldReplaces: 1.5, fieldDescription: 0.35, fieldCategory: 0.6}

const (
	bm25K1 = 1.2
	bm25B  = 0.6
	// A category's vocabulary is a list of alternative phrases: a richer
	// one is not more verbose, so its length does not dilute its words.
	bm25BCategory = 0
)

// fieldPosting says a field of a tool holds a term, so many times.
type fieldPosting struct {
	tool  int32
	field toolField
	tf    uint16
}

// categoryPosting says a category's vocabulary holds a term.
type categoryPosting struct {
	category uint8
	tf       uint16
}

// bm25Index is the part of the index BM25F reads.
type bm25Index struct {
	fields     [][]fieldPosting    // term -> fields holding it
	categories [][]categoryPosting // term -> category vocabularies holding it
	length     [][toolFields]uint16
	catLength  []uint16
	avg        [toolFields]float64
	inCategory [][]int32 // category -> free tools
	df         []int32   // term -> free tools holding it, categories included
	free       int
}

// addField indexes a field's text for tool.
func (ix *ToolIndex) addField(tool int, f toolField, l Lang, texts ...string) {
	b := &ix.bm
	counts := map[int32]uint16{}
	var n uint16
	for _, text := range texts {
		for _, t := range toolTermsIn(text, l) {
			counts[ix.intern(t)]++
			n++
		}
	}
	for id, tf := range counts {
		list := b.fields[id]
		if k := len(list) - 1; k >= 0 && list[k].tool == int32(tool) && list[k].field == f {
			list[k].tf += tf // the same field in the other language
			continue
		}
		b.fields[id] = append(list, fieldPosting{tool: int32(tool), field: f, tf: tf})
	}
	b.length[tool][f] += n
}

// addCategories indexes the vocabulary of each category.
func (ix *ToolIndex) addCategories() {
	b := &ix.bm
	b.catLength = make([]uint16, len(ToolCategories))
	for c, name := range ToolCategories {
		w := ix.vocabulary[name]
		counts := map[int32]uint16{}
		for _, list := range []struct {
			lang    Lang
			phrases []string
		}{{French, w.Names.FR}, {English, w.Names.EN}, {French, w.Situations.FR}, {English, w.Situations.EN}, {"", []string{name}}} {
			for _, p := range list.phrases {
				for _, t := range toolTermsIn(p, list.lang) {
					counts[ix.intern(t)]++
					b.catLength[c]++
				}
			}
		}
		for id, tf := range counts {
			b.categories[id] = append(b.categories[id], categoryPosting{category: uint8(c), tf: tf})
		}
	}
}

// weighBM25 computes the average field lengths and each term's
// document frequency.
func (ix *ToolIndex) weighBM25() {
	b := &ix.bm
	var sum [toolFields]float64
	for _, l := range b.length {
		for f := range toolFields {
			sum[f] += float64(l[f])
		}
	}
	var cat float64
	for c, l := range b.catLength {
		cat += float64(l) * float64(len(b.inCategory[c]))
	}
	for f := range toolFields {
		b.avg[f] = max(1, sum[f]/float64(max(1, b.free)))
	}
	b.avg[fieldCategory] = max(1, cat/float64(max(1, b.free)))
	if ix.base != nil {
		b.avg = ix.base.bm.avg
	}
	b.df = make([]int32, len(ix.termText))
	seen := make([]int32, len(ix.tools))
	for id := range b.df {
		mark := int32(id + 1)
		for _, p := range b.fields[id] {
			if seen[p.tool] != mark {
				seen[p.tool] = mark
				b.df[id]++
			}
		}
		for _, p := range b.categories[id] {
			for _, t := range b.inCategory[p.category] {
				if seen[t] != mark {
					seen[t] = mark
					b.df[id]++
				}
			}
		}
	}
}

// bm25IDF is how rare a term is among the free tools, those of the
// shared index included for an overlay.
func (ix *ToolIndex) bm25IDF(term int32) float64 {
	n, df := float64(ix.bm.free), float64(ix.bm.df[term])
	if ix.base != nil {
		n += float64(ix.base.bm.free)
		if b, ok := ix.base.terms[ix.termText[term]]; ok {
			df += float64(ix.base.bm.df[b])
		}
	}
	return math.Log(1 + (n-df+0.5)/(df+0.5))
}

// scoreBM25 adds each tool's BM25F score for the query words that are
// needs to sc, in toolScore.bm25.
func (ix *ToolIndex) scoreBM25(q []queryTerm, sc *searchScratch) {
	b := &ix.bm
	catTF := make([]float64, len(ToolCategories))
	catExact := make([]bool, len(ToolCategories))
	for i, qt := range q {
		if qt.taken {
			continue
		}
		clear(catTF)
		clear(catExact)
		var idf float64
		for _, a := range qt.alts {
			idf = max(idf, a.w*ix.bm25IDF(a.term))
			// A word counts by its best alternative; within one, its
			// fields add up.
			touched := sc.touched[:0]
			for _, p := range b.fields[a.term] {
				norm := 1 - bm25B + bm25B*float64(b.length[p.tool][p.field])/b.avg[p.field]
				s := sc.score(p.tool)
				if sc.altTF[s.cover+i] == 0 {
					touched = append(touched, int32(s.cover+i))
				}
				sc.altTF[s.cover+i] += a.w * fieldWeight[p.field] * float64(p.tf) / norm
				if !a.typo {
					sc.exact[s.cover+i], sc.ownExact[s.cover+i] = true, true
				}
			}
			for _, at := range touched {
				sc.tf[at] = max(sc.tf[at], sc.altTF[at])
				sc.altTF[at] = 0
			}
			sc.touched = touched
			for _, p := range b.categories[a.term] {
				norm := 1 - bm25BCategory + bm25BCategory*float64(b.catLength[p.category])/b.avg[fieldCategory]
				catTF[p.category] = max(catTF[p.category], a.w*fieldWeight[fieldCategory]*float64(p.tf)/norm)
				catExact[p.category] = catExact[p.category] || !a.typo
			}
		}
		for c, tf := range catTF {
			if tf == 0 {
				continue
			}
			for _, tool := range b.inCategory[c] {
				s := sc.score(tool)
				sc.catTF[s.cover+i] = max(sc.catTF[s.cover+i], tf)
				sc.exact[s.cover+i] = sc.exact[s.cover+i] || catExact[c]
			}
		}
		sc.idf[i] = idf
	}
	for k := range sc.scores {
		s := &sc.scores[k]
		var total float64
		for i := range q {
			x := sc.tf[s.cover+i] + sc.catTF[s.cover+i]
			if x > 0 {
				total += sc.idf[i] * x * (bm25K1 + 1) / (x + bm25K1)
			}
		}
		s.bm25 = total
	}
}

// grounded tells whether a guess rests on enough of the query: two of its
// words found as written (not only through a typo) in the tool's fields
// or its categories' vocabulary, or one found in the tool's own fields,
// or one found in the vocabulary of a question holding no word the
// catalogue does not know. "pizza delivery" (a typo of a word of
// deliberation) and "recette de cuisine" are not grounded; "trésorier" and
// "une visio avec les adhérents" are.
func grounded(q []queryTerm, sc *searchScratch, s *toolScore) bool {
	var words int
	own, unknown := false, false
	for i, qt := range q {
		switch {
		case qt.taken:
		case len(qt.alts) == 0:
			unknown = true
		case sc.exact[s.cover+i]:
			words++
			own = own || sc.ownExact[s.cover+i]
		}
	}
	return words >= 2 || words == 1 && (own || !unknown)
}
