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

type relevanceCase struct {
	Query  string   `json:"query"`
	Lang   bot.Lang `json:"lang"`
	Accept []string `json:"accept"`
}

func mustReadRelevance(tb testing.TB) []relevanceCase {
	tb.Helper()
	data, err := os.ReadFile("testdata/relevance.json")
	if err != nil {
		tb.Fatal(err)
	}
	var cases []relevanceCase
	if err := json.Unmarshal(data, &cases); err != nil {
		tb.Fatal(err)
	}
	return cases
}

// The plain ranking, without a language model, answers the relevance set:
// for at least 90% of the queries, one of the three answers is one an
// expert accepts.
func TestToolRelevance(t *testing.T) {
	ix := bot.NewToolIndex(MustReadTools(t))
	cases := mustReadRelevance(t)
	if len(cases) < 60 {
		t.Fatalf("got %d relevance queries, want at least 60", len(cases))
	}
	var top1, top3 int
	for _, c := range cases {
		got := ix.Search(c.Query, c.Lang, 3)
		var ids []string
		for _, m := range got {
			ids = append(ids, m.Tool.ID)
		}
		hit := slices.IndexFunc(ids, func(id string) bool { return slices.Contains(c.Accept, id) })
		switch {
		case hit == 0:
			top1++
			top3++
		case hit > 0:
			top3++
			t.Logf("first answer not accepted: %q got %v, want first in %v", c.Query, ids, c.Accept)
		default:
			t.Logf("MISS: %q got %v, want one of %v", c.Query, ids, c.Accept)
		}
	}
	n := float64(len(cases))
	t.Logf("relevance on %d queries: top-1 %.1f%%, top-3 %.1f%%", len(cases), 100*float64(top1)/n, 100*float64(top3)/n)
	if float64(top3)/n < 0.9 {
		t.Errorf("top-3 accuracy %.1f%%, want at least 90%%", 100*float64(top3)/n)
	}
}

// Proprietary services are never recommended, even when named.
func TestToolSearchNeverRecommendsProprietary(t *testing.T) {
	tools := MustReadTools(t)
	ix := bot.NewToolIndex(tools)
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
