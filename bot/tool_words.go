package bot

import (
	"strings"
	"unicode"
)

// toolTerms turns what someone typed into search terms: lower case, no
// accents, no elided articles, no stopwords, plurals and common endings of
// French and English words removed, so that "Partagés", "partager" and
// "partage" give the same term.
func toolTerms(s string) []string {
	var out []string
	for _, w := range toolWords(s) {
		if toolStopwords[w] {
			continue
		}
		out = append(out, stemToolWord(w))
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
// the others at a slightly lower weight.
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
		var terms []string
		for _, w := range strings.Fields(g) {
			terms = append(terms, stemToolWord(w))
		}
		for _, t := range terms {
			for _, u := range terms {
				if u != t {
					m[t] = append(m[t], u)
				}
			}
		}
	}
	return m
}

// toolCategoryWords are the words that name each category, searched like
// a need of lower weight by every tool of the category.
var toolCategoryWords = map[string]Phrases{
	"files":              {FR: []string{"fichiers", "documents", "stockage"}, EN: []string{"files", "documents", "storage"}},
	"writing":            {FR: []string{"écriture collaborative", "rédaction"}, EN: []string{"collaborative writing", "writing"}},
	"office":             {FR: []string{"bureautique", "traitement de texte", "tableur"}, EN: []string{"office suite", "word processor", "spreadsheet"}},
	"chat":               {FR: []string{"messagerie", "discussion", "chat"}, EN: []string{"chat", "messaging"}},
	"mailing-lists":      {FR: []string{"liste de diffusion", "mail"}, EN: []string{"mailing list", "email"}},
	"video-meetings":     {FR: []string{"visioconférence", "visio", "réunion à distance"}, EN: []string{"video meetings", "remote meeting"}},
	"scheduling":         {FR: []string{"agenda", "date", "planning"}, EN: []string{"calendar", "scheduling", "date"}},
	"voting":             {FR: []string{"vote", "décision"}, EN: []string{"voting", "decision"}},
	"project-boards":     {FR: []string{"gestion de projet", "tableau kanban", "tâches"}, EN: []string{"project management", "kanban board", "tasks"}},
	"wiki":               {FR: []string{"wiki", "documentation", "base de connaissances"}, EN: []string{"wiki", "documentation", "knowledge base"}},
	"newsletters":        {FR: []string{"newsletter", "lettre d'information"}, EN: []string{"newsletter"}},
	"website":            {FR: []string{"site web", "blog"}, EN: []string{"website", "blog"}},
	"social-networks":    {FR: []string{"réseau social"}, EN: []string{"social network", "social media"}},
	"events":             {FR: []string{"événements", "billetterie"}, EN: []string{"events", "ticketing"}},
	"maps":               {FR: []string{"carte", "cartographie"}, EN: []string{"map", "mapping"}},
	"members-accounting": {FR: []string{"adhérents", "comptabilité"}, EN: []string{"members", "accounting"}},
	"crm":                {FR: []string{"gestion des contacts", "crm", "donateurs"}, EN: []string{"contact management", "crm", "donors"}},
	"forms":              {FR: []string{"formulaire", "sondage", "questionnaire"}, EN: []string{"forms", "survey"}},
	"design":             {FR: []string{"graphisme", "mise en page", "image"}, EN: []string{"graphic design", "layout", "image"}},
	"video-editing":      {FR: []string{"montage vidéo"}, EN: []string{"video editing"}},
	"audio":              {FR: []string{"audio", "son", "podcast"}, EN: []string{"audio", "sound", "podcast"}},
	"passwords":          {FR: []string{"mots de passe", "sécurité"}, EN: []string{"passwords", "security"}},
	"backups":            {FR: []string{"sauvegarde"}, EN: []string{"backup"}},
	"self-hosting":       {FR: []string{"auto-hébergement", "serveur"}, EN: []string{"self-hosting", "server"}},
	"desktop":            {FR: []string{"poste de travail", "ordinateur"}, EN: []string{"desktop", "computer"}},
}
