package commands_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"balise/commands"
	"balise/commands/commandstest"
)

// boom is a capability whose command panics.
type boom struct{}

func (boom) Register(r *commands.Routes) {
	r.Command("boom", "help.balise", func(context.Context, *commands.Input) (string, error) { panic("boom") }, "decide")
}

func TestPanicIsAnsweredPolitely(t *testing.T) {
	r := commandstest.New(t).Serve(boom{})
	code, resp := r.Command("camille", "tok", "decide", "anything")
	if code != http.StatusOK || !strings.Contains(resp.Text, "Oups") {
		t.Errorf("panic: got %d %q, want a polite French message", code, resp.Text)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	r := commandstest.New(t)
	var down error
	srv := commands.NewServer(commands.Config{Tokens: commandstest.Tokens{}, Kit: r.Kit,
		Ready: func(context.Context) error { return down }})
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200} {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != want {
			t.Errorf("%s: got %d, want %d", path, rec.Code, want)
		}
	}
	down = errors.New("database: closed")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable || strings.Contains(rec.Body.String(), "database") {
		t.Errorf("/readyz when the database is down: got %d %s, want 503 without details", rec.Code, rec.Body)
	}
}

// A body over 1 MiB is refused before anything reads it whole, also when
// it is well formed and would otherwise be accepted.
func TestBodiesAreCapped(t *testing.T) {
	r := commandstest.New(t).Serve()
	big := strings.Repeat("x", 2<<20)
	form := url.Values{"token": {"tok"}, "team_id": {"team"}, "channel_id": {"board"}, "user_id": {"camille"},
		"command": {"/balise"}, "text": {"aide " + big}}
	req := httptest.NewRequest("POST", commands.CommandPath, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusBadRequest {
		t.Errorf("a 2 MiB command: got %d, want 400", rec.Code)
	}
	small := form
	small.Set("text", "aide")
	req = httptest.NewRequest("POST", commands.CommandPath, strings.NewReader(small.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	r.Handler.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Errorf("the same command, small: got %d, want 200", rec.Code)
	}
}

// extra is a capability that adds `/balise ping` (and `pong`) with a line
// in the help, and tries to take `help`.
type extra struct{}

func (extra) Register(r *commands.Routes) {
	r.Balise("lang.choose", func(_ context.Context, in *commands.Input) (string, error) { return "ping:" + in.Text, nil }, "ping", "Pong")
	r.Balise("", func(context.Context, *commands.Input) (string, error) { return "taken", nil }, "help")
}

// A capability's /balise verb gets the text after it and its help line;
// the face's own verbs stay the face's.
func TestBaliseSubcommandFromACapability(t *testing.T) {
	r := commandstest.New(t).Serve(extra{})
	if got := r.Run("camille", "balise", "pong  a b"); got != "ping:a b" {
		t.Errorf("/balise pong a b = %q, want the capability's answer with the rest", got)
	}
	help := r.Run("camille", "balise", "help")
	if help == "taken" || !strings.Contains(help, r.Kit.T("fr", "lang.choose")) {
		t.Errorf("/balise help = %q, want the face's help with the capability's line", help)
	}
}
