package commands_test

import (
	"strings"
	"testing"
)

// A member of another team sees, votes on, answers and changes nothing of
// this team's, whatever numbers or names they type.
func TestTeamsStayApart(t *testing.T) {
	r := MustEverything(t)
	r.Chat.Members["board"] = append(r.Chat.Members["board"], "zoe") // same channel id, other team
	r.Run("camille", "decide", `"Budget secret" --fermeture 2j`)
	r.Run("camille", "outil", "avis framadate notre avis secret")
	r.Run("camille", "diag", `demarrer "Diagnostic secret"`)
	r.Settle()
	before := r.rows(t)

	r.Team = "otherteam"
	for _, c := range []struct{ trigger, text string }{
		{"decide", "liste"}, {"decide", "registre"}, {"decide", "registre secret"}, {"decide", "voir #1"},
		{"decide", "fermer #1"}, {"decide", "resultat #1 adopté"}, {"decide", "exporter"},
		{"outil", "fiche framadate"}, {"diag", "etat"}, {"diag", "rapport"}, {"diag", "exporter"}, {"diag", ""},
	} {
		if got := r.Run("zoe", c.trigger, c.text); strings.Contains(got, "secret") || strings.Contains(got, "Budget") {
			t.Errorf("/%s %s from another team reads %q", c.trigger, c.text, got)
		}
	}
	r.Settle()
	for _, user := range []string{"zoe"} {
		for _, m := range r.Chat.DMs(user) {
			if strings.Contains(m.Text, "secret") || strings.Contains(m.Text, "Budget") {
				t.Errorf("%s received %q", user, m.Text)
			}
		}
	}
	for _, id := range r.Chat.Posts() {
		for _, f := range r.Chat.Files(id) {
			if r.Chat.PostOf(id).ChannelID == "dm-zoe" && strings.Contains(string(f.Data), "Budget") {
				t.Errorf("zoe's export %s holds this team's decision", f.Name)
			}
		}
	}
	if after := r.rows(t); after != before {
		t.Errorf("another team changed this team's data:\n%s\nwas\n%s", after, before)
	}
}
