package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/storage"
)

const (
	teamOne = "teamoneaaaaaaaaaaaaaaaaaaa"
	teamTwo = "teamtwobbbbbbbbbbbbbbbbbbb"
)

// twoTeams is a database where two teams have commands, feedback and a
// language choice.
func twoTeams(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "balise.db")
	db, err := storage.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.LoadCatalogue(t.Context())
	db.SetSetting(t.Context(), storage.SettingBotUserID, "bot1")
	for _, team := range []string{teamOne, teamTwo} {
		for _, trigger := range []string{"balise", "decide"} {
			db.SaveSlashCommand(t.Context(), storage.SlashCommand{TeamID: team, Trigger: trigger, CommandID: "cmd-" + trigger + "-" + team, Token: "tok"})
		}
		db.SetLang(t.Context(), team, "camille", bot.English)
		if err := db.AddFeedback(t.Context(), bot.Feedback{ToolID: "nextcloud", TeamID: team, UserID: "camille", Text: "avis de " + team}); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func runTeam(t *testing.T, args ...string) (string, error) {
	var out strings.Builder
	err := (&Team{out: func(f string, a ...any) { out.WriteString(sprintf(f, a...) + "\n") }}).Run(t.Context(), args)
	return out.String(), err
}

func TestTeamExportThenErase(t *testing.T) {
	path := twoTeams(t)
	file := filepath.Join(t.TempDir(), "one.json")
	if out, err := runTeam(t, "export", teamOne, file, "-db", path); err != nil || !strings.Contains(out, "tool_feedback 1") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	b, _ := os.ReadFile(file)
	var exp teamFile
	if err := json.Unmarshal(b, &exp); err != nil || exp.TeamID != teamOne || len(exp.Tables["tool_feedback"]) != 1 ||
		len(exp.Tables["member_preference"]) != 1 || strings.Contains(string(b), teamTwo) {
		t.Errorf("export %s: %v; want team one's feedback and preference, nothing of team two", b, err)
	}
	if st, _ := os.Stat(file); st.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v, want 0600", st.Mode().Perm())
	}
	if _, err := runTeam(t, "export", teamOne, file, "-db", path); err == nil {
		t.Error("export over an existing file: want an error")
	}
	if _, err := runTeam(t, "erase", teamOne, "-db", path); err == nil || !strings.Contains(err.Error(), "-yes") {
		t.Errorf("erase without -yes: %v, want a request to confirm", err)
	}
	if out, err := runTeam(t, "erase", teamOne, "-yes", "-db", path); err != nil || !strings.Contains(out, "slash_command 2") {
		t.Fatalf("erase: %v\n%s", err, out)
	}
	db, _ := storage.Open(t.Context(), path)
	defer db.Close()
	one, _ := db.ExportTeam(t.Context(), teamOne)
	two, _ := db.ExportTeam(t.Context(), teamTwo)
	for table, rows := range one {
		if len(rows) > 0 {
			t.Errorf("after erase, %s holds %d rows of team one", table, len(rows))
		}
	}
	if len(two["tool_feedback"]) != 1 || len(two["slash_command"]) != 2 {
		t.Errorf("team two after team one's erasure: %v, want it whole", two)
	}
}

// remove unregisters the team's commands and takes the bot out of it in
// Mattermost, then erases its data; the team is found by name.
func TestTeamRemove(t *testing.T) {
	path := twoTeams(t)
	var mu sync.Mutex
	var calls []string
	mm := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls = append(calls, r.Method+" "+r.URL.Path)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == "GET" && r.URL.Path == "/api/v4/teams/name/asso":
			json.NewEncoder(w).Encode(&model.Team{Id: teamOne, Name: "asso"})
		case r.Method == "DELETE":
			w.Write([]byte(`{"status":"OK"}`))
		default:
			w.WriteHeader(404)
			json.NewEncoder(w).Encode(&model.AppError{Id: "fake", StatusCode: 404})
		}
	}))
	defer mm.Close()
	if out, err := runTeam(t, "remove", "asso", "-yes", "-db", path); err == nil {
		t.Errorf("remove without the admin token: %s, want an error", out)
	}
	out, err := runTeam(t, "remove", "asso", "-yes", "-db", path, "-mattermost-url", mm.URL, "-admin-token", "x")
	if err != nil {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	sort.Strings(calls)
	want := []string{"DELETE /api/v4/commands/cmd-balise-" + teamOne, "DELETE /api/v4/commands/cmd-decide-" + teamOne,
		"DELETE /api/v4/teams/" + teamOne + "/members/bot1", "GET /api/v4/teams/name/asso"}
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("Mattermost got\n%s\nwant\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
	db, _ := storage.Open(t.Context(), path)
	defer db.Close()
	if ids, _ := db.SlashCommandIDs(t.Context(), teamOne); len(ids) != 0 {
		t.Errorf("after remove, team one's commands are still stored: %v", ids)
	}
}
