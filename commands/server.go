// Package commands is Balise's HTTP face: the endpoints that Mattermost calls
// for slash commands, button clicks and dialog submissions. It verifies every
// request, parses what members typed, calls the domain and renders replies in
// the member's language.
package commands

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
)

// CommandTokens gives the token Mattermost sends with a team's command.
type CommandTokens interface {
	SlashCommandToken(ctx context.Context, teamID, trigger string) (string, error)
}

// Server serves Mattermost's calls. Build it with NewServer.
type Server struct {
	log       zerolog.Logger
	tokens    CommandTokens
	prefs     bot.Preferences
	chat      bot.Messenger
	signer    *Signer
	text      *Catalogue
	dialogURL string
	actionURL string
	ready     func(context.Context) error

	decisions     bot.Decisions
	outbox        bot.Outbox
	mattermostURL string
	tick          time.Duration
	now           func() time.Time
	bg            background

	catalogue bot.Catalogue
	tools     *bot.ToolFinder
	assistant bot.Assistant
	waitLLM   time.Duration

	commands map[string]*command
	actions  map[string]actionFunc
	dialogs  map[string]dialogFunc
	jobs     []bot.Job
}

// Config is what a Server needs.
type Config struct {
	Log       zerolog.Logger
	Tokens    CommandTokens
	Prefs     bot.Preferences
	Chat      bot.Messenger
	Signer    *Signer
	Text      *Catalogue
	PublicURL string                      // Balise's URL as Mattermost reaches it
	Ready     func(context.Context) error // database and Mattermost reachable

	Decisions     bot.Decisions
	Outbox        bot.Outbox
	MattermostURL string           // for links to posts
	Tick          time.Duration    // how often jobs look for due work; 30s when zero
	Now           func() time.Time // the clock; time.Now when nil

	Catalogue bot.Catalogue // the tool catalogue; /tool says "coming soon" without it
	Assistant bot.Assistant // optional language model for /tool, nil for none
	WaitLLM   time.Duration // how long /tool waits for the assistant; 4s when zero
}

// Paths of the endpoints.
const (
	CommandPath = "/commands"
	ActionPath  = "/actions"
	DialogPath  = "/dialogs"
)

// maxBody caps every request body: Mattermost's calls are small.
const maxBody = 1 << 20

// NewServer returns a server with Balise's own commands registered.
func NewServer(c Config) *Server {
	s := &Server{log: c.Log, tokens: c.Tokens, prefs: c.Prefs, chat: c.Chat, signer: c.Signer, text: c.Text,
		dialogURL: c.PublicURL + DialogPath, actionURL: c.PublicURL + ActionPath, ready: c.Ready,
		commands: map[string]*command{}, actions: map[string]actionFunc{}, dialogs: map[string]dialogFunc{},
		decisions: c.Decisions, outbox: c.Outbox, mattermostURL: c.MattermostURL, tick: c.Tick, now: c.Now,
		bg: newBackground(c.Log)}
	if s.tick <= 0 {
		s.tick = defaultTick
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.catalogue, s.assistant, s.waitLLM = c.Catalogue, c.Assistant, c.WaitLLM
	s.registerBalise()
	s.registerDecide()
	s.registerTool()
	s.registerComing()
	return s
}

// Handler returns the HTTP handler with every endpoint and middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+CommandPath, s.serveCommand)
	mux.HandleFunc("POST "+ActionPath, s.serveAction)
	mux.HandleFunc("POST "+DialogPath, s.serveDialog)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.serveReady)
	return s.middleware(mux)
}

func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	if err := s.ready(ctx); err != nil {
		zerolog.Ctx(r.Context()).Warn().Err(err).Msg("not ready")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// middleware gives every request an id and a logger, caps its body, logs it
// and turns a panic into a polite error.
func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		log := s.log.With().Str("request_id", id).Logger()
		r = r.WithContext(log.WithContext(r.Context()))
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				log.Error().Interface("panic", p).Str("path", r.URL.Path).Msg("panic recovered")
				writeJSON(rec, http.StatusOK, map[string]string{"text": s.text.T(bot.French, "error.internal"), "ephemeral_text": s.text.T(bot.French, "error.internal")})
			}
			log.Info().Str("method", r.Method).Str("path", r.URL.Path).Int("status", rec.status).
				Dur("duration", time.Since(start)).Msg("request")
		}()
		next.ServeHTTP(rec, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// lang returns the language to speak to a member.
func (s *Server) lang(ctx context.Context, teamID, userID string) bot.Lang {
	choice, err := s.prefs.Lang(ctx, teamID, userID)
	if err != nil {
		zerolog.Ctx(ctx).Error().Err(err).Msg("read language choice")
	}
	var locale string
	if m, err := s.chat.Member(ctx, userID); err == nil {
		locale = m.Locale
	} else {
		zerolog.Ctx(ctx).Warn().Err(err).Msg("read member locale")
	}
	return bot.UserLang(choice, locale)
}

// logErr logs err when it is internal: users' mistakes are not errors.
func logErr(ctx context.Context, err error, what string) {
	if bot.ErrorCode(err) == bot.EINTERNAL {
		zerolog.Ctx(ctx).Error().Err(err).Msg(what)
	}
}

// Jobs returns the periodic work the scheduler runs.
func (s *Server) Jobs() []bot.Job { return s.jobs }
