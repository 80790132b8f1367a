package bot

import (
	"slices"
	"testing"
)

func TestCompareOverSharedQuestions(t *testing.T) {
	v1 := testQuestionnaire(t)
	v2 := testQuestionnaire(t)
	v2.Version = 2
	// v2 drops a.two, adds a.three, and moves b.one into dimension c
	v2.Questions = slices.DeleteFunc(v2.Questions, func(q Question) bool { return q.ID == "a.two" })
	extra := v2.Questions[0]
	extra.ID = "a.three"
	v2.Questions = append(v2.Questions, extra)
	for i := range v2.Questions {
		if v2.Questions[i].ID == "b.one" {
			v2.Questions[i].Dimension = "c"
		}
	}
	before := []*Sheet{{Role: Staff, Answers: map[string]string{"a.one": "lo", "a.two": "hi", "b.one": "lo", "b.two": "mid", "c.one": "mid"}}}
	after := []*Sheet{
		{Role: Staff, Answers: map[string]string{"a.one": "hi", "a.three": "lo", "b.one": "hi", "b.two": "mid", "c.one": "mid"}},
		{UserID: "not-started"},
	}
	c := Compare(v1, before, v2, after)
	if c.Shared != 5 || !slices.Equal(c.LeftOut, []string{"a.three", "a.two"}) {
		t.Errorf("got %d shared, left out %v; want 5, [a.three a.two]", c.Shared, c.LeftOut)
	}
	type fig struct{ before, after, delta int }
	var got []fig
	for _, d := range c.Dimensions {
		got = append(got, fig{d.Before, d.After, d.Delta()})
	}
	// a: a.one only, 0 → 100; b: b.two only, 50 → 50;
	// c: b.one (weight 1) and c.one (weight 1), (0+50)/2 → (100+50)/2
	want := []fig{{0, 100, 100}, {50, 50, 0}, {25, 75, 50}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
