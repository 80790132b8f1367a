package commands

import "strings"

// Tokens splits a command line into words, keeping quoted phrases ("...",
// “...”, «...») together. Phones turn "--" into "—": both start a flag.
func Tokens(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, quoted := rune(0), false
	closing := map[rune]rune{'"': '"', '“': '”', '«': '»', '„': '“'}
	flush := func() {
		if cur.Len() > 0 || quoted {
			out = append(out, strings.TrimSpace(cur.String()))
		}
		cur.Reset()
		quoted = false
	}
	for _, r := range s {
		switch {
		case inQuote != 0 && r == inQuote:
			inQuote = 0
		case inQuote != 0:
			cur.WriteRune(r)
		case closing[r] != 0 && cur.Len() == 0:
			inQuote, quoted = closing[r], true
		case r == ' ' || r == '\t' || r == '\n':
			flush()
		default:
			cur.WriteRune(r)
		}
	}
	flush()
	for i, t := range out {
		if strings.HasPrefix(t, "—") {
			out[i] = "--" + strings.TrimPrefix(t, "—")
		}
	}
	return out
}
