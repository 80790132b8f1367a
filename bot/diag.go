package bot

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Questionnaire is one version of the digital diagnostic: dimensions and
// the questions that score them. Its JSON form is the data file shipped in
// the repository; each campaign records the version it used, and question
// ids keep their meaning across versions, so that campaigns compare.
type Questionnaire struct {
	Version    int             `json:"version"`
	Dimensions []DimensionInfo `json:"dimensions"`
	Questions  []Question      `json:"questions"`
}

// DimensionInfo names a dimension: Short labels the chart's axes.
type DimensionInfo struct {
	ID    string `json:"id"`
	Name  Text   `json:"name"`
	Short Text   `json:"short"`
}

// Question is asked with one button per option, plus "don't know" and
// "not concerned". Options go from the weakest answer to the strongest.
type Question struct {
	ID         string     `json:"id"` // "dimension.name" when written; stable, even if it moves
	Dimension  string     `json:"dimension"`
	Difficulty Difficulty `json:"difficulty"` // the kind of difficulty a low answer reveals
	Weight     int        `json:"weight"`     // importance, 1 to 3, in scores and priorities
	Text       Text       `json:"text"`
	Options    []Choice   `json:"options"`
	Measure    Measure    `json:"measure"` // what to do when the answers are low
}

// Choice is an answer with its score, from 0 (weakest) to 100.
type Choice struct {
	ID    string `json:"id"`
	Score int    `json:"score"`
	Label Text   `json:"label"`
}

// Measure is the path from a gap to tools: a concrete action, why it
// matters, how to start, and the catalogue categories and tools (ids) that
// fit.
type Measure struct {
	Action     Text     `json:"action"`
	Why        Text     `json:"why"`
	How        Text     `json:"how"`
	Categories []string `json:"categories"`
	Tools      []string `json:"tools"`
}

// Difficulty is one of the four kinds of difficulty of seed 001.
type Difficulty string

const (
	Technical Difficulty = "technical"
	Financial Difficulty = "financial"
	Human     Difficulty = "human"
	Strategic Difficulty = "strategic"
)

// Difficulties are the kinds of difficulty, in the order reports list them.
var Difficulties = []Difficulty{Technical, Financial, Human, Strategic}

// The answers every question offers besides its options. They count as
// neither high nor low: they are left out of scores.
const (
	DontKnow     = "dontknow"
	NotConcerned = "notconcerned"
)

// Limits on what a questionnaire may hold: labels fit a phone button.
const (
	MaxQuestionText = 200
	MaxOptionLabel  = 40
	MaxMeasureText  = 300
	MinOptions      = 2
	MaxOptions      = 5
)

var (
	questionIDPattern = regexp.MustCompile(`^[a-z]+\.[a-z]+(-[a-z]+)*$`)
	optionIDPattern   = regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
)

// ParseQuestionnaire reads and validates a questionnaire data file.
// Categories are the catalogue's (ToolCategories); tool ids are checked
// against the catalogue by whoever loads both.
func ParseQuestionnaire(data []byte) (*Questionnaire, error) {
	var q Questionnaire
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&q); err != nil {
		return nil, fmt.Errorf("questionnaire: %w", err)
	}
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("questionnaire v%d: %w", q.Version, err)
	}
	return &q, nil
}

// Validate checks the questionnaire and says which question or dimension
// is broken. It is a check of a file shipped with Balise, so its errors
// are plain errors for the developer, not messages for members.
func (q *Questionnaire) Validate() error {
	if q.Version < 1 {
		return fmt.Errorf("version %d: want 1 or more", q.Version)
	}
	if len(q.Dimensions) < 3 {
		return fmt.Errorf("%d dimensions: want at least 3 (the chart is a radar)", len(q.Dimensions))
	}
	dims := map[string]int{} // questions per dimension
	for _, d := range q.Dimensions {
		if _, dup := dims[d.ID]; dup || d.ID == "" || strings.ContainsAny(d.ID, ". ") {
			return fmt.Errorf("dimension %q: empty, malformed or twice", d.ID)
		}
		if !filled(d.Name) || !filled(d.Short) {
			return fmt.Errorf("dimension %s: name and short name needed in French and English", d.ID)
		}
		dims[d.ID] = 0
	}
	seen := map[string]bool{}
	for i := range q.Questions {
		qu := &q.Questions[i]
		if err := qu.validate(); err != nil {
			return fmt.Errorf("question %q: %w", qu.ID, err)
		}
		if seen[qu.ID] {
			return fmt.Errorf("question %s: twice", qu.ID)
		}
		seen[qu.ID] = true
		if _, ok := dims[qu.Dimension]; !ok {
			return fmt.Errorf("question %s: unknown dimension %q", qu.ID, qu.Dimension)
		}
		dims[qu.Dimension]++
	}
	for _, d := range q.Dimensions {
		if dims[d.ID] == 0 {
			return fmt.Errorf("dimension %s: no questions", d.ID)
		}
	}
	return nil
}

