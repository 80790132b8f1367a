// Package commands is Balise's HTTP face: the endpoints that Mattermost calls
// for slash commands, button clicks and dialog submissions. It verifies every
// request, routes it to the capability that registered it, signs buttons
// and dialogs and translates. It knows no capability: each lives in its own
// package (commands/decide, commands/tool...) and registers its routes.
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
	log     zerolog.Logger
	tokens  CommandTokens
	kit     *Kit
	ready   func(context.Context) error
	observe func(Observation)
	routes  Routes

	personal bot.PersonalStore
}

// Config is what a Server needs.
type Config struct {
	Log    zerolog.Logger
	Tokens CommandTokens
	Kit    *Kit
	Ready  func(context.Context) error // database and Mattermost reachable
	// Observe, when set, is told of every request from Mattermost once it
	// is answered (metrics).
	Observe func(Observation)
	// Personal, when set, lets /balise show members what Balise holds
	// about them and forget them.
	Personal bot.PersonalStore
}

// An Observation is a request from Mattermost, answered: its kind
// (command, click, dialog), the clicked action, its outcome (ok; refused:
// bad token or signature; invalid: another 4xx; error: 5xx, a panic or an
// internal error answered politely) and how long it took.
type Observation struct {
	Kind, Action, Outcome string
	Took                  time.Duration
}

// Paths of the endpoints.
const (
	CommandPath = "/commands"
	ActionPath  = "/actions"
	DialogPath  = "/dialogs"
)

// maxBody caps every request body: Mattermost's calls are small.
const maxBody = 1 << 20

// NewServer returns a server answering /balise (help and language) and
// what the capabilities register.
func NewServer(c Config, capabilities ...Capability) *Server {
	s := &Server{log: c.Log, tokens: c.Tokens, kit: c.Kit, ready: c.Ready, observe: c.Observe, personal: c.Personal,
		routes: Routes{commands: map[string]*command{}, actions: map[string]ActionFunc{}, dialogs: map[string]DialogFunc{},
			balise: map[string]CommandFunc{}}}
	s.registerBalise()
	for _, c := range capabilities {
		c.Register(&s.routes)
	}
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

// Jobs returns the periodic work the capabilities registered.
func (s *Server) Jobs() []bot.Job { return s.routes.jobs }

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
		n := &note{}
		r = r.WithContext(context.WithValue(log.WithContext(r.Context()), noteKey{}, n))
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				log.Error().Interface("panic", p).Str("path", r.URL.Path).Msg("panic recovered")
				text := s.kit.T(bot.French, "error.internal")
				writeJSON(rec, http.StatusOK, map[string]string{"text": text, "ephemeral_text": text})
				n.failed = true
			}
			s.observeRequest(r.URL.Path, rec.status, n, time.Since(start))
			log.Info().Str("method", r.Method).Str("path", r.URL.Path).Int("status", rec.status).
				Dur("duration", time.Since(start)).Msg("request")
		}()
		next.ServeHTTP(rec, r)
	})
}

// note is what a handler tells the middleware of a request, for Observe.
type note struct {
	action string // the clicked action
	failed bool   // an internal error was answered politely
}

type noteKey struct{}

// noteOf returns the request's note (a throwaway one outside a request).
func noteOf(ctx context.Context) *note {
	if n, ok := ctx.Value(noteKey{}).(*note); ok {
		return n
	}
	return &note{}
}

func (s *Server) observeRequest(path string, status int, n *note, took time.Duration) {
	kind := map[string]string{CommandPath: "command", ActionPath: "click", DialogPath: "dialog"}[path]
	if s.observe == nil || kind == "" {
		return
	}
	outcome := "ok"
	switch {
	case n.failed || status >= 500:
		outcome = "error"
	case status == http.StatusUnauthorized:
		outcome = "refused"
	case status >= 400:
		outcome = "invalid"
	}
	s.observe(Observation{Kind: kind, Action: n.action, Outcome: outcome, Took: took})
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
