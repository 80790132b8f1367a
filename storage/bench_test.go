package storage

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
	"time"

	"balise/bot"
)

// BenchmarkStances measures stances recorded per second through the
// storage layer (TakeStance: checks, stance, history, revision, tally, one
// transaction each) against raw SQLite upserts of a stance into the same
// file, with the same pragmas, one transaction each: the floor the storage
// layer adds to.
func BenchmarkStances(b *testing.B) {
	const voters = 200
	ctx := context.Background()
	newDecision := func(b *testing.B, d *DB, anonymous bool) int64 {
		now := time.Now()
		dec := &bot.Decision{TeamID: "A", ChannelID: "ch", AuthorID: "author", Lang: bot.French, Location: time.UTC,
			Title: "Bench", Kind: bot.Proposal, Options: bot.ProposalOptions, Anonymous: anonymous,
			CreatedAt: now, ClosesAt: now.Add(24 * time.Hour)}
		for i := range voters {
			dec.Voters = append(dec.Voters, fmt.Sprintf("user%03d", i))
		}
		if err := d.CreateDecision(ctx, dec); err != nil {
			b.Fatal(err)
		}
		if err := d.SetDecisionPost(ctx, dec.ID, "card"); err != nil {
			b.Fatal(err)
		}
		return dec.ID
	}
	for _, anonymous := range []bool{false, true} {
		name := "storage"
		if anonymous {
			name = "storage-anonymous"
		}
		b.Run(name, func(b *testing.B) {
			d := mustOpenInternal(b)
			id := newDecision(b, d, anonymous)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s := bot.Stance{Choice: (i / voters) % 4}
				if _, err := d.TakeStance(ctx, id, fmt.Sprintf("user%03d", i%voters), s, bot.StanceNews{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stances/s")
		})
	}
	b.Run("storage-parallel", func(b *testing.B) {
		d := mustOpenInternal(b)
		id := newDecision(b, d, false)
		b.ResetTimer()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				if _, err := d.TakeStance(ctx, id, fmt.Sprintf("user%03d", i%voters), bot.Stance{Choice: i % 4}, bot.StanceNews{}); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stances/s")
	})
	b.Run("raw-insert", func(b *testing.B) {
		d := mustOpenInternal(b)
		id := newDecision(b, d, false)
		raw, err := sql.Open("sqlite", writerDSN(d.path))
		if err != nil {
			b.Fatal(err)
		}
		defer raw.Close()
		raw.SetMaxOpenConns(1)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO stance (decision_id, voter, choice, reason, updated_at) VALUES (?, ?, ?, '', ?)
				ON CONFLICT (decision_id, voter) DO UPDATE SET choice = excluded.choice, updated_at = excluded.updated_at`,
				id, fmt.Sprintf("user%03d", i%voters), (i/voters)%4, i); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stances/s")
	})
}
