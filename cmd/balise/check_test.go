package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/bot"
	"balise/storage"
)

// checkRig is a Mattermost and a Balise for balise check: the fake
// Mattermost runs /balise help by asking the fake Balise, as the real one
// does, unless told the command fails.
type checkRig struct {
	mm, balise  *httptest.Server
	db          string
	now         time.Time
	commandFail bool
	balisesDown bool
}

func newCheckRig(t *testing.T) *checkRig {
	r := &checkRig{db: filepath.Join(t.TempDir(), "balise.db"), now: time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)}
	r.balise = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.balisesDown {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"status":"ready"}`))
	}))
	t.Cleanup(r.balise.Close)
	cfg := goodConfig()
	r.mm = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		bearer := strings.TrimSpace(strings.TrimPrefix(strings.ToLower(req.Header.Get("Authorization")), "bearer"))
		switch req.Method + " " + req.URL.Path {
		case "GET /api/v4/users/me":
			if bearer == "bot-token" {
				json.NewEncoder(w).Encode(&model.User{Id: "bot1", Username: "balise", IsBot: true})
				return
			}
			json.NewEncoder(w).Encode(&model.User{Id: "admin1", Username: "admin", Locale: "en"})
		case "GET /api/v4/config":
			json.NewEncoder(w).Encode(cfg)
		case "POST /api/v4/channels/direct":
			json.NewEncoder(w).Encode(&model.Channel{Id: "dm1", Type: model.ChannelTypeDirect})
		case "GET /api/v4/teams/team1":
			json.NewEncoder(w).Encode(&model.Team{Id: "team1", Name: "asso"})
		case "POST /api/v4/commands/execute":
			var args model.CommandArgs
			json.NewDecoder(req.Body).Decode(&args)
			if r.commandFail || args.TeamId != "team1" || args.ChannelId != "dm1" || args.Command != "/balise help" {
				w.WriteHeader(http.StatusInternalServerError)
				json.NewEncoder(w).Encode(&model.AppError{Id: "api.command.execute_command.failed.app_error", StatusCode: 500})
				return
			}
			json.NewEncoder(w).Encode(&model.CommandResponse{Text: "**Balise** walks you from a digital diagnostic to choosing a free tool, deciding together and making it stick. Here is what I can do:\n..."})
		default:
			w.WriteHeader(http.StatusNotFound)
			json.NewEncoder(w).Encode(&model.AppError{Id: "fake.not_found", StatusCode: 404})
		}
	}))
	t.Cleanup(r.mm.Close)
	return r
}

// setUp stores what setup leaves and what serve records: one team, a job
// that ran a minute ago.
func (r *checkRig) setUp(t *testing.T) *storage.DB {
	db, err := storage.Open(t.Context(), r.db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for name, v := range map[string]string{storage.SettingBotUserID: "bot1", storage.SettingBotToken: "bot-token"} {
		if err := db.SetSetting(t.Context(), name, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SaveSlashCommand(t.Context(), storage.SlashCommand{TeamID: "team1", Trigger: "balise", CommandID: "c1", Token: "t"}); err != nil {
		t.Fatal(err)
	}
	if err := db.RecordJobRun(t.Context(), "deliver-outbox", 30*time.Second, r.now.Add(-time.Minute), nil); err != nil {
		t.Fatal(err)
	}
	return db
}

func (r *checkRig) check(t *testing.T) (string, error) {
	t.Helper()
	var out strings.Builder
	c := &Check{out: func(f string, a ...any) { out.WriteString(sprintf(f, a...) + "\n") }, now: func() time.Time { return r.now },
		resolve: noLookup}
	err := c.Run(t.Context(), []string{"-mattermost-url", r.mm.URL, "-admin-token", "admin-token", "-public-url", r.balise.URL, "-db", r.db})
	return out.String(), err
}

func TestCheckSaysAllGood(t *testing.T) {
	r := newCheckRig(t)
	r.setUp(t)
	out, err := r.check(t)
	if err != nil || !strings.HasSuffix(out, "All good: Balise is ready.\n") || strings.Contains(out, "✗") {
		t.Fatalf("check: %v\n%s\nwant all good", err, out)
	}
	for _, want := range []string{"In team asso, /balise help went through Mattermost to Balise and back", "The scheduler runs: 1 job",
		"Outbox: 0 letters waiting", "Mattermost accepts the bot's token (@balise)"} {
		if !strings.Contains(out, want) {
			t.Errorf("check said %q, want %q", out, want)
		}
	}
}

// Each thing check looks at, broken, makes it end with that thing to fix.
func TestCheckNamesTheFirstThingToFix(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(*checkRig, *storage.DB)
		want   string
	}{
		{"no setup", func(r *checkRig, db *storage.DB) { db.SetSetting(t.Context(), storage.SettingBotUserID, "") }, "No bot account or team in the database yet"},
		{"bot token", func(r *checkRig, db *storage.DB) { db.SetSetting(t.Context(), storage.SettingBotToken, "stale") }, "Mattermost refuses the bot's token"},
		{"serve down", func(r *checkRig, db *storage.DB) { r.balisesDown = true }, "Balise does not answer at"},
		{"round trip", func(r *checkRig, db *storage.DB) { r.commandFail = true }, "In team asso, /balise help did not come back"},
		{"scheduler stopped", func(r *checkRig, db *storage.DB) { r.now = r.now.Add(10 * time.Minute) }, "The job deliver-outbox last ran 11m0s ago"},
		{"job failing", func(r *checkRig, db *storage.DB) {
			db.RecordJobRun(t.Context(), "deliver-outbox", 30*time.Second, r.now.Add(-2*time.Minute), errors.New("boom"))
			db.RecordJobRun(t.Context(), "deliver-outbox", 30*time.Second, r.now, errors.New("boom"))
		}, "The job deliver-outbox has been failing for 2m0s: boom"},
		{"outbox stuck", func(r *checkRig, db *storage.DB) {
			db.Now = func() time.Time { return r.now.Add(-time.Hour) }
			db.Enqueue(t.Context(), "team1", bot.Envelope{ToUserID: "camille", Message: bot.Message{Text: "hi"}})
		}, "Outbox: 1 letters waiting, the oldest for 1h0m0s"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newCheckRig(t)
			c.break_(r, r.setUp(t))
			out, err := r.check(t)
			if err == nil || !strings.Contains(err.Error(), "first thing to fix: "+c.want) || strings.Contains(out, "All good") {
				t.Errorf("check: %v\n%s\nwant the first thing to fix to be %q", err, out, c.want)
			}
		})
	}
}

// Dead letters are reported, and do not make check fail.
func TestCheckReportsDeadLetters(t *testing.T) {
	r := newCheckRig(t)
	db := r.setUp(t)
	db.Enqueue(t.Context(), "team1", bot.Envelope{ToUserID: "camille", Message: bot.Message{Text: "hi"}})
	letters, _ := db.Pending(t.Context(), 10)
	db.Failed(t.Context(), letters[0].ID, "archived", true)
	out, err := r.check(t)
	if err != nil || !strings.Contains(out, "⚠ 1 dead letter: a message Mattermost can never take") {
		t.Errorf("check: %v\n%s\nwant all good with one dead letter reported", err, out)
	}
}
