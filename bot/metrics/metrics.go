// Package metrics shows how Balise is doing in Prometheus's text format:
// the requests Mattermost makes (by kind and outcome, with their latency),
// clicks, the outbox, the periodic jobs and the catalogue. It is served on
// a listener of its own (BALISE_METRICS_ADDR), never on the public one.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// State is what is read from the store at each scrape.
type State struct {
	Waiting       int       // letters waiting to be posted
	OldestWaiting time.Time // zero when none waits
	Dead          int       // letters Mattermost can never take
	Catalogue     int       // catalogue entries, shared and teams' own
}

// Source reads the State; it is called once per scrape, with a deadline.
type Source func(ctx context.Context) (State, error)

// Metrics holds Balise's metrics. The zero value is not usable: call New.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	clicks   *prometheus.CounterVec
	jobRuns  *prometheus.CounterVec
	jobLate  *prometheus.CounterVec
	jobOK    *prometheus.GaugeVec
}

// New returns the metrics, with the Go runtime's and the process's, and
// the store's state read from source at each scrape.
func New(source Source) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "balise_requests_total",
			Help: "Requests from Mattermost, by kind (command, click, dialog) and outcome (ok, refused, invalid, error)."},
			[]string{"kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "balise_request_duration_seconds",
			Help:    "Time Balise took to answer Mattermost, by kind.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"kind"}),
		clicks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "balise_clicks_total",
			Help: "Verified button clicks, by action."}, []string{"action"}),
		jobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "balise_job_runs_total",
			Help: "Runs of the periodic jobs, by job and outcome (ok, error)."}, []string{"job", "outcome"}),
		jobLate: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "balise_job_late_total",
			Help: "Runs of a job that started more than one interval and a half after the previous one."}, []string{"job"}),
		jobOK: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "balise_job_last_success_timestamp_seconds",
			Help: "When each job last succeeded, in Unix seconds."}, []string{"job"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.clicks, m.jobRuns, m.jobLate, m.jobOK,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&stateCollector{source: source})
	for _, kind := range []string{"command", "click", "dialog"} {
		m.requests.WithLabelValues(kind, "ok") // present from the start, so rates work at once
		m.latency.WithLabelValues(kind)
	}
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Request counts a request from Mattermost: kind is command, click or
// dialog; action the clicked button's action ("" otherwise).
func (m *Metrics) Request(kind, action, outcome string, took time.Duration) {
	m.requests.WithLabelValues(kind, outcome).Inc()
	m.latency.WithLabelValues(kind).Observe(took.Seconds())
	if kind == "click" && action != "" {
		m.clicks.WithLabelValues(action).Inc()
	}
}

// JobRun counts a run of job that started at started and ended with err;
// late says it started well after it was due.
func (m *Metrics) JobRun(job string, started time.Time, late bool, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	} else {
		m.jobOK.WithLabelValues(job).Set(float64(started.Unix()))
	}
	m.jobRuns.WithLabelValues(job, outcome).Inc()
	if late {
		m.jobLate.WithLabelValues(job).Inc()
	} else {
		m.jobLate.WithLabelValues(job).Add(0)
	}
}

var (
	descLetters = prometheus.NewDesc("balise_outbox_letters", "Letters in the outbox, by state (waiting, dead).", []string{"state"}, nil)
	descOldest  = prometheus.NewDesc("balise_outbox_oldest_waiting_seconds", "Age of the oldest letter waiting to be posted; 0 when none waits.", nil, nil)
	descTools   = prometheus.NewDesc("balise_catalogue_entries", "Entries of the tool catalogue, shared and teams' own.", nil, nil)
	descUp      = prometheus.NewDesc("balise_database_up", "1 when the database answered this scrape.", nil, nil)
)

// stateCollector reads the store at each scrape.
type stateCollector struct{ source Source }

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descLetters
	ch <- descOldest
	ch <- descTools
	ch <- descUp
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	s, err := c.source(ctx)
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descLetters, prometheus.GaugeValue, float64(s.Waiting), "waiting")
	ch <- prometheus.MustNewConstMetric(descLetters, prometheus.GaugeValue, float64(s.Dead), "dead")
	age := 0.0
	if !s.OldestWaiting.IsZero() {
		age = time.Since(s.OldestWaiting).Seconds()
	}
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(descTools, prometheus.GaugeValue, float64(s.Catalogue))
}
