package tool

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"balise/bot"
	"balise/storage"
)

// BenchmarkToolCommand measures /tool end to end inside Balise: the HTTP
// handler, token check, language, ranking on a catalogue of 10,000 entries
// in SQLite, local feedback, rendering. It reports the median and the 99th
// percentile.
func BenchmarkToolCommand(b *testing.B) {
	r := MustToolServer(b, nil)
	shipped, err := storage.ShippedTools()
	if err != nil {
		b.Fatal(err)
	}
	var grown []*bot.Tool
	for i := len(shipped); i < 10000; i++ {
		t := *shipped[i%len(shipped)]
		t.ID, t.Name = fmt.Sprintf("%s-%d", t.ID, i), fmt.Sprintf("%s %d", t.Name, i)
		grown = append(grown, &t)
	}
	if err := r.db.ImportTools(context.Background(), grown); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile("../../bot/testdata/relevance.json")
	if err != nil {
		b.Fatal(err)
	}
	var queries []struct{ Query, Lang string }
	if err := json.Unmarshal(data, &queries); err != nil {
		b.Fatal(err)
	}
	h := r.Handler
	ask := func(q string, user string) {
		form := url.Values{"token": {"tok"}, "team_id": {"team"}, "channel_id": {"town"}, "user_id": {user},
			"command": {"/tool"}, "text": {q}}
		req := httptest.NewRequest("POST", "/commands", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%q: status %d", q, rec.Code)
		}
	}
	ask("warm up", "alex") // the index is built on first use
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := queries[i%len(queries)]
		user := map[string]string{"fr": "camille", "en": "alex"}[q.Lang]
		start := time.Now()
		ask(q.Query, user)
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
