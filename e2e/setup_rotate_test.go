//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// setup -rotate-tokens has Mattermost issue new command tokens and stores
// them: whoever held an old one can no longer speak to Balise.
func TestSetupRotatesCommandTokens(t *testing.T) {
	ctx := context.Background()
	before := teamCommands(t)
	old := storedToken(t, "balise")
	if old == "" || old != before["balise"].Token {
		t.Fatalf("stored token of /balise %q, Mattermost's %q: want the same before rotating", old, before["balise"].Token)
	}
	if got := slashStatus(t, old); got != http.StatusOK {
		t.Fatalf("the current token: status %d, want 200", got)
	}

	out, err := balise.Setup(ctx, "-rotate-tokens")
	if err != nil || strings.Count(out, "rotated the token of /") != 7 {
		t.Fatalf("setup -rotate-tokens: %v\n%s\nwant 7 tokens rotated", err, out)
	}
	after := teamCommands(t)
	for trigger, c := range after {
		if b := before[trigger]; b == nil || c.Id != b.Id || c.Token == b.Token {
			t.Errorf("/%s after rotation: same command with a new token wanted", trigger)
		}
		if stored := storedToken(t, trigger); stored != c.Token {
			t.Errorf("/%s: Balise stores a token that is not Mattermost's new one", trigger)
		}
	}
	if got := slashStatus(t, old); got != http.StatusUnauthorized {
		t.Errorf("the old token after rotation: status %d, want 401", got)
	}
	if got := slashStatus(t, after["balise"].Token); got != http.StatusOK {
		t.Errorf("the new token: status %d, want 200", got)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/balise help"); !strings.Contains(got, englishHelp) {
		t.Errorf("after rotation /balise help answers %q, want the help", got)
	}
	// Without the flag, setup leaves the new tokens alone.
	if out, err := balise.Setup(ctx); err != nil || strings.Contains(out, "rotated") {
		t.Errorf("setup again: %v\n%s\nwant nothing rotated", err, out)
	}
	if stored := storedToken(t, "balise"); stored != after["balise"].Token {
		t.Error("setup without -rotate-tokens changed the stored token")
	}
}

// slashStatus posts /balise help to Balise as Mattermost would, with token.
func slashStatus(t *testing.T, token string) int {
	t.Helper()
	form := url.Values{"token": {token}, "team_id": {mm.Team.Id}, "channel_id": {mm.Channel.Id},
		"user_id": {alex.Id}, "command": {"/balise"}, "text": {"help"}}
	resp, err := http.PostForm(balise.URL+"/commands", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func storedToken(t *testing.T, trigger string) string {
	t.Helper()
	var token string
	if err := db(t).QueryRow(`SELECT token FROM slash_command WHERE team_id = ? AND trigger = ?`, mm.Team.Id, trigger).Scan(&token); err != nil {
		t.Fatal(err)
	}
	return token
}
