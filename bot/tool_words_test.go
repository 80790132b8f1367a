package bot

import (
	"slices"
	"testing"
)

func TestToolTerms(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"Partager des fichiers", []string{"partag", "fichi"}},
		{"partagés", []string{"partag"}},
		{"l'alternative à Doodle", []string{"doodl"}},
		{"Visioconférence", []string{"visioconferenc"}},
		{"réseaux sociaux", []string{"reseau", "social"}},
		{"share files", []string{"shar", "fil"}},
		{"mailing lists for our association", []string{"mail", "list"}},
		{"AUTO-HÉBERGEMENT", []string{"auto", "heberg"}},
		{"œuvres", []string{"oeuvr"}},
	} {
		if got := toolTerms(c.in); !slices.Equal(got, c.want) {
			t.Errorf("toolTerms(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestToolEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"partag", "partaj", 1},
		{"doodl", "dodl", 1},
		{"visio", "vsiio", 1}, // swapped letters
		{"whatsapp", "whatsap", 1},
		{"nextcloud", "nextclod", 1},
		{"kanban", "wiki", 3},
	} {
		if got := toolEditDistance(c.a, c.b, 2); min(got, 3) != c.want {
			t.Errorf("distance(%s, %s) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

// Text in a language is stemmed by its Snowball stemmer, accents folded
// first so that a word typed without them gives the same stem; a query
// word stands for its stems in both languages.
func TestToolTermsInALanguage(t *testing.T) {
	for _, c := range []struct {
		in   string
		lang Lang
		want []string
	}{
		{"les réunions du bureau", French, []string{"reunion", "bureau"}},
		{"les reunions du bureau", French, []string{"reunion", "bureau"}},
		{"l'organisation des bénévoles", French, []string{"organis", "benevol"}},
		{"organiser les benevoles", French, []string{"organis", "benevol"}},
		{"the treasurer's spreadsheets", English, []string{"treasur", "spreadsheet"}},
		{"sharing shared files", English, []string{"share", "share", "file"}},
	} {
		if got := toolTermsIn(c.in, c.lang); !slices.Equal(got, c.want) {
			t.Errorf("toolTermsIn(%q, %s) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
	if got := queryStems("meetings"); !slices.Contains(got, "meet") || !slices.Contains(got, "meeting") {
		t.Errorf("queryStems(meetings) = %q, want the English stem and the plain one", got)
	}
}