func (qu *Question) validate() error {
	switch {
	case !questionIDPattern.MatchString(qu.ID):
		return fmt.Errorf("id must look like dimension.name")
	case !slices.Contains(Difficulties, qu.Difficulty):
		return fmt.Errorf("difficulty %q: want one of %v", qu.Difficulty, Difficulties)
	case qu.Weight < 1 || qu.Weight > 3:
		return fmt.Errorf("weight %d: want 1 to 3", qu.Weight)
	case !filled(qu.Text) || longer(qu.Text, MaxQuestionText):
		return fmt.Errorf("text: needed in French and English, at most %d characters", MaxQuestionText)
	case len(qu.Options) < MinOptions || len(qu.Options) > MaxOptions:
		return fmt.Errorf("%d options: want %d to %d", len(qu.Options), MinOptions, MaxOptions)
	}
	ids := map[string]bool{DontKnow: true, NotConcerned: true}
	for i, o := range qu.Options {
		switch {
		case !optionIDPattern.MatchString(o.ID) || ids[o.ID]:
			return fmt.Errorf("option %q: malformed, reserved or twice", o.ID)
		case o.Score < 0 || o.Score > 100:
			return fmt.Errorf("option %s: score %d out of 0-100", o.ID, o.Score)
		case i > 0 && o.Score <= qu.Options[i-1].Score:
			return fmt.Errorf("option %s: options must go from the lowest score to the highest", o.ID)
		case !filled(o.Label) || longer(o.Label, MaxOptionLabel):
			return fmt.Errorf("option %s: label needed in French and English, at most %d characters", o.ID, MaxOptionLabel)
		}
		ids[o.ID] = true
	}
	m := qu.Measure
	if !filled(m.Action) || !filled(m.Why) || !filled(m.How) ||
		longer(m.Action, MaxMeasureText) || longer(m.Why, MaxMeasureText) || longer(m.How, MaxMeasureText) {
		return fmt.Errorf("measure: action, why and how needed in French and English, at most %d characters", MaxMeasureText)
	}
	for _, c := range m.Categories {
		if !slices.Contains(ToolCategories, c) {
			return fmt.Errorf("measure: unknown catalogue category %q", c)
		}
	}
	return nil
}

func filled(t Text) bool { return strings.TrimSpace(t.FR) != "" && strings.TrimSpace(t.EN) != "" }

func longer(t Text, n int) bool {
	return utf8.RuneCountInString(t.FR) > n || utf8.RuneCountInString(t.EN) > n
}

// Question returns the question with that id, nil when this version has
// none.
func (q *Questionnaire) Question(id string) *Question {
	for i := range q.Questions {
		if q.Questions[i].ID == id {
			return &q.Questions[i]
		}
	}
	return nil
}

// Dimension returns the dimension with that id, nil when unknown.
func (q *Questionnaire) Dimension(id string) *DimensionInfo {
	for i := range q.Dimensions {
		if q.Dimensions[i].ID == id {
			return &q.Dimensions[i]
		}
	}
	return nil
}

// Score returns an option's score, and false for "don't know", "not
// concerned" and unknown options: they count as neither high nor low.
func (qu *Question) Score(option string) (int, bool) {
	i := qu.rank(option)
	if i < 0 {
		return 0, false
	}
	return qu.Options[i].Score, true
}

// rank is an option's place from the weakest (0), -1 when it is not scored.
func (qu *Question) rank(option string) int {
	return slices.IndexFunc(qu.Options, func(o Choice) bool { return o.ID == option })
}

// CheckAnswer returns an EINVALID error when option is not an answer of the
// question (an old or forged button). Called before an answer is stored.
func (q *Questionnaire) CheckAnswer(questionID, option string) error {
	qu := q.Question(questionID)
	if qu == nil {
		return Errorf(EINVALID, "diag.error.question_unknown")
	}
	if option == DontKnow || option == NotConcerned || qu.rank(option) >= 0 {
		return nil
	}
	return Errorf(EINVALID, "diag.error.option_unknown")
}
