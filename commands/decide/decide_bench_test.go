package decide

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkClickStorm measures what Balise controls when a crowd votes:
// 200 members of a channel click their stance on one decision at once,
// each click going through the HTTP face (signature, language, decision,
// stance in SQLite, card refresh on a fake chat). It reports the median
// and the 99th percentile of a click's handling time; the goal is a p99
// under 100 ms. Run it with -benchtime 1x: one storm per run.
func BenchmarkClickStorm(b *testing.B) {
	for range b.N {
		b.StopTimer()
		r := newRig(b)
		var voters []string
		for i := range 200 {
			voters = append(voters, fmt.Sprintf("member%03d", i))
		}
		r.Chat.Members["board"] = voters
		if code, _ := r.command(voters[0], "tok", `"Passer à Nextcloud" --fermeture 2j`); code != http.StatusOK {
			b.Fatalf("open: %d", code)
		}
		d, err := r.db.Decision(context.Background(), "team", 1)
		if err != nil {
			b.Fatal(err)
		}
		buttons := r.Chat.PostOf(d.PostID).Card.Buttons
		b.StartTimer()
		took := make([]time.Duration, len(voters))
		var wg sync.WaitGroup
		for i, v := range voters {
			wg.Go(func() {
				start := time.Now()
				if code, _ := r.ClickContext(v, d.PostID, buttons[i%3].Context); code != http.StatusOK {
					b.Errorf("click: %d", code)
				}
				took[i] = time.Since(start)
			})
		}
		wg.Wait()
		r.Settle()
		b.StopTimer()
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		if t, _ := r.db.Tally(context.Background(), d.ID); t.Voted != len(voters) {
			b.Errorf("%d stances stored, want %d", t.Voted, len(voters))
		}
	}
}
