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
