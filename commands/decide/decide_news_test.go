package decide

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"balise/bot"
)

// Toggling Block and Agree tells the author once: the bot is no amplifier.
func TestABlockIsToldOncePerVoter(t *testing.T) {
	r := newRig(t)
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	for range 5 {
		r.Click("sam", d.PostID, "vote3")
		r.Click("sam", d.PostID, "vote0")
	}
	r.Settle()
	if dms := r.Chat.DMs("camille"); len(dms) != 1 {
		t.Errorf("camille got %d block notices, want 1", len(dms))
	}
}

// The author may ask three reminders in all, and none once the closing
// time has passed, even before the closing job ran.
func TestAskedRemindersAreCapped(t *testing.T) {
	r := newRig(t)
	now := time.Now()
	r.db.Now = func() time.Time { return now }
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	for i := range 3 {
		if _, text := r.Click("camille", d.PostID, "remind"); !strings.Contains(text, "Rappel envoyé") {
			t.Fatalf("reminder %d: got %q, want it sent", i+1, text)
		}
		now = now.Add(11 * time.Minute)
	}
	if _, text := r.Click("camille", d.PostID, "remind"); !strings.Contains(text, "déjà été relancés 3 fois") {
		t.Errorf("a fourth reminder: got %q, want it refused", text)
	}
	r.command("camille", "tok", `"Adopter Paheko" --fermeture 1h`)
	d, _ = r.db.Decision(context.Background(), "team", 2)
	now = d.ClosesAt.Add(time.Minute) // no reminder asked yet, but time is up
	if _, text := r.Click("camille", d.PostID, "remind"); !strings.Contains(text, "fermée") {
		t.Errorf("a reminder after the closing time: got %q, want it refused", text)
	}
	if _, text := r.Click("alex", d.PostID, "vote0"); !strings.Contains(text, "closed") {
		t.Errorf("a vote after the closing time: got %q, want it refused", text)
	}
}

// A crash between storing a decision and storing its card's post leaves
// nothing behind: the repair job posts the card, or finds it by its key.
func TestUnpostedCardsAreRepairedOnce(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	for i, posted := range []bool{false, true} {
		d := &bot.Decision{TeamID: "team", ChannelID: "board", AuthorID: "camille", Lang: bot.French, Title: fmt.Sprint("Crash ", i),
			Kind: bot.Proposal, Options: bot.ProposalOptions, Voters: []string{"camille"},
			CreatedAt: r.dec.now().Add(-time.Hour), ClosesAt: r.dec.now().Add(time.Hour)}
		if err := r.db.CreateDecision(ctx, d); err != nil {
			t.Fatal(err)
		}
		if posted { // the card went out, then Balise crashed
			r.Chat.Post(ctx, bot.Message{ChannelID: "board", Text: "card", Key: d.PostKey})
		}
	}
	for range 2 {
		if err := r.dec.repairCards(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if posts := r.Chat.Posts(); len(posts) != 2 {
		t.Errorf("%d cards posted, want one per decision", len(posts))
	}
	if left, _ := r.db.Unposted(ctx); len(left) != 0 {
		t.Errorf("%d decisions still without a card", len(left))
	}
}

// A member's list counts what they may see: decisions of other channels
// do not use up its places.
func TestListsCountWhatTheMemberSees(t *testing.T) {
	r := newRig(t)
	r.Chat.Members["board"] = []string{"camille", "sam"}
	r.Chat.Members["town"] = []string{"zoe", "camille"}
	r.command("camille", "tok", `"Budget du bureau" --fermeture 2j`)
	r.Channel = "town"
	for i := range 25 {
		r.command("zoe", "tok", fmt.Sprintf(`"Fête %d" --fermeture 2j`, i))
	}
	r.Channel = "board"
	if _, text := r.command("sam", "tok", "liste"); !strings.Contains(text, "Budget du bureau") {
		t.Errorf("sam lists %q, want the board's decision", text)
	}
}

// A card that can never be updated (deleted, archived channel) is not
// fetched again at every tick.
func TestAGoneCardIsLeftAlone(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j`)
	d, _ := r.db.Decision(ctx, "team", 1)
	r.Chat.Refuse(fmt.Errorf("deleted post: %w", bot.ErrPermanent))
	r.Click("alex", d.PostID, "vote0")
	r.Settle()
	if stale, _ := r.db.StaleCards(ctx); len(stale) != 0 {
		t.Errorf("%d cards still stale, want the gone one left alone", len(stale))
	}
}

// A reminder that falls due while Mattermost cannot tell the members'
// languages waits for it, rather than go out in French to everyone: once
// Mattermost answers, each undecided member gets one, in their language.
func TestRemindersWaitForMattermost(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	now := r.dec.now()
	r.db.Now = r.dec.now // one clock for the store and the jobs
	d := &bot.Decision{TeamID: "team", ChannelID: "board", AuthorID: "camille", Lang: bot.French, Title: "Adopter Paheko",
		Kind: bot.Proposal, Options: bot.ProposalOptions, Voters: []string{"camille", "alex", "sam"},
		CreatedAt: now.Add(-2 * time.Hour), ClosesAt: now.Add(time.Hour)}
	if err := r.db.CreateDecision(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := r.db.SetDecisionPost(ctx, d.ID, "card"); err != nil {
		t.Fatal(err)
	}
	r.Chat.SetDown(true)
	if err := r.dec.remindDue(ctx); err == nil {
		t.Error("remindDue succeeded while Mattermost could not tell languages")
	}
	r.Chat.SetDown(false)
	if err := r.dec.remindDue(ctx); err != nil {
		t.Fatal(err)
	}
	if err := r.dec.remindDue(ctx); err != nil { // claimed once
		t.Fatal(err)
	}
	r.Settle()
	if err := r.post.Deliver(ctx); err != nil {
		t.Fatal(err)
	}
	for user, want := range map[string]string{"camille": "pas encore voté", "sam": "pas encore voté", "alex": "not voted yet"} {
		dms := r.Chat.DMs(user)
		if len(dms) != 1 || !strings.Contains(dms[0].Text, want) {
			t.Errorf("%s got %v, want one reminder reading %q", user, dms, want)
		}
	}
}
