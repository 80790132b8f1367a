//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

const (
	frenchHelp  = "Voici ce que je sais faire"
	englishHelp = "Here is what I can do"
)

func TestHelpSpeaksEachMembersLanguage(t *testing.T) {
	if got := mustRun(t, camille, mm.Channel.Id, "/balise help"); !strings.Contains(got, frenchHelp) || !strings.Contains(got, "/outil") {
		t.Errorf("camille (fr) reads %q, want French help with /outil", got)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/balise help"); !strings.Contains(got, englishHelp) || !strings.Contains(got, "/tool") {
		t.Errorf("alex (en) reads %q, want English help with /tool", got)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/balise dance"); !strings.Contains(got, "/balise lang en") {
		t.Errorf("an unknown subcommand answers %q, want the usage of /balise", got)
	}
}

// A command that does not carry the stored token is refused and changes nothing.
func TestForgedSlashCommandIsRefused(t *testing.T) {
	ctx := context.Background()
	form := url.Values{"token": {"forged"}, "team_id": {mm.Team.Id}, "channel_id": {mm.Channel.Id},
		"user_id": {camille.Id}, "command": {"/balise"}, "text": {"lang en"}}
	resp, err := http.PostForm(balise.URL+"/commands", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged token: got status %d, want 401", resp.StatusCode)
	}
	// Another team's admin points a command of their own at Balise: its token is not Balise's.
	cmd, _, err := mm.Admin.Client.CreateCommand(ctx, &model.Command{TeamId: mm.Team.Id, Trigger: "imposter",
		Method: model.CommandMethodPost, URL: balise.URL + "/commands"})
	if err != nil {
		t.Fatal(err)
	}
	defer mm.Admin.Client.DeleteCommand(ctx, cmd.Id)
	if _, err := camille.Run(ctx, mm.Channel.Id, "/imposter lang en"); err == nil {
		t.Error("/imposter: got a reply, want Mattermost to report Balise's refusal")
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/balise help"); !strings.Contains(got, frenchHelp) {
		t.Errorf("after the forged commands camille reads %q, want French still", got)
	}
	if !strings.Contains(balise.LogTail(), "token does not match") || strings.Contains(balise.LogTail(), "forged") {
		t.Error("the refusal should be logged, without the token")
	}
}

// A click whose context is not signed by Balise is refused; a real one works.
func TestClicksAreVerified(t *testing.T) {
	ctx := context.Background()
	forged := &model.Post{ChannelId: mm.Channel.Id, Message: "Click me"}
	model.ParseSlackAttachment(forged, []*model.SlackAttachment{{Actions: []*model.PostAction{{
		Id: "forged", Name: "English", Type: model.PostActionTypeButton,
		Integration: &model.PostActionIntegration{URL: balise.URL + "/actions",
			Context: map[string]any{"a": "lang", "lang": "en", "team": mm.Team.Id, "sig": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}},
	}}}})
	post, _, err := mm.Admin.Client.CreatePost(ctx, forged)
	if err != nil {
		t.Fatal(err)
	}
	if err := camille.Click(ctx, post.Id, "forged"); err == nil {
		t.Error("forged click: got success, want refused")
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/balise help"); !strings.Contains(got, frenchHelp) {
		t.Fatalf("after a forged click camille reads %q, want French still", got)
	}

	// The real card: /balise lang sends buttons in a direct message.
	if got := mustRun(t, camille, mm.Channel.Id, "/balise lang"); !strings.Contains(got, "message privé") {
		t.Errorf("/balise lang answers %q, want a pointer to the direct message", got)
	}
	dm, err := camille.DirectChannelWith(ctx, botID(t))
	if err != nil {
		t.Fatal(err)
	}
	card, err := camille.WaitPost(ctx, dm.Id, 10*time.Second, func(p *model.Post) bool { return mmtest.ActionID(p, "English") != "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := camille.Click(ctx, card.Id, mmtest.ActionID(card, "English")); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/balise help"); !strings.Contains(got, englishHelp) {
		t.Errorf("after clicking English camille reads %q, want English", got)
	}
	mustRun(t, camille, mm.Channel.Id, "/balise lang fr")
}

// A dialog submission whose state Balise did not sign is refused.
func TestForgedDialogStateIsRefused(t *testing.T) {
	before := count(t, `SELECT COUNT(*) FROM decision`)
	_, _, err := camille.Client.SubmitInteractiveDialog(context.Background(), model.SubmitDialogRequest{
		URL: balise.URL + "/dialogs", CallbackId: "decide", State: "e30.forged",
		ChannelId: mm.Channel.Id, TeamId: mm.Team.Id,
		Submission: map[string]any{"title": "Forged", "kind": "proposal", "closes": "7d"},
	})
	if err == nil {
		t.Error("forged dialog state: got success, want refused")
	}
	if after := count(t, `SELECT COUNT(*) FROM decision`); after != before {
		t.Errorf("a forged dialog wrote a decision: %d before, %d after", before, after)
	}
}

func TestLanguageChoiceSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	if got := mustRun(t, alex, mm.Channel.Id, "/balise lang fr"); !strings.Contains(got, "français") {
		t.Errorf("/balise lang fr answers %q, want a French confirmation", got)
	}
	if err := balise.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/balise help"); !strings.Contains(got, frenchHelp) {
		t.Errorf("after a restart alex reads %q, want French as chosen", got)
	}
	mustRun(t, alex, mm.Channel.Id, "/balise lang en")
}

