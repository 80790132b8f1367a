package bot

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestLevelOf(t *testing.T) {
	for _, tc := range []struct {
		score int
		want  Level
	}{{0, Beginner}, {39, Beginner}, {40, Progressing}, {69, Progressing}, {70, Experienced}, {100, Experienced}} {
		if got := LevelOf(tc.score); got != tc.want {
			t.Errorf("LevelOf(%d) = %s, want %s", tc.score, got, tc.want)
		}
	}
}

// twoRespondents: on dimension a the board member says hi and mid, the
// volunteer lo and don't know; on b only the board member answers (mid,
// mid); nobody answers c.
func twoRespondents() []*Sheet {
	return []*Sheet{
		{UserID: "b1", Role: Board, Answers: map[string]string{"a.one": "hi", "a.two": "mid", "b.one": "mid", "b.two": "mid"},
			Targets: map[string]int{"a": 100}},
		{UserID: "v1", Role: Volunteer, Answers: map[string]string{"a.one": "lo", "a.two": DontKnow},
			Targets: map[string]int{"a": 50, "b": TargetDontKnow}},
		{UserID: "n1"}, // invited, not started: no role, not counted
	}
}

func TestScoreDimensionsAndTargets(t *testing.T) {
	r := Score(testQuestionnaire(t), twoRespondents(), 3)
	if r.Respondents != 2 || r.Overall != 50 || r.Target != 75 || r.Groups != nil {
		t.Errorf("got %d respondents, overall %d, target %d, groups %v; want 2, 50, 75, none", r.Respondents, r.Overall, r.Target, r.Groups)
	}
	for i, want := range []struct {
		score, answers, target int
		set                    bool
		level                  Level
	}{
		{50, 3, 75, true, Progressing}, // a.one (0+100)/2 = 50 weight 1, a.two 50 weight 2; targets (100+50)/2
		{50, 2, DefaultTarget, false, Progressing},
		{0, 0, DefaultTarget, false, Beginner},
	} {
		d := r.Dimensions[i]
		if d.Score != want.score || d.Answers != want.answers || d.Target != want.target || d.TargetSet != want.set || d.Level() != want.level {
			t.Errorf("dimension %s: got score %d answers %d target %d set %v level %s; want %+v",
				d.Dimension.ID, d.Score, d.Answers, d.Target, d.TargetSet, d.Level(), want)
		}
	}
}

func TestScoreQuestionsSpreadAndDisagreement(t *testing.T) {
	r := Score(testQuestionnaire(t), twoRespondents(), 3)
	for i, want := range []QuestionScore{
		{Score: 50, Answers: 2, Spread: 100, Disagree: true},
		{Score: 50, Answers: 1, DontKnow: 1},
		{Score: 50, Answers: 1},
	} {
		got := r.Questions[i]
		if got.Low == nil || got.High == nil || got.High.Score-got.Low.Score != got.Spread {
			t.Errorf("question %s: weakest %v and strongest %v answers, want them %d apart", got.Question.ID, got.Low, got.High, got.Spread)
		}
		got.Question, got.Low, got.High = nil, nil, nil
		if got != want {
			t.Errorf("question %s: got %+v, want %+v", r.Questions[i].Question.ID, got, want)
		}
	}
	// answers one option apart are not a disagreement
	near := []*Sheet{
		{Role: Staff, Answers: map[string]string{"a.one": "lo"}},
		{Role: Staff, Answers: map[string]string{"a.one": "mid"}},
		{Role: Staff, Answers: map[string]string{"a.one": NotConcerned}},
	}
	got := Score(testQuestionnaire(t), near, 3).Questions[0]
	if got.Disagree || got.Spread != 50 || got.Score != 25 || got.NotConcerned != 1 {
		t.Errorf("neighbours: got %+v, want spread 50, score 25, 1 not concerned, no disagreement", got)
	}
}

