package bot

import (
	"encoding/json"
	"strings"
	"testing"
)

// testQuestionnaire has three dimensions, a, b and c, of two questions
// each; every question's options score 0, 50 and 100 (ids lo, mid, hi).
func testQuestionnaire(t testing.TB) *Questionnaire {
	t.Helper()
	q := &Questionnaire{Version: 1}
	for _, d := range []string{"a", "b", "c"} {
		q.Dimensions = append(q.Dimensions, DimensionInfo{ID: d, Name: Text{d, d}, Short: Text{d, d}})
		for i, kind := range []Difficulty{Technical, Human} {
			q.Questions = append(q.Questions, Question{
				ID: d + "." + []string{"one", "two"}[i], Dimension: d, Difficulty: kind, Weight: i + 1,
				Text: Text{"Question ?", "Question?"},
				Options: []Choice{
					{ID: "lo", Score: 0, Label: Text{"bas", "low"}},
					{ID: "mid", Score: 50, Label: Text{"moyen", "middle"}},
					{ID: "hi", Score: 100, Label: Text{"haut", "high"}},
				},
				Measure: Measure{Action: Text{"Agir", "Act"}, Why: Text{"Parce que", "Because"}, How: Text{"Ainsi", "So"},
					Categories: []string{"files"}, Tools: []string{"nextcloud"}},
			})
		}
	}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	return q
}

func TestValidateRefusesABrokenQuestionnaire(t *testing.T) {
	for _, tc := range []struct {
		name   string
		break_ func(q *Questionnaire)
		want   string
	}{
		{"no version", func(q *Questionnaire) { q.Version = 0 }, "version"},
		{"two dimensions", func(q *Questionnaire) { q.Dimensions = q.Dimensions[:2] }, "at least 3"},
		{"dimension twice", func(q *Questionnaire) { q.Dimensions[1].ID = "a" }, "twice"},
		{"dimension without English", func(q *Questionnaire) { q.Dimensions[0].Short.EN = "" }, "short name"},
		{"dimension without questions", func(q *Questionnaire) {
			q.Dimensions = append(q.Dimensions, DimensionInfo{ID: "d", Name: Text{"d", "d"}, Short: Text{"d", "d"}})
		}, "dimension d: no questions"},
		{"question twice", func(q *Questionnaire) { q.Questions[1].ID = "a.one" }, "a.one: twice"},
		{"malformed id", func(q *Questionnaire) { q.Questions[0].ID = "A One" }, "dimension.name"},
		{"unknown dimension", func(q *Questionnaire) { q.Questions[0].ID, q.Questions[0].Dimension = "z.one", "z" }, "unknown dimension"},
		{"unknown difficulty", func(q *Questionnaire) { q.Questions[0].Difficulty = "moral" }, "difficulty"},
		{"weight 0", func(q *Questionnaire) { q.Questions[0].Weight = 0 }, "weight"},
		{"no French text", func(q *Questionnaire) { q.Questions[0].Text.FR = " " }, "text"},
		{"one option", func(q *Questionnaire) { q.Questions[0].Options = q.Questions[0].Options[:1] }, "1 options"},
		{"reserved option", func(q *Questionnaire) { q.Questions[0].Options[0].ID = DontKnow }, "reserved"},
		{"option twice", func(q *Questionnaire) { q.Questions[0].Options[1].ID = "lo" }, "twice"},
		{"score out of range", func(q *Questionnaire) { q.Questions[0].Options[2].Score = 120 }, "out of 0-100"},
		{"scores not rising", func(q *Questionnaire) { q.Questions[0].Options[1].Score = 0 }, "lowest score to the highest"},
		{"label too long for a button", func(q *Questionnaire) {
			q.Questions[0].Options[0].Label.FR = strings.Repeat("é", MaxOptionLabel+1)
		}, "at most 40"},
		{"measure without why", func(q *Questionnaire) { q.Questions[0].Measure.Why = Text{} }, "measure"},
		{"unknown category", func(q *Questionnaire) { q.Questions[0].Measure.Categories = []string{"magic"} }, "magic"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := testQuestionnaire(t)
			tc.break_(q)
			err := q.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseQuestionnaire(t *testing.T) {
	data, err := json.Marshal(testQuestionnaire(t))
	if err != nil {
		t.Fatal(err)
	}
	q, err := ParseQuestionnaire(data)
	if err != nil || len(q.Questions) != 6 {
		t.Fatalf("got %v, %v; want 6 questions", q, err)
	}
	broken := strings.Replace(string(data), `"weight":1`, `"weight":1,"wieght":2`, 1)
	if _, err := ParseQuestionnaire([]byte(broken)); err == nil || !strings.Contains(err.Error(), "wieght") {
		t.Errorf("a misspelt field: got %v, want an error naming it", err)
	}
}

func TestCheckAnswer(t *testing.T) {
	q := testQuestionnaire(t)
	for _, tc := range []struct {
		question, option string
		want             string
	}{
		{"a.one", "mid", ""},
		{"a.one", DontKnow, ""},
		{"a.one", NotConcerned, ""},
		{"a.one", "maybe", "diag.error.option_unknown"},
		{"z.one", "mid", "diag.error.question_unknown"},
	} {
		err := q.CheckAnswer(tc.question, tc.option)
		var got string
		if err != nil {
			got = err.(*Error).Key
		}
		if got != tc.want {
			t.Errorf("CheckAnswer(%s, %s) = %q, want %q", tc.question, tc.option, got, tc.want)
		}
	}
}

func TestQuestionScore(t *testing.T) {
	qu := &testQuestionnaire(t).Questions[0]
	for _, tc := range []struct {
		option string
		score  int
		scored bool
	}{{"lo", 0, true}, {"hi", 100, true}, {DontKnow, 0, false}, {NotConcerned, 0, false}, {"gone", 0, false}} {
		if s, ok := qu.Score(tc.option); s != tc.score || ok != tc.scored {
			t.Errorf("Score(%s) = %d, %v; want %d, %v", tc.option, s, ok, tc.score, tc.scored)
		}
	}
}
