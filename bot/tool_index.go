package bot

import (
	"math"
	"slices"
	"sync"
)

// ToolIndex finds the catalogue's free tools for a need said in a
// member's own words. It is built in memory from the entries and rebuilt
// when the catalogue changes; a search reads it without locks.
type ToolIndex struct {
	tools      []*Tool
	vocabulary ToolVocabulary
	byKey      map[string]int // id and name, as folded words
	terms      map[string]int32
	termText   []string
	idf        []float64
	postings   [][]int32 // term -> phrases holding it
	phrases    []toolPhrase
	services   []toolService
	named      [][]int32          // term -> services whose name holds it
	grams      map[string][]int32 // trigram -> terms, for typos
	scratch    sync.Pool          // of *searchScratch
	bm         bm25Index
	pdf        []int32 // term -> free tools with a phrase holding it
	free       int     // free tools
	// An overlay holds a team's own entries over a shared index (base),
	// whose entries with the same ids (hidden) the team does not see.
	base   *ToolIndex
	hidden map[string]bool
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
	bm25Weight                       = 0.2 // BM25F's share, beside the phrases' score
	maxQueryTerms                    = 12
	maxServiceWords                  = 60  // words of a query read for the services they name
	guessDiscount                    = 0.4 // a guess ranks as this share of its score
	replacesFloor                    = 0.5 // the least share of the query a named service weighs
)

// NewToolIndex indexes the tools. Entries that are not free are never
// returned by Search: they are only known as what free tools replace.
func NewToolIndex(tools []*Tool, v ToolVocabulary) *ToolIndex {
	return buildToolIndex(tools, v, nil)
}

// WithOverlay returns the index a team searches: this shared index, with
// the team's own entries added or standing in place of shared ones with
// the same id. Only the team's entries are indexed again, weighed with
// the shared index's statistics, so that a team's edit costs little time
// and memory whatever the size of the shared catalogue.
func (ix *ToolIndex) WithOverlay(own []*Tool) *ToolIndex {
	if len(own) == 0 {
		return ix
	}
	o := buildToolIndex(own, ix.vocabulary, ix)
	o.hidden = map[string]bool{}
	for _, t := range own {
		if _, ok := ix.byKey[toolKey(t.ID)]; ok {
			o.hidden[t.ID] = true
		}
	}
	return o
}

func buildToolIndex(tools []*Tool, v ToolVocabulary, base *ToolIndex) *ToolIndex {
	ix := &ToolIndex{tools: tools, vocabulary: v, base: base, byKey: map[string]int{}, terms: map[string]int32{}, grams: map[string][]int32{}}
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
	ix.bm.length = make([][toolFields]uint16, len(tools))
	ix.bm.inCategory = make([][]int32, len(ToolCategories))
	for i, t := range tools {
		ix.byKey[toolKey(t.ID)] = i
		ix.byKey[toolKey(t.Name)] = i
		if !t.Free {
			ix.services[service(t.Name)].entry = i
			continue
		}
		ix.addPhrase(i, namePhrase, "", t.Name, "")
		ix.bm.free++
		ix.addField(i, fieldName, "", t.Name)
		ix.addField(i, fieldNeeds, French, t.Needs.FR...)
		ix.addField(i, fieldNeeds, English, t.Needs.EN...)
		ix.addField(i, fieldReplaces, "", t.Replaces...)
		ix.addField(i, fieldDescription, French, t.Description.FR)
		ix.addField(i, fieldDescription, English, t.Description.EN)
		for _, c := range t.Categories {
			if k := slices.Index(ToolCategories, c); k >= 0 {
				ix.bm.inCategory[k] = append(ix.bm.inCategory[k], int32(i))
			}
		}
		for _, l := range []Lang{French, English} {
			for _, p := range t.Needs.In(l) {
				ix.addPhrase(i, needPhrase, l, p, "")
			}
			for _, c := range t.Categories {
				for _, p := range v[c].Names.In(l) {
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
	ix.addCategories()
	ix.weigh()
	ix.weighBM25()
	ix.scratch.New = func() any { return newSearchScratch(len(ix.phrases), len(ix.tools), len(ix.termText)) }
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
	ix.bm.fields = append(ix.bm.fields, nil)
	ix.bm.categories = append(ix.bm.categories, nil)
	ix.named = append(ix.named, nil)
	for _, g := range toolTrigrams(term) {
		ix.grams[g] = append(ix.grams[g], id)
	}
	return id
}

func (ix *ToolIndex) addPhrase(tool int, kind phraseKind, l Lang, text, category string) {
	p := toolPhrase{tool: int32(tool), kind: kind, lang: l, text: text, category: category}
	for _, t := range toolTermsIn(text, l) {
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
	ix.free = free
	ix.pdf = make([]int32, len(df))
	ix.idf = make([]float64, len(df))
	for id, n := range df {
		ix.pdf[id] = int32(n)
		if ix.base != nil {
			if b, ok := ix.base.terms[ix.termText[id]]; ok {
				n += int(ix.base.pdf[b])
			}
		}
		all := free
		if ix.base != nil {
			all += ix.base.free
		}
		ix.idf[id] = math.Log(1 + float64(all+1)/float64(n+1))
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
