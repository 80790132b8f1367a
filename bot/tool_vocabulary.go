package bot

// ToolVocabulary holds, for each category of the catalogue (by id), the
// words that name it and the situations that call for it, in French and
// English: what members say when something goes wrong ("on perd le fil",
// "too big to email"). It is data, shipped beside the catalogue.
type ToolVocabulary map[string]CategoryWords

// CategoryWords are the words of one category.
type CategoryWords struct {
	Names      Phrases `json:"names"`      // what the category is called: "visio", "video meetings"
	Situations Phrases `json:"situations"` // what people say when they need it
}
