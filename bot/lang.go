package bot

import "strings"

// Lang is a language Balise speaks.
type Lang string

const (
	French  Lang = "fr"
	English Lang = "en"
)

// ParseLang returns the language for a Mattermost locale or a user's choice
// ("fr", "fr-CA", "en_GB", "English"...), and false when Balise does not
// speak it.
func ParseLang(s string) (Lang, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "fr" || strings.HasPrefix(s, "fr-") || strings.HasPrefix(s, "fr_") || s == "français" || s == "francais" || s == "french":
		return French, true
	case s == "en" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_") || s == "english" || s == "anglais":
		return English, true
	}
	return "", false
}

// UserLang picks the language to speak to a member: their own choice in
// Balise first, then their Mattermost locale, then French.
func UserLang(choice Lang, locale string) Lang {
	if choice != "" {
		return choice
	}
	if l, ok := ParseLang(locale); ok {
		return l
	}
	return French
}
