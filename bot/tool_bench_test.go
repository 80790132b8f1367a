package bot_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"balise/bot"
)

// growCatalogue makes n entries from the real ones: each copy gets a new
// made-up name and needs mixed from other tools, so that the index has as
// many distinct words and as long posting lists as a big catalogue would.
func growCatalogue(tools []*bot.Tool, n int) []*bot.Tool {
	rng := rand.New(rand.NewPCG(1, 2))
	var phrasesFR, phrasesEN []string
	for _, t := range tools {
		phrasesFR = append(phrasesFR, t.Needs.FR...)
		phrasesEN = append(phrasesEN, t.Needs.EN...)
	}
	syllables := []string{"ba", "ko", "ri", "mu", "ze", "lo", "pa", "ti", "ne", "vo", "da", "shi", "gra", "tor", "ven"}
	out := slices.Clone(tools)
	for i := len(tools); i < n; i++ {
		base := *tools[rng.IntN(len(tools))]
		name := ""
		for range 2 + rng.IntN(3) {
			name += syllables[rng.IntN(len(syllables))]
		}
		base.ID = fmt.Sprintf("%s-%d", name, i)
		base.Name = fmt.Sprintf("%s %d", name, i)
		base.Needs.FR = slices.Clone(base.Needs.FR)
		base.Needs.EN = slices.Clone(base.Needs.EN)
		for range 3 {
			base.Needs.FR = append(base.Needs.FR, phrasesFR[rng.IntN(len(phrasesFR))]+" "+name)
			base.Needs.EN = append(base.Needs.EN, phrasesEN[rng.IntN(len(phrasesEN))])
		}
		out = append(out, &base)
	}
	return out
}

// BenchmarkToolQuery measures a search of /tool on a catalogue of 10,000
// entries, and reports the median and 99th percentile latency.
func BenchmarkToolQuery(b *testing.B) {
	ix := bot.NewToolIndex(growCatalogue(MustReadTools(b), 10000), MustReadVocabulary(b))
	for _, set := range []string{"needs", "situations"} {
		file := map[string]string{"needs": "testdata/relevance.json", "situations": "testdata/situations.json"}[set]
		b.Run(set, func(b *testing.B) { benchmarkToolQuery(b, ix, mustReadRelevance(b, file)) })
	}
}

func benchmarkToolQuery(b *testing.B, ix *bot.ToolIndex, cases []relevanceCase) {
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cases[i%len(cases)]
		start := time.Now()
		ix.Search(c.Query, c.Lang, 8)
		durations = append(durations, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 {
		return float64(durations[min(len(durations)-1, int(p*float64(len(durations))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// BenchmarkToolIndexBuild measures rebuilding the index after an edit.
func BenchmarkToolIndexBuild(b *testing.B) {
	tools, v := growCatalogue(MustReadTools(b), 10000), MustReadVocabulary(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bot.NewToolIndex(tools, v)
	}
}
