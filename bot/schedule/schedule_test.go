package schedule

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"
	"github.com/rs/zerolog"

	"balise/bot"
)

// Jobs run once at start (so what fell due while Balise was down is done
// at once), then at each interval of the clock.
func TestJobsRunAtStartThenEveryInterval(t *testing.T) {
	clock := clockwork.NewFakeClock()
	var runs atomic.Int32
	ran := make(chan struct{}, 10)
	s, err := Start(zerolog.Nop(), []bot.Job{{Name: "close", Every: time.Minute, Run: func(ctx context.Context) error {
		runs.Add(1)
		ran <- struct{}{}
		return nil
	}}}, gocron.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	wait := func(want int32) {
		t.Helper()
		select {
		case <-ran:
		case <-time.After(5 * time.Second):
			t.Fatalf("job did not run (runs = %d, want %d)", runs.Load(), want)
		}
		if got := runs.Load(); got != want {
			t.Errorf("runs = %d, want %d", got, want)
		}
	}
	wait(1)
	// Move the clock a minute at a time until the job runs again: the
	// scheduler arms its next timer after the first run, at a moment the
	// test cannot see, and a move made before that would be missed.
	deadline := time.After(5 * time.Second)
	for {
		clock.Advance(time.Minute)
		select {
		case <-ran:
			if got := runs.Load(); got < 2 {
				t.Errorf("runs = %d, want 2", got)
			}
			return
		case <-deadline:
			t.Fatalf("job did not run again (runs = %d)", runs.Load())
		case <-time.After(20 * time.Millisecond):
		}
	}
}