func TestSetupIsIdempotent(t *testing.T) {
	ctx := context.Background()
	before := teamCommands(t)
	out, err := balise.Setup(ctx)
	if err != nil {
		t.Fatalf("second setup: %v\n%s", err, out)
	}
	for _, word := range []string{"created", "registered", "updated"} {
		if strings.Contains(out, word) {
			t.Errorf("second setup says %q, want nothing changed", out)
		}
	}
	if after := teamCommands(t); !sameCommands(before, after) {
		t.Errorf("second setup changed the commands:\nbefore %v\nafter  %v", before, after)
	}
	// A new public URL moves every command.
	out, err = balise.Setup(ctx, "-public-url", "http://127.0.0.1:9")
	if err != nil || strings.Count(out, "updated /") != 7 {
		t.Errorf("setup with a new URL: %v, %q, want 7 commands updated", err, out)
	}
	for _, c := range teamCommands(t) {
		if c.URL != "http://127.0.0.1:9/commands" {
			t.Errorf("/%s points at %s after the move", c.Trigger, c.URL)
		}
	}
	if out, err := balise.Setup(ctx); err != nil || strings.Count(out, "updated /") != 7 {
		t.Fatalf("setup back: %v\n%s", err, out)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/balise help"); !strings.Contains(got, englishHelp) {
		t.Errorf("after setup runs, /balise help answers %q", got)
	}
}

// setup does not take over a trigger that another integration uses, and
// registers nothing in that team.
func TestSetupLeavesOtherIntegrationsAlone(t *testing.T) {
	ctx := context.Background()
	other, _, err := mm.Admin.Client.CreateTeam(ctx, &model.Team{Name: "autre", DisplayName: "Autre", Type: model.TeamOpen})
	if err != nil {
		t.Fatal(err)
	}
	theirs, _, err := mm.Admin.Client.CreateCommand(ctx, &model.Command{TeamId: other.Id, Trigger: "plan", DisplayName: "Agenda partagé",
		Method: model.CommandMethodPost, URL: "http://127.0.0.1:9/agenda"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := balise.Setup(ctx, "-teams", "autre")
	if err == nil || !strings.Contains(out, "/plan already belongs to another integration") {
		t.Errorf("setup on a team with a foreign /plan: %v, %q; want a refusal naming it", err, out)
	}
	list, _, _ := mm.Admin.Client.ListCommands(ctx, other.Id, true)
	if len(list) != 1 || list[0].Id != theirs.Id || list[0].URL != theirs.URL {
		t.Errorf("team autre's commands after the refusal: %d, want only theirs, untouched", len(list))
	}
}

func TestBackupWhileServing(t *testing.T) {
	file := filepath.Join(t.TempDir(), "copy.db")
	if out, err := balise.Command(context.Background(), "backup", file); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if st, err := os.Stat(file); err != nil || st.Size() == 0 {
		t.Fatalf("backup file: %v", err)
	}
}

func botID(t testing.TB) string {
	t.Helper()
	u, _, err := mm.Admin.Client.GetUserByUsername(context.Background(), "balise", "")
	if err != nil {
		t.Fatal(err)
	}
	return u.Id
}

func teamCommands(t testing.TB) map[string]*model.Command {
	t.Helper()
	list, _, err := mm.Admin.Client.ListCommands(context.Background(), mm.Team.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*model.Command{}
	for _, c := range list {
		if c.URL != "" && c.Trigger != "imposter" {
			out[c.Trigger] = c
		}
	}
	return out
}

func sameCommands(a, b map[string]*model.Command) bool {
	if len(a) != len(b) || len(a) != 7 {
		return false
	}
	for k, c := range a {
		d, ok := b[k]
		if !ok || c.Id != d.Id || c.Token != d.Token || c.URL != d.URL || c.UpdateAt != d.UpdateAt {
			return false
		}
	}
	return true
}

func TestSecretsStayOutOfTheLog(t *testing.T) {
	log := balise.Log()
	rows, err := db(t).Query(`SELECT name, value FROM setting WHERE name IN ('bot_token', 'signing_key') UNION ALL SELECT trigger, token FROM slash_command`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var name, secret string
		rows.Scan(&name, &secret)
		n++
		if len(secret) < 16 || strings.Contains(log, secret) {
			t.Errorf("secret %s is short or appears in the log", name)
		}
	}
	if n < 9 {
		t.Errorf("found %d secrets to check, want the bot token, the key and 7 command tokens", n)
	}
	if strings.Contains(log, mm.Admin.Client.AuthToken) {
		t.Error("the admin token appears in the log")
	}
}
