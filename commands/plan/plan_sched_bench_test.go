package plan_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"balise/bot"
	"balise/bot/background"
	"balise/commands/commandstest"
	"balise/commands/plan"
	"balise/storage"
)

// offsetClock is the real clock shifted by a fixed offset: its timers are
// real timers, so a send due at its Now()+d fires d of real time later.
type offsetClock struct {
	clockwork.Clock
	off time.Duration
}

func (c *offsetClock) Now() time.Time                  { return time.Now().Add(c.off) }
func (c *offsetClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c *offsetClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// claimLog is the store with every claim recorded: which sends, when (on
// the dispatcher's clock), how often.
type claimLog struct {
	*storage.DB
	clock   clockwork.Clock
	mu      sync.Mutex
	claimed map[int64]int
	dropped map[int64]int
	at      map[int64]time.Time // claim time of each send
	due     map[int64]time.Time
}

func (l *claimLog) DueSends(ctx context.Context, now time.Time) ([]bot.Send, error) {
	due, err := l.DB.DueSends(ctx, now)
	l.mu.Lock()
	for _, s := range due {
		l.due[s.ID] = s.At
	}
	l.mu.Unlock()
	return due, err
}

func (l *claimLog) ClaimSends(ctx context.Context, c bot.Claim, envs []bot.Envelope) (bool, error) {
	ok, err := l.DB.ClaimSends(ctx, c, envs)
	if ok {
		now := l.clock.Now()
		l.mu.Lock()
		for _, id := range c.IDs {
			l.claimed[id]++
			l.at[id] = now
		}
		l.mu.Unlock()
	}
	return ok, err
}

func (l *claimLog) DropSends(ctx context.Context, ids []int64, next []bot.Send) error {
	err := l.DB.DropSends(ctx, ids, next)
	if err == nil {
		now := l.clock.Now()
		l.mu.Lock()
		for _, id := range ids {
			l.dropped[id]++
			l.at[id] = now
		}
		l.mu.Unlock()
	}
	return err
}

// heldOutbox keeps the letters in the outbox: the postman finds none to
// post, so that the benchmark counts what the dispatcher queued.
type heldOutbox struct{ *storage.DB }

func (heldOutbox) Pending(context.Context, int) ([]bot.Letter, error) { return nil, nil }

// 10,000 sends fall due at the same instant: 8,000 follow-ups (4,000 plan
// owners with two plans each, in 50 teams) and 2,000 referents' nudges. The
// dispatcher runs on a real clock (shifted to the seeded instant) and its
// real timer: seeded, it arms its timer half a second before the instant,
// and the benchmark waits until every send is claimed. Lateness is claim
// time minus due time, on the dispatcher's clock.
func BenchmarkDispatch10000DueAtOnce(b *testing.B) {
	const followUps, nudges = 8000, 2000
	ctx := context.Background()
	loc := paris(b)
	instant := time.Date(2026, 11, 24, bot.FollowUpHour, 0, 0, 0, loc) // a Tuesday
	var lateness []time.Duration
	var took time.Duration
	var letters, maxPerDay, sends int
	for range b.N {
		b.StopTimer()
		path := filepath.Join(b.TempDir(), "b.db")
		db, err := storage.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		clock := &offsetClock{Clock: clockwork.NewRealClock(), off: commandstest.Now().Sub(time.Now())}
		db.Now = clock.Now
		seeded := commandstest.Now()
		for i := range followUps {
			p := &bot.Plan{TeamID: fmt.Sprintf("team%d", i%50), ChannelID: "board", CreatorID: "camille", Lang: bot.French, Location: loc,
				Title: "Plan", Target: 10, Start: bot.DayOf(instant, loc), CreatedAt: seeded,
				Referents: []string{fmt.Sprintf("u%d", i%4000), fmt.Sprintf("ref%d", i%nudges)}, ToolID: "nextcloud"}
			p.Lay(bot.StandardTemplate, func(k bot.StepKind) string { return string(k) })
			var st *bot.Step
			for j := range p.Steps {
				if p.Steps[j].DoneAt.IsZero() {
					st = &p.Steps[j]
					break
				}
			}
			if st == nil {
				b.Fatal("every step done")
			}
			snd := bot.Send{Kind: bot.DueToday, Step: st.Number, To: st.OwnerID, Due: st.Due, At: instant}
			if err := db.CreatePlan(ctx, p, []bot.Send{snd}); err != nil {
				b.Fatal(err)
			}
		}
		for j := range nudges {
			week := bot.DayOf(instant, loc).AddDays(-1) // the Monday
			if err := db.ArmNudge(ctx, bot.Send{TeamID: fmt.Sprintf("team%d", j%50), To: fmt.Sprintf("ref%d", j), Due: week, At: instant}); err != nil {
				b.Fatal(err)
			}
		}
		raw, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
		if err != nil {
			b.Fatal(err)
		}
		if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM plan_send WHERE sent_at = 0 AND send_at = ?`, instant.UnixMilli()).Scan(&sends); err != nil {
			b.Fatal(err)
		}
		if sends != followUps+nudges {
			b.Fatalf("seeded %d sends due at the instant, want %d", sends, followUps+nudges)
		}

		rig := commandstest.New(b)
		chat := &zoned{Chat: rig.Chat, zones: map[string]*time.Location{}}
		log := &claimLog{DB: db, clock: clock, claimed: map[int64]int{}, dropped: map[int64]int{}, at: map[int64]time.Time{}, due: map[int64]time.Time{}}
		post := background.NewPostman(rig.Work, heldOutbox{db}, chat)
		// The clock stands half a second before the instant; the timer wakes the dispatch.
		clock.off = instant.Add(-500 * time.Millisecond).Sub(time.Now())
		p := plan.New(plan.Config{Kit: rig.Kit, Store: log, Chat: chat, Work: rig.Work, Postman: post, Clock: clock})
		if err := p.Dispatch(ctx); err != nil {
			b.Fatal(err)
		}
		if at, armed := p.Armed(); !armed || !at.Equal(instant) {
			b.Fatalf("armed %v at %v, want %v", armed, at, instant)
		}
		b.StartTimer()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			var left int
			if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM plan_send WHERE sent_at = 0 AND send_at <= ?`, instant.UnixMilli()).Scan(&left); err != nil {
				b.Fatal(err)
			}
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				b.Fatalf("%d sends still waiting after 2 minutes", left)
			}
			time.Sleep(5 * time.Millisecond)
		}
		rig.Work.Wait()
		took = clock.Since(instant) // from the instant all fell due to all claimed and settled
		b.StopTimer()
		p.Stop()

		lateness = lateness[:0]
		for id, due := range log.due {
			c, d := log.claimed[id], log.dropped[id]
			if c+d != 1 {
				b.Fatalf("send %d claimed %d times, dropped %d times", id, c, d)
			}
			lateness = append(lateness, log.at[id].Sub(due))
		}
		if len(lateness) != sends {
			b.Fatalf("%d sends dispatched, want %d", len(lateness), sends)
		}
		if err := raw.QueryRowContext(ctx, `SELECT count(*) FROM outbox`).Scan(&letters); err != nil {
			b.Fatal(err)
		}
		if err := raw.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM outbox
			GROUP BY team_id, to_user_id, thread, date(created_at / 1000, 'unixepoch'))`).Scan(&maxPerDay); err != nil {
			b.Fatal(err)
		}
		if maxPerDay != 1 {
			b.Fatalf("a recipient got %d letters in a day, want 1", maxPerDay)
		}
		raw.Close()
		db.Close()
	}
	slices.Sort(lateness)
	q := func(f float64) float64 { return float64(lateness[int(f*float64(len(lateness)-1))].Milliseconds()) }
	b.ReportMetric(float64(lateness[0].Milliseconds()), "min-late-ms")
	b.ReportMetric(q(0.50), "p50-late-ms")
	b.ReportMetric(q(0.99), "p99-late-ms")
	b.ReportMetric(float64(lateness[len(lateness)-1].Milliseconds()), "max-late-ms")
	b.ReportMetric(float64(took.Milliseconds()), "all-dispatched-ms")
	b.ReportMetric(float64(sends), "sends")
	b.ReportMetric(float64(letters), "letters")
	b.ReportMetric(float64(maxPerDay), "max-letters/recipient/day")
}
