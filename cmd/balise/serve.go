package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/bot/assistant"
	"balise/bot/background"
	"balise/bot/mattermost"
	"balise/bot/metrics"
	"balise/bot/schedule"
	"balise/commands"
	"balise/storage"
)

// serveHooks run once the database is open. Only the end-to-end tests'
// build adds one (fault_e2e.go, tag e2e); a production build has none.
var serveHooks []func(ctx context.Context, log zerolog.Logger, db *storage.DB)

// Serve runs the bot: the HTTP endpoints Mattermost calls, and the scheduler.
type Serve struct {
	mattermostURL, publicURL, listenAddr, db, botToken, logLevel, shutdownTimeout, tick string
	llmBaseURL, llmAPIKey, llmModel, llmTimeout, defaultTZ, metricsAddr                 string
}

// Run runs the subcommand until ctx is cancelled, then shuts down in order.
func (s *Serve) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("balise serve", flag.ContinueOnError)
	settings := []setting{
		{name: "mattermost-url", help: "Mattermost's URL, e.g. https://chat.example.org (required)", dst: &s.mattermostURL},
		{name: "public-url", help: "Balise's URL as Mattermost reaches it, used in buttons and dialogs (required)", dst: &s.publicURL},
		{name: "listen-addr", def: ":8080", help: "address the HTTP server listens on", dst: &s.listenAddr},
		{name: "db", def: "balise.db", help: "SQLite database file", dst: &s.db},
		{name: "bot-token", help: "the bot's access token; by default the one balise setup stored in the database", secret: true, dst: &s.botToken},
		{name: "log-level", def: "info", help: "log level: debug, info, warn, error", dst: &s.logLevel},
		{name: "shutdown-timeout", def: "20s", help: "how long in-flight requests may take to finish on shutdown", dst: &s.shutdownTimeout},
		{name: "default-tz", def: "Europe/Paris", help: "the time zone of members who set none in Mattermost, e.g. Europe/Paris", dst: &s.defaultTZ},
		{name: "tick", def: "30s", help: "how often Balise looks for due work: closings, reminders, messages to retry", dst: &s.tick},
		{name: "llm-base-url", help: "optional OpenAI-compatible API (with /v1) that reranks and explains /tool answers among catalogue entries, e.g. http://localhost:11434/v1", dst: &s.llmBaseURL},
		{name: "llm-api-key", help: "the language model API's key", secret: true, dst: &s.llmAPIKey},
		{name: "llm-model", help: "the language model's name, e.g. mistral-small (required with llm-base-url)", dst: &s.llmModel},
		{name: "metrics-addr", help: "address of a second listener serving /metrics (Prometheus), e.g. 127.0.0.1:9090; off when empty", dst: &s.metricsAddr},
		{name: "llm-timeout", def: "4s", help: "how long /tool waits for the language model before answering with the plain ranking", dst: &s.llmTimeout},
	}
	if err := parse(fs, args, settings); err != nil {
		return err
	}
	if err := required(settings, "mattermost-url", "public-url"); err != nil {
		return err
	}
	grace, err := duration("shutdown-timeout", s.shutdownTimeout)
	if err != nil {
		return err
	}
	tick, err := duration("tick", s.tick)
	if err != nil {
		return err
	}
	waitLLM, err := duration("llm-timeout", s.llmTimeout)
	if err != nil {
		return err
	}
	zone, err := location("default-tz", s.defaultTZ)
	if err != nil {
		return err
	}
	var llm bot.Assistant
	if s.llmBaseURL != "" {
		if err := required(settings, "llm-model"); err != nil {
			return err
		}
		llm = assistant.New(s.llmBaseURL, s.llmAPIKey, s.llmModel)
	}
	level, err := zerolog.ParseLevel(s.logLevel)
	if err != nil {
		return fmt.Errorf("log-level: %w", err)
	}
	log := zerolog.New(os.Stderr).Level(level).With().Timestamp().Logger()

	db, err := storage.Open(ctx, s.db)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, hook := range serveHooks {
		hook(ctx, log, db)
	}
	if added, updated, err := db.LoadCatalogue(ctx); err != nil {
		return err
	} else if added+updated > 0 {
		log.Info().Int("added", added).Int("updated", updated).Msg("tool catalogue loaded")
	}
	key, err := db.SigningKey(ctx)
	if err != nil {
		return err
	}
	if s.botToken == "" {
		if s.botToken, err = db.Setting(ctx, storage.SettingBotToken); err != nil {
			return err
		}
	}
	botID, err := db.Setting(ctx, storage.SettingBotUserID)
	if err != nil {
		return err
	}
	if s.botToken == "" || botID == "" {
		return errors.New("no bot account yet: run `balise setup` first")
	}
	publicURL := strings.TrimSuffix(s.publicURL, "/")
	chat := mattermost.New(s.mattermostURL, s.botToken, botID, publicURL+commands.ActionPath, zone)
	text, err := commands.NewCatalogue()
	if err != nil {
		return err
	}
	work := background.New(log)
	watch := metrics.New(metricsSource(db))
	kit := commands.NewKit(text, commands.NewSigner(key, nil), chat, db, publicURL, s.mattermostURL)
	finder := bot.NewToolFinder(db)
	caps, err := capabilities(capabilityDeps{db: db, chat: chat, kit: kit, work: work, tick: tick, llm: llm, waitLLM: waitLLM, finder: finder})
	if err != nil {
		return err
	}
	srv := commands.NewServer(commands.Config{
		Log: log, Tokens: db, Kit: kit,
		Ready: func(ctx context.Context) error {
			if err := db.Ping(ctx); err != nil {
				return fmt.Errorf("database: %w", err)
			}
			return chat.Ping(ctx)
		},
		Observe:  observe(watch),
		Personal: db,
	}, caps...)

	jobs, err := schedule.Start(log, watchJobs(srv.Jobs(), db, watch, time.Now))
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.listenAddr)
	if err != nil {
		jobs.Stop()
		return err
	}
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second,
		WriteTimeout: 40 * time.Second, IdleTimeout: 90 * time.Second}
	served := make(chan error, 2)
	go func() { served <- httpSrv.Serve(ln) }()
	log.Info().Str("addr", ln.Addr().String()).Str("version", Version).Msg("balise is serving")
	// Build the catalogue's search index now, beside the first requests,
	// rather than in the first /tool or report (a second or more with
	// 10,000 entries, which every /tool arriving meanwhile would wait for).
	go func() {
		start := time.Now()
		if _, err := finder.Index(ctx, ""); err != nil {
			log.Warn().Err(err).Msg("catalogue index not built ahead")
			return
		}
		log.Info().Dur("duration", time.Since(start)).Msg("catalogue index built")
	}()
	metricsSrv := &http.Server{Handler: metricsMux(watch), ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	if s.metricsAddr != "" {
		mln, err := net.Listen("tcp", s.metricsAddr)
		if err != nil {
			httpSrv.Close()
			jobs.Stop()
			return fmt.Errorf("metrics-addr: %w", err)
		}
		go func() { served <- metricsSrv.Serve(mln) }()
		log.Info().Str("addr", mln.Addr().String()).Msg("metrics on /metrics")
	}

	select {
	case err := <-served:
		jobs.Stop()
		return err
	case <-ctx.Done():
	}
	log.Info().Msg("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil {
		log.Warn().Err(err).Msg("in-flight requests cut at the deadline")
	}
	metricsSrv.Shutdown(shutdownCtx)
	if err := jobs.Stop(); err != nil {
		log.Warn().Err(err).Msg("stop scheduler")
	}
	if err := work.Drain(shutdownCtx); err != nil {
		log.Warn().Err(err).Msg("background work cut at the deadline; the jobs redo it on start")
	}
	log.Info().Msg("stopped")
	return nil
}
