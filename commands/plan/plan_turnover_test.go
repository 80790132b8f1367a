package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"balise/commands/commandstest"
)

// threadPosts returns the texts posted in the plan card's thread.
func threadPosts(f *fixture) []string {
	var out []string
	card := f.rig.Chat.Posts()[0]
	for _, id := range f.rig.Chat.Posts() {
		if p := f.rig.Chat.PostOf(id); p.RootID == card {
			out = append(out, p.Text)
		}
	}
	return out
}

// A referent who owns a step leaves the team: their step goes to the other
// referent, the thread says so once, their weekly look stops. When
// Mattermost cannot say, nothing moves. When the last referent, also the
// creator, leaves, the steps have nobody and the thread says so.
func TestTurnoverHandsStepsOver(t *testing.T) {
	ctx := context.Background()
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.rig.Run("camille", "plan", "attribuer #1 5 @alex")
	turnover := func() {
		t.Helper()
		if err := f.plans.Turnover(ctx); err != nil {
			t.Fatal(err)
		}
		f.rig.Settle()
		if err := f.post.Deliver(ctx); err != nil {
			t.Fatal(err)
		}
		f.rig.Settle()
	}
	turnover()
	if got := threadPosts(f); len(got) != 0 {
		t.Fatalf("nobody left, yet the thread heard %q", got)
	}

	f.rig.Chat.Gone["alex"] = true
	f.rig.Chat.Unsure = true
	if err := f.plans.Turnover(ctx); err == nil {
		t.Error("Mattermost could not say, yet no error")
	}
	if p, _ := f.db.Plan(ctx, "team", 1); !p.IsReferent("alex") {
		t.Fatal("alex was handed over while Mattermost could not say")
	}
	f.rig.Chat.Unsure = false
	turnover()
	turnover() // once
	got := threadPosts(f)
	if len(got) != 1 || !strings.Contains(got[0], "@alex a quitté l'équipe") || !strings.Contains(got[0], "(5) passent à @camille") {
		t.Fatalf("thread = %q, want one hand-over to @camille", got)
	}
	p, err := f.db.Plan(ctx, "team", 1)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := p.Step(5); st.OwnerID != "camille" || p.IsReferent("alex") {
		t.Errorf("step 5 owner %q, referents %v; want camille alone", st.OwnerID, p.Referents)
	}
	if strings.Contains(f.card().Card.Text, "@alex") {
		t.Errorf("card = %q, still names alex", f.card().Card.Text)
	}
	f.at(time.Date(2026, 11, 30, 9, 0, 0, 0, paris(t)))
	if n := len(f.rig.Chat.DMs("alex")); n != 0 {
		t.Errorf("alex, gone, got %d messages", n)
	}
	if n := len(f.rig.Chat.DMs("camille")); n != 1 {
		t.Errorf("camille got %d messages, want her weekly look", n)
	}

	f.rig.Chat.Gone["camille"] = true
	turnover()
	got = threadPosts(f)
	if len(got) != 2 || !strings.Contains(got[1], "@camille a quitté l'équipe") || !strings.Contains(got[1], "plus de responsable") {
		t.Fatalf("thread = %q, want the steps left to nobody", got)
	}
	p, _ = f.db.Plan(ctx, "team", 1)
	if st, _ := p.Step(5); st.OwnerID != "" || len(p.Referents) != 0 {
		t.Errorf("step 5 owner %q, referents %v; want nobody", st.OwnerID, p.Referents)
	}
}
