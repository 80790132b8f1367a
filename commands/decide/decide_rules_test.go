package decide

import (
	"context"
	"strings"
	"testing"

	"balise/bot"
)

// resultPost returns the post of the close in a decision's thread.
func (r *rig) resultPost(d *bot.Decision) string {
	r.t.Helper()
	for _, id := range r.Chat.Posts() {
		if p := r.Chat.PostOf(id); p.RootID == d.PostID && p.Card != nil {
			return id
		}
	}
	r.t.Fatalf("no result posted for #%d", d.Number)
	return ""
}

const notAuthor = "Seule la personne qui a ouvert la décision"

// Only a decision's author, or a team admin, closes it, reminds its voters
// and writes its outcome: by command, button or form.
func TestOnlyTheAuthorOrAnAdminManages(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j`)
	d, _ := r.db.Decision(ctx, "team", 1)
	if _, text := r.Click("sam", d.PostID, "remind"); !strings.Contains(text, notAuthor) {
		t.Errorf("sam reminds: got %q, want a refusal", text)
	}
	if _, text := r.Click("sam", d.PostID, "closenow"); !strings.Contains(text, notAuthor) {
		t.Errorf("sam closes: got %q, want a refusal", text)
	}
	if _, text := r.command("sam", "tok", "fermer #1"); !strings.Contains(text, notAuthor) {
		t.Errorf("sam types close: got %q, want a refusal", text)
	}
	if _, text := r.Click("camille", d.PostID, "remind"); strings.Contains(text, notAuthor) {
		t.Errorf("camille reminds: got %q, want it done", text)
	}
	if _, text := r.command("camille", "tok", "fermer #1"); !strings.Contains(text, "#1 fermée") {
		t.Fatalf("camille closes: got %q", text)
	}
	r.Settle()
	result := r.resultPost(d)
	if _, text := r.command("sam", "tok", "resultat #1 On y va"); !strings.Contains(text, notAuthor) {
		t.Errorf("sam types the outcome: got %q, want a refusal", text)
	}
	if _, text := r.Click("sam", result, "outcome"); !strings.Contains(text, notAuthor) || len(r.Chat.Dialogs()) != 0 {
		t.Errorf("sam clicks 'Write the outcome': got %q and %d dialogs, want a refusal", text, len(r.Chat.Dialogs()))
	}
	// An admin opens the form, then is no longer admin when they submit it.
	r.Chat.Admins["sam"] = true
	r.Click("sam", result, "outcome")
	r.Chat.Admins["sam"] = false
	if _, resp := r.Submit("sam", "board", "outcome", map[string]any{"outcome": "On y va"}); !strings.Contains(resp.Error, notAuthor) {
		t.Errorf("sam submits the outcome once demoted: got %+v, want a refusal", resp)
	}
	if d, _ := r.db.Decision(ctx, "team", 1); d.Outcome != "" {
		t.Errorf("refused outcomes stored %q", d.Outcome)
	}
}

// The form of a new decision posts where it was opened, whatever channel
// the submission names, and only while its author belongs there.
func TestDecisionFormKeepsItsChannelAndMembers(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	r.Chat.Members["elsewhere"] = []string{"camille"}
	r.command("camille", "tok", "")
	form := map[string]any{"title": "Budget", "kind": "proposal", "closes": "7j"}
	if _, resp := r.Submit("camille", "elsewhere", "decide", form); resp.Error != "" || len(resp.Errors) > 0 {
		t.Fatalf("submit: %+v", resp)
	}
	if d, err := r.db.Decision(ctx, "team", 1); err != nil || d.ChannelID != "board" {
		t.Fatalf("decision = %+v, %v; want it in board, where the form opened", d, err)
	}
	r.Chat.Members["board"] = []string{"alex", "sam"} // camille left the board
	if _, resp := r.Submit("camille", "board", "decide", form); !strings.Contains(resp.Error, "plus membre") {
		t.Errorf("a former member replays the form: got %+v, want a refusal", resp)
	}
	if _, err := r.db.Decision(ctx, "team", 2); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("the replayed form opened decision #2 (%v)", err)
	}
}

// The export holds only the decisions of the member's channels.
func TestExportKeepsToTheMembersChannels(t *testing.T) {
	r := newRig(t)
	r.command("camille", "tok", `"Budget du bureau" --fermeture 2j`)
	r.Chat.Members["town"] = []string{"zoe"}
	r.command("zoe", "tok", "export")
	r.command("sam", "tok", "export")
	var zoe, sam string
	for _, id := range r.Chat.Posts() {
		for _, f := range r.Chat.Files(id) {
			if strings.HasSuffix(f.Name, ".csv") && r.Chat.PostOf(id).ChannelID == "dm-zoe" {
				zoe = string(f.Data)
			}
			if strings.HasSuffix(f.Name, ".csv") && r.Chat.PostOf(id).ChannelID == "dm-sam" {
				sam = string(f.Data)
			}
		}
	}
	if strings.Contains(zoe, "Budget") || !strings.Contains(sam, "Budget") {
		t.Errorf("zoe's export %q, sam's %q: want the decision in sam's only", zoe, sam)
	}
}

// Under hidden results, a block reaches the author with the result, at the
// close, not before.
func TestHiddenBlocksWaitForTheClose(t *testing.T) {
	r := newRig(t)
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j --cache`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	r.Click("sam", d.PostID, "vote3")
	r.Settle()
	if dms := r.Chat.DMs("camille"); len(dms) != 0 {
		t.Errorf("camille got %d direct messages while results are hidden, want none", len(dms))
	}
	r.command("camille", "tok", "fermer #1")
	r.Settle()
	if text := r.Chat.PostOf(r.resultPost(d)).Text; !strings.Contains(text, "Blocage") || !strings.Contains(text, "1") {
		t.Errorf("result reads %q, want the block counted", text)
	}
}

// When the author asked to be forgotten, the result asks a team admin for
// the outcome and names no placeholder.
func TestResultOfAForgottenAuthorAsksAnAdmin(t *testing.T) {
	r := newRig(t)
	r.Chat.Admins["alex"] = true
	r.command("camille", "tok", `"Passer à Nextcloud" --fermeture 2j`)
	d, _ := r.db.Decision(context.Background(), "team", 1)
	if _, err := r.db.Forget(context.Background(), "team", "camille"); err != nil {
		t.Fatal(err)
	}
	r.command("alex", "tok", "close #1")
	r.Settle()
	if text := r.Chat.PostOf(r.resultPost(d)).Text; !strings.Contains(text, "Un·e admin de l'équipe") || strings.Contains(text, bot.ForgottenPrefix) {
		t.Errorf("result reads %q, want a team admin asked for the outcome", text)
	}
}
