package plan_test

import (
	"strings"
	"testing"

	"balise/bot"
	"balise/commands/commandstest"
)

func hasButton(m bot.Message, action string) bool {
	for _, b := range m.Card.Buttons {
		if b.Context["a"] == action {
			return true
		}
	}
	return false
}

// Once "evaluate adoption" is the next step, and after it is done, the
// card offers "Start the next diagnostic": a diagstart button, answered by
// the diagnostic capability, naming the plan's team and channel.
func TestLastStepOffersTheNextDiagnostic(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	if hasButton(f.card(), "diagstart") {
		t.Fatalf("a new plan's card offers the next diagnostic: %+v", f.card().Card.Buttons)
	}
	for _, n := range []string{"1", "4", "5", "6"} {
		if got := f.rig.Run("camille", "plan", "fait #1 "+n); !strings.Contains(got, "faite") {
			t.Fatalf("/plan fait #1 %s = %q", n, got)
		}
		f.rig.Settle()
	}
	if hasButton(f.card(), "diagstart") {
		t.Fatalf("the card offers the next diagnostic before the switch is done: %+v", f.card().Card.Buttons)
	}
	if got := f.rig.Run("camille", "plan", "fait #1 7"); strings.Contains(got, "Adoption évaluée") {
		t.Errorf("ticking the switch says %q, want nothing about the evaluation", got)
	}
	f.rig.Settle()
	card := f.card()
	if !hasButton(card, "diagstart") {
		t.Fatalf("evaluate adoption is next; card buttons %+v, want Start the next diagnostic", card.Card.Buttons)
	}
	ctx := button(t, card, "diagstart")
	if ctx["team"] != "team" || ctx["ch"] != "board" {
		t.Errorf("diagstart context %v, want the plan's team and channel", ctx)
	}
	code, got := f.rig.ClickContext("camille", f.rig.Chat.Posts()[0], button(t, card, "done"))
	if code != 200 || !strings.Contains(got, "Adoption évaluée") || !strings.Contains(got, "Lancer le prochain diagnostic") {
		t.Errorf("Done on evaluate adoption = %d %q, want it to point at the next diagnostic", code, got)
	}
	f.rig.Settle()
	if !hasButton(f.card(), "diagstart") {
		t.Errorf("the evaluation is done; card buttons %+v, want Start the next diagnostic still", f.card().Card.Buttons)
	}
	if got := f.rig.Run("camille", "plan", "archiver #1"); got == "" {
		t.Fatal("no answer to /plan archiver")
	}
	f.rig.Settle()
	if hasButton(f.card(), "diagstart") {
		t.Errorf("an archived plan's card offers the next diagnostic: %+v", f.card().Card.Buttons)
	}
}
