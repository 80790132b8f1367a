package commands_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"balise/bot"
	"balise/commands/commandstest"
)

// lastDM returns the text of the last direct message a member received,
// and the files of the last post in their direct channel.
func (r *everything) lastDM(user string) (string, []bot.File) {
	var text string
	if dms := r.Chat.DMs(user); len(dms) > 0 {
		text = dms[len(dms)-1].Text
	}
	var files []bot.File
	for _, id := range r.Chat.Posts() {
		if r.Chat.PostOf(id).ChannelID == "dm-"+user {
			text, files = r.Chat.PostOf(id).Text, r.Chat.Files(id)
		}
	}
	return text, files
}

// forgetButton types /balise forget as user and returns its button's context.
func (r *everything) forgetButton(t *testing.T, user, trigger string) (string, map[string]any) {
	t.Helper()
	code, resp := r.Command(user, "tok", "balise", trigger)
	if code != http.StatusOK || len(resp.Attachments) != 1 || len(resp.Attachments[0].Actions) != 1 {
		t.Fatalf("/balise %s: %d %+v, want one button", trigger, code, resp)
	}
	return resp.Text, resp.Attachments[0].Actions[0].Integration.Context
}

// A member sees what Balise holds about them, in a direct message, and
// once they confirm, it is forgotten: the vote still counts.
func TestMemberSeesAndForgetsTheirData(t *testing.T) {
	r := MustEverything(t)
	ctx := context.Background()
	if got := r.Run("camille", "balise", "aide"); !strings.Contains(got, "/balise donnees") || !strings.Contains(got, "/balise notice") {
		t.Errorf("help does not point to the member's data and the notice:\n%s", got)
	}
	r.Run("camille", "decide", `"Passer à Nextcloud" --fermeture 2j`)
	r.Settle()
	d, _ := r.db.Decision(ctx, "team", 1)
	if code, _ := r.Click("camille", d.PostID, "vote0"); code != http.StatusOK {
		t.Fatalf("vote: %d", code)
	}
	r.Run("camille", "outil", "avis framadate notre avis sur framadate")
	r.Run("camille", "balise", "langue fr")
	r.Settle()

	if got := r.Run("camille", "balise", "donnees"); !strings.Contains(got, "message privé") {
		t.Errorf("/balise donnees answered %q", got)
	}
	text, files := r.lastDM("camille")
	for _, want := range []string{"Décision que vous avez ouverte", "n°1 Passer à Nextcloud", "**D'accord**",
		"notre avis sur framadate", "/balise oublier"} {
		if !strings.Contains(text, want) {
			t.Errorf("the direct message lacks %q:\n%s", want, text)
		}
	}
	if len(files) != 0 {
		t.Errorf("a short list came as a file: %v", files)
	}

	msg, button := r.forgetButton(t, "camille", "oublier")
	if !strings.Contains(msg, "définitif") {
		t.Errorf("the confirmation says %q", msg)
	}
	if code, got := r.ClickContext("alex", "", button); code != http.StatusOK || !strings.Contains(got, "for the member who asked") {
		t.Errorf("another member's click: %d %q, want a refusal", code, got)
	}
	expired := r.Kit.Button("forget", "x", "danger", "forget", map[string]string{"team": "team", "user": "camille", "until": "1"})
	if _, got := r.ClickContext("camille", "", expired.Context); !strings.Contains(got, "expiré") {
		t.Errorf("an expired confirmation: %q", got)
	}
	if held, _ := r.db.PersonalData(ctx, "team", "camille"); held.Empty() {
		t.Fatal("refused clicks forgot the member")
	}
	if _, got := r.ClickContext("camille", "", button); !strings.Contains(got, "oublié·e") {
		t.Errorf("the confirmed click: %q", got)
	}
	if held, err := r.db.PersonalData(ctx, "team", "camille"); err != nil || !held.Empty() {
		t.Errorf("after forgetting: %+v, %v", held, err)
	}
	if tally, _ := r.db.Tally(ctx, d.ID); tally.Voted != 1 {
		t.Errorf("the vote no longer counts: %+v", tally)
	}
	r.Run("camille", "balise", "donnees")
	if text, _ := r.lastDM("camille"); !strings.Contains(text, "Rien") {
		t.Errorf("after forgetting, the direct message says:\n%s", text)
	}
}

// A long list comes as a Markdown file, the message keeping counts and the
// first lines.
func TestLongPersonalDataComesAsAFile(t *testing.T) {
	r := MustEverything(t)
	for i := range 25 {
		r.Run("alex", "tool", fmt.Sprintf("feedback framadate opinion number %d", i))
	}
	r.Run("alex", "balise", "privacy")
	text, files := r.lastDM("alex")
	if len(files) != 1 || !strings.HasSuffix(files[0].Name, ".md") {
		t.Fatalf("files %v, want one Markdown file", files)
	}
	data := string(files[0].Data)
	for i := range 25 {
		if !strings.Contains(data, fmt.Sprintf("opinion number %d”", i)) {
			t.Errorf("the file lacks feedback %d", i)
		}
	}
	if !strings.Contains(data, "Who to ask") {
		t.Error("the file lacks the privacy notice")
	}
	if !strings.Contains(text, "What you said of tools** (25)") || !strings.Contains(text, "and 20 more") ||
		strings.Contains(text, "opinion number 24”") {
		t.Errorf("the message should count and cut the list:\n%s", text)
	}
}

// The notice says what is kept, why, for how long and who to ask, in the
// member's language.
func TestPrivacyNotice(t *testing.T) {
	r := MustEverything(t)
	for user, wants := range map[string][]string{
		"camille": {"Ce qui est gardé", "Pourquoi", "Combien de temps", "À qui s'adresser"},
		"alex":    {"What is kept", "Why", "For how long", "Who to ask"},
	} {
		got := r.Run(user, "balise", "notice")
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("%s's notice lacks %q:\n%s", user, want, got)
			}
		}
	}
}

// A Balise without a store for members' data says so rather than fail.
func TestPrivacyUnavailableWithoutAStore(t *testing.T) {
	r := commandstest.New(t).Serve()
	for _, verb := range []string{"privacy", "forget"} {
		if got := r.Run("alex", "balise", verb); !strings.Contains(got, "cannot show or erase") {
			t.Errorf("/balise %s without a store: %q", verb, got)
		}
	}
}