func TestPrioritiesRankWeightedGaps(t *testing.T) {
	r := Score(testQuestionnaire(t), twoRespondents(), 3)
	var got []string
	for _, p := range r.Priorities {
		got = append(got, fmt.Sprintf("%s gap %d weight %.1f", p.Question.ID, p.Gap, p.Weight))
	}
	want := []string{
		"a.two gap 25 weight 50.0", // 25 × importance 2
		"b.two gap 25 weight 50.0",
		"a.one gap 25 weight 37.5", // 25 × 1 × (1 + 100/200): disagreement raises it
		"b.one gap 25 weight 25.0", // agreement never zeroes it
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// technical: a.one 37.5 + b.one 25; human: a.two 50 + b.two 50
	wantShares := []DifficultyShare{{Technical, 38, 2}, {Human, 62, 2}}
	if !slices.Equal(r.Difficulties, wantShares) {
		t.Errorf("difficulties: got %+v, want %+v", r.Difficulties, wantShares)
	}
}

func TestPrioritiesKeepTheFiveLargest(t *testing.T) {
	all := map[string]string{}
	for _, qu := range testQuestionnaire(t).Questions {
		all[qu.ID] = "lo"
	}
	all["c.two"] = "hi" // at its target: no priority
	r := Score(testQuestionnaire(t), []*Sheet{{Role: Staff, Answers: all}}, 3)
	if len(r.Priorities) != MaxPriorities {
		t.Fatalf("got %d priorities, want %d", len(r.Priorities), MaxPriorities)
	}
	for _, p := range r.Priorities {
		if p.Question.ID == "c.two" {
			t.Error("a question at its target is a priority")
		}
	}
}

func TestGroupsKeepEveryGroupAnonymous(t *testing.T) {
	people := func(counts ...any) []*Sheet {
		var out []*Sheet
		for i := 0; i+1 < len(counts); i += 2 {
			for range counts[i+1].(int) {
				out = append(out, &Sheet{Role: counts[i].(Role)})
			}
		}
		return out
	}
	for _, tc := range []struct {
		name     string
		sheets   []*Sheet
		minGroup int
		want     string
	}{
		{"three volunteers shown, two board members merged", people(Volunteer, 3, Board, 2), 3, "volunteer:3 others:2"},
		{"a lone board member pulls the smallest role in", people(Volunteer, 3, Board, 1), 3, ""},
		{"equal roles: the later one joins others", people(Board, 3, Volunteer, 3, Staff, 1), 3, "board:3 others:4"},
		{"threshold lowered to two", people(Board, 2, Volunteer, 2), 2, "board:2 volunteer:2"},
		{"a threshold of one counts as two", people(Board, 1, Volunteer, 1), 1, ""},
		{"one role only", people(Board, 5), 3, ""},
		{"two large roles", people(Board, 3, Volunteer, 4), 3, "board:3 volunteer:4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, g := range Groups(tc.sheets, tc.minGroup) {
				got = append(got, fmt.Sprintf("%s:%d", cmp.Or(string(g.Role), "others"), g.Size))
			}
			if s := strings.Join(got, " "); s != tc.want {
				t.Errorf("got %q, want %q", s, tc.want)
			}
		})
	}
}

func TestRoleFiguresPerDimension(t *testing.T) {
	var sheets []*Sheet
	for range 3 {
		sheets = append(sheets, &Sheet{Role: Volunteer, Answers: map[string]string{"a.one": "lo", "a.two": "lo"}})
	}
	for range 2 {
		sheets = append(sheets, &Sheet{Role: Board, Answers: map[string]string{"a.one": "hi", "a.two": "mid", "b.one": "hi"}})
	}
	r := Score(testQuestionnaire(t), sheets, 3)
	a, b := r.Dimensions[0], r.Dimensions[1]
	if !slices.Equal(a.ByGroup, []int{0, 67}) || !a.RolesDisagree() {
		t.Errorf("a by group: got %v (disagree %v), want [0 67], a disagreement", a.ByGroup, a.RolesDisagree())
	}
	if !slices.Equal(b.ByGroup, []int{-1, 100}) || b.RolesDisagree() {
		t.Errorf("b by group: got %v (disagree %v), want [-1 100], no disagreement with a group that did not answer", b.ByGroup, b.RolesDisagree())
	}
}
