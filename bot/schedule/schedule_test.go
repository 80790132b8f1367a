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
	if err := clock.BlockUntilContext(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Minute)
	wait(2)
}
