// Package schedule runs Balise's periodic work with gocron. gocron keeps its
// jobs in memory only: what must happen is stored in SQLite by the domain,
// and each job asks the store what is due, so that nothing is forgotten
// across restarts and nothing is done twice.
package schedule

import (
	"context"

	"github.com/go-co-op/gocron/v2"
	"github.com/rs/zerolog"

	"balise/bot"
)

// Scheduler runs jobs until Stop.
type Scheduler struct {
	s      gocron.Scheduler
	ctx    context.Context
	cancel context.CancelFunc
}

// Start runs each job once at once, then every job.Every.
func Start(log zerolog.Logger, jobs []bot.Job, opts ...gocron.SchedulerOption) (*Scheduler, error) {
	s, err := gocron.NewScheduler(opts...)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(log.WithContext(context.Background()))
	for _, j := range jobs {
		j := j
		_, err := s.NewJob(gocron.DurationJob(j.Every), gocron.NewTask(func() {
			if err := j.Run(ctx); err != nil && ctx.Err() == nil {
				log.Error().Err(err).Str("job", j.Name).Msg("scheduled job failed")
			}
		}), gocron.WithName(j.Name), gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithStartAt(gocron.WithStartImmediately()))
		if err != nil {
			cancel()
			return nil, err
		}
	}
	s.Start()
	return &Scheduler{s: s, ctx: ctx, cancel: cancel}, nil
}

// Stop cancels running jobs and waits for them to return.
func (s *Scheduler) Stop() error {
	s.cancel()
	return s.s.Shutdown()
}
