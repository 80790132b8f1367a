package bot

import (
	"strings"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
)

// toolTerms turns what someone typed into search terms: lower case, no
// accents, no elided articles, no stopwords, plurals and common endings of
// French and English words removed, so that "Partagés", "partager" and
// "partage" give the same term.
func toolTerms(s string) []string { return toolTermsIn(s, "") }

// toolTermsIn turns a text written in language l into search terms,
// stemmed by the Snowball stemmer of l; words of no language (names) are
// only stripped of their plural marks.
func toolTermsIn(s string, l Lang) []string {
	var out []string
	for _, w := range toolWords(s) {
		if toolStopwords[w] {
			continue
		}
		out = append(out, stemIn(w, l))
	}
	return out
}

// stemIn stems a word of language l ("" for none). Accents are folded
// before, so that a word typed without them gives the same stem.
func stemIn(w string, l Lang) string {
	if l == "" || len(w) <= 3 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return stemToolWord(w)
	}
	env := snowballstem.NewEnv(w)
	if l == French {
		french.Stem(env)
	} else {
		english.Stem(env)
	}
	return env.Current()
}

// queryStems are the terms a word of a query may stand for, as it is not
// known which language it is in: its stems in French, in English, and
// without plural marks (for names).
func queryStems(w string) []string {
	out := []string{stemToolWord(w)}
	for _, l := range []Lang{French, English} {
		if s := stemIn(w, l); s != out[0] && (len(out) == 1 || s != out[1]) {
			out = append(out, s)
		}
	}
	return out
}

// toolWords splits s into lower-case words without accents, dropping one
// letter words (the l' and d' of French elisions).
func toolWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 1 {
			words = append(words, b.String())
		}
		b.Reset()
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if f, ok := toolFold[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteRune(r)
			}
		default:
			flush()
		}
	}
	flush()
	return words
}

var toolFold = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ã': "a", 'å': "a",
	'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ì': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ò': "o", 'õ': "o",
	'ù': "u", 'û': "u", 'ü': "u", 'ú': "u", 'ÿ': "y", 'ñ': "n",
	'œ': "oe", 'æ': "ae", 'ß': "ss",
}

// stemToolWord removes plural marks and a few common endings, keeping at
// least three letters. It is light on purpose: the same word in the data
// and in a query gives the same term, and different words rarely collide.
func stemToolWord(w string) string {
	if len(w) <= 3 || strings.IndexFunc(w, unicode.IsDigit) >= 0 {
		return w
	}
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "eaux"):
		w = w[:len(w)-1]
	case strings.HasSuffix(w, "aux") && len(w) > 5:
		w = w[:len(w)-3] + "al"
	case strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us"):
	case strings.HasSuffix(w, "s") || strings.HasSuffix(w, "x"):
		w = w[:len(w)-1]
	}
	for _, suffix := range []string{"ement", "ation", "ing", "ee", "er", "ez", "ed", "e"} {
		if strings.HasSuffix(w, suffix) && len(w)-len(suffix) >= 3 {
			return w[:len(w)-len(suffix)]
		}
	}
	return w
}

// toolStopwords are words that say nothing about the need: articles,
// prepositions, and the words of asking for a tool ("alternative à",
// "un outil pour", "free software for").
var toolStopwords = toolSet(`
	le la les un une des du de au aux en et ou pour par avec sans sur sous dans chez ce cet cette ces
	mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs qui que qu quoi quel quelle quels
	quelles est sont etre ai avons je tu il elle on nous vous ils elles se me te ne pas plus tres bien
	faire fait peut pouvoir permet veux voudrais voudrions cherche cherchons besoin comment afin
	outil outils logiciel logiciels application applications appli applis solution solutions service
	alternative alternatives remplacer remplace remplacement equivalent libre libres gratuit gratuits
	gratuite asso assos association associations associatif associative quelque chose gens personnes
	the an and or of to for with without in on at by from into our my your their we us you it its is
	are be can do does how which what that this some like use using need needs want looking way good
	best tool tools software app apps application service instead alternative alternatives replace
	replacement free open source people something nonprofit nonprofits association associations our
`)

func toolSet(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// toolSynonyms groups words that mean the same need. A query word finds
// the others at a slightly lower weight. Keys are words without plural
// marks, values the words as written.
var toolSynonyms = toolSynonymTable(
	"visio visioconference videoconference videoconferencing webinaire webinar",
	"telephone phone tel dial smartphone",
	"fichier file document doc",
	"compta comptabilite comptable accounting bookkeeping",
	"adherent membre adhesion member membership",
	"benevole volunteer benevolat volunteering",
	"sondage enquete questionnaire survey poll",
	"formulaire form",
	"reunion meeting rencontre",
	"vote voter voting election elire scrutin",
	"decision decider decide",
	"newsletter infolettre bulletin",
	"site website",
	"carte map cartographie mapping",
	"mail email courriel mel emails",
	"chat tchat messagerie messaging",
	"agenda calendrier calendar",
	"tableur spreadsheet",
	"photo image picture",
	"affiche poster flyer tract",
	"sauvegarde backup",
	"evenement event evenementiel",
	"billetterie billet ticket ticketing",
	"mdp password",
	"hebergement hosting heberger host",
	"kanban trello",
	"wiki documentation",
	"video film",
	"podcast audio",
	"navigateur browser",
	"traduction translation",
)

func toolSynonymTable(groups ...string) map[string][]string {
	m := map[string][]string{}
	for _, g := range groups {
		words := strings.Fields(g)
		for _, w := range words {
			for _, u := range words {
				if u != w {
					m[stemToolWord(w)] = append(m[stemToolWord(w)], u)
				}
			}
		}
	}
	return m
}
