package bot

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Pick is a language model's choice among the candidates of a search.
type Pick struct {
	ID     string
	Reason string // one short sentence in the member's language, may be empty
}

// Assistant is an optional language model that reorders and explains the
// answers of /tool. It only ever chooses among catalogue entries.
type Assistant interface {
	// Rerank orders candidates for the need a member typed in lang, naming
	// them by id, best first. Called by /tool with the plain ranking's
	// best candidates and a deadline; on any error (a timeout, an outage,
	// an answer it cannot read) /tool answers with the plain ranking.
	Rerank(ctx context.Context, need string, lang Lang, candidates []*Tool) ([]Pick, error)
	// Categorize chooses among categories those a need calls for, best
	// first, by id. Called by /tool with a deadline when the plain ranking
	// finds nothing that fits; ids that are not among categories are
	// dropped, and on any error /tool answers with the plain ranking.
	Categorize(ctx context.Context, need string, lang Lang, categories []CategoryChoice) ([]string, error)
}

// CategoryChoice is a category an assistant may choose, named in the
// member's language.
type CategoryChoice struct {
	ID    string
	Label string
}

// MaxChosenCategories caps the categories an assistant's choice ranks in.
const MaxChosenCategories = 2

// MaxPickReason caps what an assistant's reason may say.
const MaxPickReason = 160

// ApplyPicks reorders matches as an assistant picked them: picked tools
// first, in its order, with its reason; ids that are not among the
// matches are dropped; matches it did not pick follow in their order.
func ApplyPicks(matches []ToolMatch, picks []Pick) []ToolMatch {
	out := make([]ToolMatch, 0, len(matches))
	used := make([]bool, len(matches))
	for _, p := range picks {
		for i, m := range matches {
			if !used[i] && m.Tool.ID == p.ID {
				used[i] = true
				m.Explained = cleanPickReason(p.Reason)
				out = append(out, m)
				break
			}
		}
	}
	for i, m := range matches {
		if !used[i] {
			out = append(out, m)
		}
	}
	return out
}

// cleanPickReason keeps a model's reason to one plain line: no links,
// no mentions, no markup; nothing when it tries to say more.
func cleanPickReason(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	l := strings.ToLower(s)
	if strings.Contains(l, "http") || strings.Contains(l, "www.") || strings.ContainsAny(s, "@[]<>`|#*_") ||
		utf8.RuneCountInString(s) > MaxPickReason {
		return ""
	}
	return s
}
