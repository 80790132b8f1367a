package bot

import (
	"slices"
	"testing"
	"time"
)

func TestNextStepResumesAtTheFirstUnanswered(t *testing.T) {
	q := testQuestionnaire(t)
	for _, tc := range []struct {
		name  string
		sheet Sheet
		kind  TurnKind
		at    string // question id or dimension id
		done  int
	}{
		{"new", Sheet{}, TurnRole, "", 0},
		{"role given", Sheet{Role: Staff}, TurnQuestion, "a.one", 0},
		{"a skipped answer is asked again", Sheet{Role: Staff, Answers: map[string]string{"a.two": "hi"}}, TurnQuestion, "a.one", 1},
		{"target after the dimension's questions", Sheet{Role: Staff, Answers: map[string]string{"a.one": DontKnow, "a.two": "hi"}}, TurnTarget, "a", 2},
		{"next dimension", Sheet{Role: Staff, Answers: map[string]string{"a.one": "lo", "a.two": "hi"}, Targets: map[string]int{"a": TargetDontKnow}}, TurnQuestion, "b.one", 3},
		{"answers of another version do not count", Sheet{Role: Board, Answers: map[string]string{"old.one": "lo"}}, TurnQuestion, "a.one", 0},
		{"all answered", Sheet{Role: Board,
			Answers: map[string]string{"a.one": "lo", "a.two": "lo", "b.one": "lo", "b.two": "lo", "c.one": "lo", "c.two": NotConcerned},
			Targets: map[string]int{"a": 50, "b": 50, "c": 100}}, TurnTools, "", 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := NextTurn(q, &tc.sheet)
			at := ""
			switch {
			case st.Question != nil:
				at = st.Question.ID
			case st.Dimension != nil:
				at = st.Dimension.ID
			}
			if st.Kind != tc.kind || at != tc.at || st.Done != tc.done || st.Total != 9 {
				t.Errorf("got kind %d at %q %d/%d, want kind %d at %q %d/9", st.Kind, at, st.Done, st.Total, tc.kind, tc.at, tc.done)
			}
		})
	}
}

func TestAttend(t *testing.T) {
	q := testQuestionnaire(t)
	c := &Campaign{Invited: []string{"ann", "bob", "cat", "dan"}}
	full := &Sheet{UserID: "bob", Role: Staff,
		Answers: map[string]string{"a.one": "lo", "a.two": "lo", "b.one": "lo", "b.two": "lo", "c.one": "lo", "c.two": "lo"},
		Targets: map[string]int{"a": 50, "b": 50, "c": 50}}
	half := &Sheet{UserID: "cat", Role: Volunteer, Answers: map[string]string{"a.one": "hi"}}
	roleOnly := &Sheet{UserID: "eve", Role: Board} // not invited, answered anyway
	a := Attend(q, c, []*Sheet{full, half, roleOnly})
	for _, tc := range []struct {
		name      string
		got, want []string
	}{
		{"finished", a.Finished, []string{"bob"}},
		{"half-way", a.HalfWay, []string{"cat", "eve"}},
		{"not started", a.NotStarted, []string{"ann", "dan"}},
	} {
		if !slices.Equal(tc.got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestCampaignDraftValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		draft CampaignDraft
		field string
	}{
		{"defaults", CampaignDraft{Invited: []string{"u"}}, ""},
		{"nobody invited", CampaignDraft{Invited: []string{" "}}, "respondents"},
		{"too soon", CampaignDraft{Invited: []string{"u"}, Duration: time.Minute}, "closes"},
		{"too far", CampaignDraft{Invited: []string{"u"}, Duration: 100 * 24 * time.Hour}, "closes"},
		{"threshold of one", CampaignDraft{Invited: []string{"u"}, MinGroup: 1}, "min-group"},
		{"threshold of two", CampaignDraft{Invited: []string{"u"}, MinGroup: 2}, ""},
		{"@channel in the name", CampaignDraft{Name: "hi @channel", Invited: []string{"u"}}, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			field, err := tc.draft.Validate()
			if field != tc.field || (err == nil) != (tc.field == "") {
				t.Errorf("got %q, %v; want field %q", field, err, tc.field)
			}
		})
	}
	d := CampaignDraft{Invited: []string{"b", "a", "b"}}
	d.Validate()
	if d.Duration != DefaultCampaignSpan || d.MinGroup != DefaultMinGroup || !slices.Equal(d.Invited, []string{"a", "b"}) {
		t.Errorf("defaults: got %v, %d, %v; want 14 days, 3, [a b]", d.Duration, d.MinGroup, d.Invited)
	}
}

func TestCampaignOpen(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		c    Campaign
		want bool
	}{
		{"before the close", Campaign{ClosesAt: now.Add(time.Hour)}, true},
		{"closing time passed", Campaign{ClosesAt: now}, false},
		{"closed early", Campaign{ClosesAt: now.Add(time.Hour), ClosedAt: now.Add(-time.Minute)}, false},
	} {
		if got := tc.c.Open(now); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestToolUse(t *testing.T) {
	for _, tc := range []struct {
		use   ToolUse
		key   string
		field string
	}{
		{ToolUse{ToolID: "nextcloud", Name: "Nextcloud", Category: "files", Future: Keep}, "nextcloud", ""},
		{ToolUse{Name: "  Le  Tableur de Paul "}, "name:le tableur de paul", ""},
		{ToolUse{Name: ""}, "name:", "name"},
		{ToolUse{Name: "X", Category: "magic"}, "name:x", "category"},
		{ToolUse{Name: "X", Future: "maybe"}, "name:x", "future"},
		{ToolUse{Name: "X", Frequency: "hourly"}, "name:x", "frequency"},
		{ToolUse{Name: "X", Limits: "ping @all"}, "name:x", "limits"},
	} {
		field, _ := tc.use.Validate()
		if got := tc.use.Key(); got != tc.key || field != tc.field {
			t.Errorf("%+v: got key %q field %q, want %q %q", tc.use, got, field, tc.key, tc.field)
		}
	}
}
