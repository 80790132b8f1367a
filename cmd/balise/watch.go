package main

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"balise/bot"
	"balise/bot/metrics"
	"balise/commands"
	"balise/storage"
)

// watchJobs wraps each job so that its runs are recorded in the database
// (balise check reads them) and counted in the metrics. A run is late when
// it starts more than one interval and a half after the previous one (a
// run that outlasted its interval, a machine that slept).
func watchJobs(jobs []bot.Job, db *storage.DB, m *metrics.Metrics, now func() time.Time) []bot.Job {
	out := make([]bot.Job, len(jobs))
	for i, j := range jobs {
		var mu sync.Mutex
		var previous time.Time
		run := j.Run
		out[i] = bot.Job{Name: j.Name, Every: j.Every, Run: func(ctx context.Context) error {
			started := now()
			mu.Lock()
			late := !previous.IsZero() && started.Sub(previous) > j.Every+j.Every/2
			previous = started
			mu.Unlock()
			err := run(ctx)
			if ctx.Err() != nil {
				return err // stopping: not a run to judge
			}
			m.JobRun(j.Name, started, late, err)
			if rerr := db.RecordJobRun(context.WithoutCancel(ctx), j.Name, j.Every, started, err); rerr != nil {
				zerolog.Ctx(ctx).Warn().Err(rerr).Str("job", j.Name).Msg("record the job's run")
			}
			return err
		}}
	}
	return out
}

// metricsSource reads what the metrics show of the database.
func metricsSource(db *storage.DB) metrics.Source {
	return func(ctx context.Context) (metrics.State, error) {
		o, err := db.Outbox(ctx)
		if err != nil {
			return metrics.State{}, err
		}
		n, err := db.CatalogueSize(ctx)
		return metrics.State{Waiting: o.Waiting, OldestWaiting: o.Oldest, Dead: o.Dead, Catalogue: n}, err
	}
}

// observe feeds the metrics with the requests the HTTP face answered.
func observe(m *metrics.Metrics) func(commands.Observation) {
	return func(o commands.Observation) { m.Request(o.Kind, o.Action, o.Outcome, o.Took) }
}

// metricsMux serves /metrics alone.
func metricsMux(m *metrics.Metrics) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	return mux
}
