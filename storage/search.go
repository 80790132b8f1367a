package storage

import (
	"database/sql/driver"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"
)

// The register's search folds what it indexes and what members type the
// same way, in Go: SQLite's unicode61 tokenizer removes the accents of
// Latin letters only.
func init() {
	sqlite.MustRegisterDeterministicScalarFunction("balise_fold", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case nil:
			return "", nil
		case string:
			return fold(v), nil
		case []byte:
			return fold(string(v)), nil
		default:
			return fold(fmt.Sprint(v)), nil
		}
	})
}

// fold removes accents and other combining marks and folds case, in any
// script: "Égalité" becomes "egalite", "Ελληνική" "ελληνικη", "Straße"
// "strasse".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return cases.Fold().String(out)
}

// searchQuery turns what a member typed into an FTS5 query: each word,
// folded, a quoted prefix, all required. Words without a letter or digit
// are left out; "" when none is left.
func searchQuery(s string) string {
	var terms []string
	for _, w := range strings.Fields(fold(s)) {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(terms, " AND ")
}
