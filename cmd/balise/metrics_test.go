package main

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/bot/metrics"
	"balise/commands"
	"balise/commands/commandstest"
	"balise/storage"
)

// scrape returns the text /metrics serves.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	metricsMux(m).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("/metrics: status %d", rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

func wantLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, l := range lines {
		if !strings.Contains(text, "\n"+l+"\n") {
			t.Errorf("/metrics has no line %q", l)
		}
	}
}

// Counters move after a command and a click, by kind and outcome; the
// outbox and the catalogue are read at each scrape.
func TestMetricsCountRequestsAndClicks(t *testing.T) {
	m := metrics.New(func(context.Context) (metrics.State, error) {
		return metrics.State{Waiting: 2, Dead: 1, Catalogue: 174}, nil
	})
	r := commandstest.New(t)
	h := commands.NewServer(commands.Config{Log: zerolog.Nop(), Tokens: commandstest.Tokens{}, Kit: r.Kit,
		Ready: func(context.Context) error { return nil }, Observe: observe(m)}).Handler()
	r.Handler = h
	wantLines(t, scrape(t, m), `balise_requests_total{kind="command",outcome="ok"} 0`,
		`balise_outbox_letters{state="waiting"} 2`, `balise_outbox_letters{state="dead"} 1`, `balise_catalogue_entries 174`)

	r.Run("camille", "balise", "lang")
	if code, _ := r.Command("camille", "forged", "balise", "help"); code != 401 {
		t.Fatalf("forged token: status %d, want 401", code)
	}
	dms := r.Chat.DMs("camille")
	if len(dms) != 1 || dms[0].Card == nil || len(dms[0].Card.Buttons) == 0 {
		t.Fatalf("no language buttons in a direct message: %v", dms)
	}
	if code, text := r.ClickContext("camille", "dm-camille", dms[0].Card.Buttons[0].Context); code != 200 || text == "" {
		t.Fatalf("click: %d %q", code, text)
	}
	r.ClickContext("camille", "dm-camille", map[string]any{"a": "lang", "sig": "forged"})
	got := scrape(t, m)
	wantLines(t, got, `balise_requests_total{kind="command",outcome="ok"} 1`,
		`balise_requests_total{kind="command",outcome="refused"} 1`,
		`balise_requests_total{kind="click",outcome="ok"} 1`,
		`balise_requests_total{kind="click",outcome="refused"} 1`,
		`balise_clicks_total{action="lang"} 1`,
		`balise_request_duration_seconds_count{kind="command"} 2`,
		`balise_request_duration_seconds_count{kind="click"} 2`)
}

// An internal error answered politely counts as an error, not as ok.
func TestMetricsCountPoliteErrors(t *testing.T) {
	m := metrics.New(func(context.Context) (metrics.State, error) { return metrics.State{}, errors.New("down") })
	r := commandstest.New(t)
	r.Handler = commands.NewServer(commands.Config{Log: zerolog.Nop(), Tokens: commandstest.Tokens{}, Kit: r.Kit,
		Ready: func(context.Context) error { return nil }, Observe: observe(m)}).Handler()
	r.Chat.Refuse(errors.New("mattermost refuses"))
	r.Run("camille", "balise", "lang") // the direct message fails: an internal error
	wantLines(t, scrape(t, m), `balise_requests_total{kind="command",outcome="error"} 1`, `balise_database_up 0`)
}

// Each job's runs are counted and recorded in the database for balise
// check; a run well after its interval is late.
func TestJobRunsAreRecordedAndLateOnesCounted(t *testing.T) {
	db, err := storage.Open(t.Context(), filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := metrics.New(metricsSource(db))
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	fail := errors.New("mattermost down")
	var result error
	jobs := watchJobs([]bot.Job{{Name: "deliver", Every: time.Minute, Run: func(context.Context) error { return result }}},
		db, m, func() time.Time { return now })
	run := func(after time.Duration, err error) {
		now, result = now.Add(after), err
		jobs[0].Run(t.Context())
	}
	run(0, nil)
	run(time.Minute, nil)
	run(3*time.Minute, fail) // late, and failing
	run(time.Minute, fail)
	wantLines(t, scrape(t, m), `balise_job_runs_total{job="deliver",outcome="ok"} 2`,
		`balise_job_runs_total{job="deliver",outcome="error"} 2`, `balise_job_late_total{job="deliver"} 1`)
	runs, err := db.JobRuns(t.Context())
	if err != nil || len(runs) != 1 {
		t.Fatalf("job runs: %v %v", runs, err)
	}
	j := runs[0]
	if !j.LastRun.Equal(now) || !j.LastOK.Equal(now.Add(-4*time.Minute)) || j.LastError != fail.Error() ||
		!j.FailingSince.Equal(now.Add(-time.Minute)) || j.Every != time.Minute {
		t.Errorf("recorded %+v, want last run now, last ok 4 min before, failing since 1 min before", j)
	}
	run(time.Minute, nil)
	if runs, _ := db.JobRuns(t.Context()); runs[0].LastError != "" || !runs[0].FailingSince.IsZero() {
		t.Errorf("after a success: %+v, want no error", runs[0])
	}
}
