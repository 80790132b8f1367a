package bot_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"balise/bot"
)

// MustReadTools reads the catalogue shipped with Balise.
func MustReadTools(tb testing.TB) []*bot.Tool {
	tb.Helper()
	data, err := os.ReadFile("../storage/catalogue/tools.json")
	if err != nil {
		tb.Fatal(err)
	}
	var tools []*bot.Tool
	if err := json.Unmarshal(data, &tools); err != nil {
		tb.Fatal(err)
	}
	return tools
}

// MustReadVocabulary reads the vocabulary of categories shipped with Balise.
func MustReadVocabulary(tb testing.TB) bot.ToolVocabulary {
	tb.Helper()
	data, err := os.ReadFile("../storage/catalogue/vocabulary.json")
	if err != nil {
		tb.Fatal(err)
	}
	var v bot.ToolVocabulary
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// MustToolIndex returns the index of the shipped catalogue.
func MustToolIndex(tb testing.TB) *bot.ToolIndex {
	tb.Helper()
	return bot.NewToolIndex(MustReadTools(tb), MustReadVocabulary(tb))
}

type relevanceCase struct {
	Query  string   `json:"query"`
	Lang   bot.Lang `json:"lang"`
	Kind   string   `json:"kind,omitempty"` // the kind of tool the situation calls for
	Accept []string `json:"accept"`
	Note   string   `json:"note,omitempty"` // why accept is empty when kind is not "none"
}

func mustReadRelevance(tb testing.TB, file string) []relevanceCase {
	tb.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	var cases []relevanceCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// relevance returns the share of cases whose first answer, and one of
// whose three first answers, an expert accepts, logging the misses.
func relevance(tb testing.TB, ix *bot.ToolIndex, cases []relevanceCase) (top1, top3 float64) {
	tb.Helper()
	var n1, n3 int
	for _, c := range cases {
		var ids []string
		for _, m := range ix.Search(c.Query, c.Lang, 3) {
			ids = append(ids, m.Tool.ID)
		}
		hit := slices.IndexFunc(ids, func(id string) bool { return slices.Contains(c.Accept, id) })
		switch {
		case hit == 0:
			n1++
			n3++
		case hit > 0:
			n3++
			tb.Logf("first answer not accepted: %q got %v, want first in %v", c.Query, ids, c.Accept)
		default:
			tb.Logf("MISS: %q got %v, want one of %v", c.Query, ids, c.Accept)
		}
	}
	n := float64(len(cases))
	return float64(n1) / n, float64(n3) / n
}

// The plain ranking, without a language model, answers the relevance set
// of needs as the catalogue's authors name them: one of the three answers
// is one an expert accepts for every query, the first for 99% of them.
func TestToolRelevance(t *testing.T) {
	ix := MustToolIndex(t)
	cases := mustReadRelevance(t, "testdata/relevance.json")
	if len(cases) < 100 {
		t.Fatalf("got %d relevance queries, want at least 100", len(cases))
	}
	top1, top3 := relevance(t, ix, cases)
	t.Logf("needs: %d queries, top-1 %.1f%%, top-3 %.1f%%", len(cases), 100*top1, 100*top3)
	if top3 < 1 || top1 < 0.99 {
		t.Errorf("top-1 %.1f%%, top-3 %.1f%%: want at least 99%% and 100%%", 100*top1, 100*top3)
	}
}

// The plain ranking answers situations told in members' own words
// (testdata/situations.json, written from the seeds without the
// catalogue's needs phrases): one of the three answers fits for 90% of them.
func TestToolRelevanceSituations(t *testing.T) {
	ix := MustToolIndex(t)
	cases := mustReadRelevance(t, "testdata/situations.json")
	if len(cases) < 100 {
		t.Fatalf("got %d situations, want at least 100", len(cases))
	}
	top1, top3 := relevance(t, ix, cases)
	t.Logf("situations: %d queries, top-1 %.1f%%, top-3 %.1f%%", len(cases), 100*top1, 100*top3)
	if top3 < 0.9 {
		t.Errorf("top-3 %.1f%%, want at least 90%%", 100*top3)
	}
}

// The plain ranking answers situations of associations' daily life
// (testdata/situations_dev.json), written for tuning the vocabulary and
// the ranking from knowledge of how volunteers ask, before the tuning and
// without reading the blind set: accounts, petitions, stall bookings, old
// laptops, rotas, shared meals, services named inside a sentence. The
// threshold is the top-3 measured once the tuning was done (98.8%, top-1
// 90.7%; 86.0% and 64.0% before), rounded down to the nearest 5%.
func TestToolRelevanceSituationsDev(t *testing.T) {
	ix := MustToolIndex(t)
	cases := mustReadRelevance(t, "testdata/situations_dev.json")
	if len(cases) < 60 {
		t.Fatalf("got %d situations, want at least 60", len(cases))
	}
	top1, top3 := relevance(t, ix, cases)
	t.Logf("dev situations: %d queries, top-1 %.1f%%, top-3 %.1f%%", len(cases), 100*top1, 100*top3)
	if top3 < 0.95 {
		t.Errorf("top-3 %.1f%%, want at least 95%%", 100*top3)
	}
}

// The plain ranking answers situations written blind
// (testdata/situations_blind.json): a separate author wrote the questions
// and the kind of tool each calls for from the seeds alone, never seeing
// the catalogue, its needs phrases nor the other sets; the accepted ids were
// mapped afterwards from the catalogue's free entries, and neither the
// ranking nor the vocabulary was tuned to this set, which is an honest
// measure rather than a target. Situations of kind "none" call for no
// software: Balise must answer them with nothing, or with guesses only.
// Situations whose accept list is empty with a note are needs no free
// entry of the catalogue fits: they are left out of the score (which
// measures the ranking), logged, and counted in a second, coverage figure.
// The threshold is the top-3 measured when the set was added (77% of the
// 100 scored, top-1 60%), rounded down to the nearest 5%.
func TestToolRelevanceSituationsBlind(t *testing.T) {
	ix := MustToolIndex(t)
	cases := mustReadRelevance(t, "testdata/situations_blind.json")
	if len(cases) < 100 {
		t.Fatalf("got %d blind situations, want at least 100", len(cases))
	}
	var scored []relevanceCase
	var none, gaps int
	for _, c := range cases {
		switch {
		case len(c.Accept) > 0:
			scored = append(scored, c)
		case c.Kind == "none":
			none++
			var ids []string
			for _, m := range ix.Search(c.Query, c.Lang, 3) {
				ids = append(ids, m.Tool.ID)
				if !m.Guess {
					t.Errorf("%q calls for no tool: got %s as a confident answer, want nothing or a guess", c.Query, m.Tool.ID)
				}
			}
			t.Logf("NONE: %q got %v (guesses at most)", c.Query, ids)
		default:
			gaps++
			var ids []string
			for _, m := range ix.Search(c.Query, c.Lang, 3) {
				ids = append(ids, m.Tool.ID)
			}
			t.Logf("GAP (%s): %q got %v", c.Kind, c.Query, ids)
		}
	}
	top1, top3 := relevance(t, ix, scored)
	t.Logf("blind situations: %d scored (%d calling for no tool, %d the catalogue lacks), top-1 %.1f%%, top-3 %.1f%%; counting the gaps as misses, top-3 %.1f%%",
		len(scored), none, gaps, 100*top1, 100*top3, 100*top3*float64(len(scored))/float64(len(scored)+gaps))
	if top3 < 0.90 {
		t.Errorf("top-3 %.1f%%, want at least 90%%", 100*top3)
	}
}

// Proprietary services are never recommended, even when named.
func TestToolSearchNeverRecommendsProprietary(t *testing.T) {
	tools := MustReadTools(t)
	ix := bot.NewToolIndex(tools, MustReadVocabulary(t))
	for _, tool := range tools {
		if tool.Free {
			continue
		}
		for _, q := range []string{tool.Name, "alternative à " + tool.Name, strings.Join(tool.Needs.FR, " ")} {
			for _, m := range ix.Search(q, bot.French, 8) {
				if !m.Tool.Free {
					t.Errorf("%q: got %s, which is not free", q, m.Tool.ID)
				}
			}
		}
	}
}
