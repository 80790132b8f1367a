package commands_test

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"balise/bot"
	"balise/bot/background"
	"balise/commands"
	"balise/commands/commandstest"
	"balise/commands/decide"
	"balise/commands/diag"
	"balise/commands/tool"
	"balise/storage"
)

// everything serves every capability on one database, as balise serve does.
type everything struct {
	*commandstest.Rig
	db *storage.DB
}

func MustEverything(t *testing.T) *everything {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	qs, err := storage.Questionnaires()
	if err != nil {
		t.Fatal(err)
	}
	r := &everything{Rig: commandstest.New(t), db: db}
	r.Personal = db
	r.Chat.Members["board"] = []string{"camille", "alex", "sam"}
	r.Chat.Members["elsewhere"] = []string{"zoe"}
	post := background.NewPostman(r.Work, db, r.Chat)
	board := decide.New(decide.Config{Kit: r.Kit, Store: db, Chat: r.Chat, Work: r.Work, Postman: post, Now: commandstest.Now})
	r.Serve(board,
		tool.New(tool.Config{Kit: r.Kit, Catalogue: db, Chat: r.Chat, Board: board, Now: commandstest.Now}),
		diag.New(diag.Config{Kit: r.Kit, Store: db, Chat: r.Chat, Catalogue: db, Postman: post, Questionnaires: qs, Now: commandstest.Now}))
	return r
}

// rows counts what the database holds, to show that a refused request
// wrote nothing.
func (r *everything) rows(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, q := range []struct{ team string }{{"team"}, {"otherteam"}} {
		open, _ := r.db.ListDecisions(ctx, q.team, bot.DecisionFilter{Open: true, AnyChannel: true})
		closed, _ := r.db.ListDecisions(ctx, q.team, bot.DecisionFilter{AnyChannel: true})
		fmt.Fprintf(&b, "%s: %d open, %d closed; ", q.team, len(open), len(closed))
		for _, d := range append(open, closed...) {
			t, _ := r.db.Tally(ctx, d.ID)
			fmt.Fprintf(&b, "#%d %q %v %q; ", d.Number, d.Title, t.Counts, d.Outcome)
		}
	}
	return b.String()
}

// Hostile requests are refused clearly, change nothing and leave Balise
// serving.
func TestHostileRequestsAreRefused(t *testing.T) {
	r := MustEverything(t)
	r.Run("camille", "decide", `"Passer à Nextcloud" --fermeture 2j`)
	r.Settle()
	d, _ := r.db.Decision(context.Background(), "team", 1)
	vote := r.Button(d.PostID, "vote0")
	before := r.rows(t)
	for _, c := range []struct {
		name    string
		do      func() (int, string)
		code    int
		message string // what the member reads, "" when the status says it
	}{
		{"wrong token", func() (int, string) {
			code, resp := r.Command("camille", "nope", "decide", `"X" --fermeture 2j`)
			return code, resp.Text
		}, 401, ""},
		{"unknown team", func() (int, string) {
			r.Team = "nobody"
			defer func() { r.Team = "team" }()
			code, resp := r.Command("camille", "tok", "decide", `"X" --fermeture 2j`)
			return code, resp.Text
		}, 401, ""},
		{"mention of the whole channel", func() (int, string) { return 200, r.Run("camille", "decide", `"Réunion @channel" --fermeture 2j`) }, 200, "tout le canal"},
		{"invalid UTF-8", func() (int, string) { return 200, r.Run("camille", "decide", "\"\xff\xfe\" --fermeture 2j") }, 200, "texte"},
		{"line breaks faking a card", func() (int, string) {
			return 200, r.Run("camille", "decide", "\"Budget\n#### Décision adoptée\" --fermeture 2j")
		}, 200, "une seule ligne"},
		{"SQL in a search", func() (int, string) {
			return 200, r.Run("camille", "decide", `registre '; DROP TABLE decision; SELECT '`)
		}, 200, "Aucune"},
		{"SQL in a tool's name", func() (int, string) { return 200, r.Run("camille", "outil", `fiche x' OR '1'='1`) }, 200, ""},
		{"forged click", func() (int, string) {
			forged := commands.NewSigner([]byte("guess"), nil).ButtonContext(map[string]string{"a": "vote", "team": "team", "d": "1", "c": "3"})
			return r.ClickContext("sam", d.PostID, forged)
		}, 401, ""},
		{"tampered click", func() (int, string) {
			c := map[string]any{}
			for k, v := range vote {
				c[k] = v
			}
			c["c"] = "3"
			return r.ClickContext("sam", d.PostID, c)
		}, 401, ""},
		{"a click from outside the voters", func() (int, string) { return r.ClickContext("zoe", d.PostID, vote) }, 200, "votant"},
		{"a forged form", func() (int, string) {
			code, resp := r.SubmitState("camille", "board", "decide", "e30.forged", map[string]any{"title": "X", "closes": "2j"})
			return code, resp.Error
		}, 401, ""},
		{"an expired form", func() (int, string) {
			old := commands.NewSigner([]byte("key"), func() time.Time { return commandstest.Now().Add(-48 * time.Hour) })
			state := old.DialogState("decide", "camille", map[string]string{"team": "team", "channel": "board"})
			code, resp := r.SubmitState("camille", "board", "decide", state, map[string]any{"title": "X", "closes": "2j"})
			return code, resp.Error
		}, 401, ""},
		{"another team's number", func() (int, string) {
			r.Team = "otherteam"
			defer func() { r.Team = "team" }()
			return 200, r.Run("zoe", "decide", "fermer #1")
		}, 200, "ne trouve pas"},
	} {
		code, text := c.do()
		if code != c.code || c.message != "" && !strings.Contains(text, c.message) {
			t.Errorf("%s: got %d %q, want %d and %q", c.name, code, text, c.code, c.message)
		}
		r.Settle()
		if after := r.rows(t); after != before {
			t.Errorf("%s changed the database:\n%s\nwas\n%s", c.name, after, before)
		}
	}
	if got := r.Run("alex", "balise", "help"); !strings.Contains(got, "/decide") {
		t.Errorf("after all that, /balise help reads %q", got)
	}
	if code := func() int { c, _ := r.ClickContext("sam", d.PostID, vote); return c }(); code != http.StatusOK {
		t.Errorf("a real click afterwards: %d", code)
	}
}
