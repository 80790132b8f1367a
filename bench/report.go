package main

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/go-analyze/charts"
)

// Goals of issue 12.
const (
	goalThroughput = 0.90 // of the null integration's
	goalP99Ratio   = 1.2  // of the null integration's p99
	goalOwnP99     = 50.0 // ms
	goalCard       = 2 * time.Second
	goalReport     = 2 * time.Second
	goalStorage    = 0.50 // of raw inserts
	goalIdleMB     = 30.0
	goalLoadMB     = 80.0
	goalStart      = time.Second
)

func pass(ok bool) string {
	if ok {
		return "✅ pass"
	}
	return "❌ fail"
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mb(kb int) float64          { return float64(kb) / 1024 }

func durs(d []time.Duration, q float64) float64 { return percentile(d, q) }

// write writes latest.md and latency.png into dir.
func write(r *Results, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	chart, err := latencyChart(r)
	if err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "latency.png"), chart, 0o644); err != nil {
		return err
	}
	md := markdown(r)
	logf("wrote %s and latency.png", filepath.Join(dir, "latest.md"))
	return os.WriteFile(filepath.Join(dir, "latest.md"), []byte(md), 0o644)
}

func markdown(r *Results) string {
	var b strings.Builder
	p := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	p("# Benchmark results (latest run)")
	p("")
	p("`go run ./bench`, %s, %s on this machine (%d CPUs) against Mattermost 6.7.2 + PostgreSQL on loopback, with the",
		r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Finished.Sub(r.Started).Round(time.Second), r.CPUs)
	p("harness of `e2e/mmtest`; everything (Mattermost, PostgreSQL, Balise, the null integration and the simulated members)")
	p("shares the machine. **Load average** (1, 5, 15 min) before the run: **%s**; after: **%s** (other agents' work", r.LoadBefore, r.LoadAfter)
	p("runs beside it: absolute timings are noisy, the side-by-side ratios less so). The chart: `latency.png`.")
	p("")

	p("## 1. Vote clicks")
	p("")
	p("Balise's own handling is wall time inside Balise: it includes waiting for the single SQLite writer, for the CPU (the load")
	p("average above, on 2 cores) and for Mattermost when a handler calls it (a member's first click looks up their locale).")
	p("")
	p("Each member of the channel clicks several times, stances alternating (Agree, Abstain, Disagree); all members at once,")
	p("each one's clicks one after the other. Latency is `DoPostActionWithCookie` as a member sees it; Balise's own handling is")
	p("the `duration` of its request log for `%s`. The null integration answers each click with a fixed `update` of its card.", "/actions")
	p("")
	p("The card is right when it shows, for each stance, the members whose last click Mattermost reported accepted (a click")
	p("Mattermost failed never reached the integration).")
	p("")
	p("| members | clicks | integration | clicks/s | p50 ms | p99 ms | errors | Balise's own p50 / p99 ms | last click → card right |")
	p("|---|---|---|---|---|---|---|---|---|")
	for _, c := range r.Clicks {
		p("| %d | %d | null | %.1f | %.0f | %.0f | %d | | |", c.Members, len(c.Null.Took)+c.Null.Errors, c.Null.Rate(), c.Null.P(.5), c.Null.P(.99), c.Null.Errors)
		p("| %d | %d | **Balise** | %.1f | %.0f | %.0f | %d | %.1f / %.1f | %s |", c.Members, len(c.Balise.Took)+c.Balise.Errors, c.Balise.Rate(), c.Balise.P(.5), c.Balise.P(.99),
			c.Balise.Errors, durs(c.Own, .5), durs(c.Own, .99), cardText(c))
	}
	if c := r.LargeClicks; c != nil {
		p("| %d (large database) | %d | **Balise** | %.1f | %.0f | %.0f | %d | %.1f / %.1f | %s |", c.Members, len(c.Balise.Took)+c.Balise.Errors, c.Balise.Rate(), c.Balise.P(.5), c.Balise.P(.99),
			c.Balise.Errors, durs(c.Own, .5), durs(c.Own, .99), cardText(*c))
	}
	p("")
	p("| members | goal | measured | result |")
	p("|---|---|---|---|")
	for _, c := range r.Clicks {
		ratio := c.Balise.Rate() / c.Null.Rate()
		p99 := c.Balise.P(.99) / c.Null.P(.99)
		p("| %d | throughput ≥ 90%% of the null integration's | %.0f%% | %s |", c.Members, 100*ratio, pass(ratio >= goalThroughput))
		p("| %d | p99 ≤ 1.2× the null integration's | %.2f× | %s |", c.Members, p99, pass(p99 <= goalP99Ratio))
		p("| %d | Balise's own p99 < 50 ms | %.1f ms | %s |", c.Members, durs(c.Own, .99), pass(durs(c.Own, .99) < goalOwnP99))
		p("| %d | card right within 2 s of the last click | %s | %s |", c.Members, cardText(c), pass(c.CardRight && c.CardAfter <= goalCard))
	}
	p("")
	p("Balise's CPU (user + system, from `/proc/PID/stat`) per click: **%.1f ms**.", ms(r.CPUPerClick))
	p("")

	p("## 2. Slash commands, 50 members at once")
	p("")
	p("| command | commands | per s | p50 ms | p99 ms | errors | p99 / null's | Balise's own p50 / p99 ms | goals (p99 ≤ 1.2× null, own p99 < 50 ms) |")
	p("|---|---|---|---|---|---|---|---|---|")
	var nullP99 float64
	for _, c := range r.Commands {
		if c.Label == "null command" {
			nullP99 = c.Sample.P(.99)
		}
	}
	rows := append(slices.Clone(r.Commands), r.LargeTool)
	for _, c := range rows {
		if c == nil {
			continue
		}
		s := c.Sample
		ratio := s.P(.99) / nullP99
		own, verdict := "", ""
		if c.Own != nil {
			own = fmt.Sprintf("%.1f / %.1f", durs(c.Own, .5), durs(c.Own, .99))
			verdict = pass(ratio <= goalP99Ratio) + " / " + pass(durs(c.Own, .99) < goalOwnP99)
		}
		p("| %s | %d | %.1f | %.0f | %.0f | %d | %.2f× | %s | %s |", c.Label, len(s.Took)+s.Errors, s.Rate(), s.P(.5), s.P(.99), s.Errors, ratio, own, verdict)
	}
	for _, c := range r.Commands {
		if c.Label == "/plan list" {
			p("")
			p("`/plan list` answers %q: `/plan` is not built in this branch, the figure is its placeholder's.", firstLine(c.Reply))
		}
	}
	p("")
	p("Balise's CPU per slash command (the four above together): **%.1f ms**.", ms(r.CPUPerCommand))
	p("")

	p("## 3. Answering a diagnostic")
	p("")
	p("30 respondents, each in their direct channel with the bot, tap at once; a tap is answered once the next question is")
	p("posted (Balise creates that post through Mattermost's API inside the handler, so its own time includes it), so its latency is the answer-to-next-question time. %d of 30 next questions were found posted after the second storm.", r.AnsweredNext)
	p("")
	p("| tap | taps | per s | p50 ms | p99 ms | errors | Balise's own p50 / p99 ms |")
	p("|---|---|---|---|---|---|---|")
	for _, c := range r.AnswerStorms {
		s := c.Sample
		p("| %s | %d | %.1f | %.0f | %.0f | %d | %.1f / %.1f |", c.Label, len(s.Took)+s.Errors, s.Rate(), s.P(.5), s.P(.99), s.Errors, durs(c.Own, .5), durs(c.Own, .99))
	}
	p("")
	var worst time.Duration
	var parts []string
	for _, d := range r.Reports {
		worst = max(worst, d)
		parts = append(parts, fmt.Sprintf("%.0f ms", ms(d)))
	}
	p("The report of a campaign of %d respondents (seeded in the database: roles, 40 answers, targets, tools each), `/diag report`", r.ReportRespondents)
	p("three times, each scoring, drawing the radar chart, uploading it and posting the report and its priorities, on the")
	p("large database: %s (Balise's own: %s); chart attached: %v.", strings.Join(parts, ", "), joinMs(r.ReportOwn), r.ReportChart)
	p("")
	p("| goal | measured (worst of 3) | result |")
	p("|---|---|---|")
	p("| report with its chart, 100 respondents, under 2 s | %.0f ms | %s |", ms(worst), pass(worst > 0 && worst < goalReport && r.ReportChart))
	p("")

	p("## 4. Storage")
	p("")
	p("`go test ./storage -bench Stances` (one transaction per stance; the same file, the same pragmas: WAL, synchronous NORMAL):")
	p("")
	p("| path | stances/s (median of 5) | the 5 runs, in order |")
	p("|---|---|---|")
	for _, k := range []string{"storage", "storage-anonymous", "storage-parallel", "raw-insert"} {
		var runs []string
		for _, v := range r.Storage.Runs[k] {
			runs = append(runs, fmt.Sprintf("%.0f", v))
		}
		p("| %s | %.0f | %s |", k, r.Storage.PerSecond[k], strings.Join(runs, ", "))
	}
	ratio := r.Storage.Ratio
	p("")
	p("Each run's storage and raw figures are measured a few seconds apart; the ratio is the median of the five runs' ratios.")
	p("TakeStance does what a click needs in one transaction: check the decision and the voter, read the previous stance, upsert")
	p("it, append the change to the history, bump the card's revision, queue the news; raw does the upsert alone.")
	p("")
	p("| goal | measured | result |")
	p("|---|---|---|")
	p("| storage layer ≥ 50%% of raw inserts (median ratio) | %.0f%% | %s |", 100*ratio, pass(ratio >= goalStorage))
	p("")

	p("## 5. Footprint")
	p("")
	p("Resident memory is `VmRSS` of `/proc/PID/status`, sampled every 100 ms; start-up is from the process's start to")
	p("`/readyz` answering 200 (polled every 5 ms). The large installation was seeded in %s while Balise was stopped: %d",
		r.SeedTook.Round(time.Second), r.Catalogue)
	p("catalogue entries, %d teams (commands, a local tool each), %d open decisions (10 voters each), a campaign of %d", r.Teams, r.Decisions, r.ReportRespondents)
	p("respondents; plans: no plans tables in this branch.")
	p("")
	p("| figure | shipped catalogue, one team | large installation | goal | result |")
	p("|---|---|---|---|---|")
	p("| binary size | %.1f MB | | | |", float64(r.BinaryBytes)/1e6)
	p("| start-up | %.0f ms | %.0f ms | large < 1 s | %s |", ms(r.StartFresh), ms(r.StartLarge), pass(r.StartLarge > 0 && r.StartLarge < goalStart))
	p("| catalogue index built in the background (from the start) | %.0f ms | %.0f ms | | |", ms(r.WarmFresh), ms(r.WarmLarge))
	p("| RSS idle | %.1f MB | %.1f MB | shipped < 30 MB | %s |", mb(r.IdleFreshKB), mb(r.IdleLargeKB), pass(r.IdleFreshKB > 0 && mb(r.IdleFreshKB) < goalIdleMB))
	p("| RSS peak under the storms | %.1f MB | %.1f MB | large < 80 MB | %s |", mb(r.PeakStormKB), mb(r.PeakLargeKB), pass(r.PeakLargeKB > 0 && mb(r.PeakLargeKB) < goalLoadMB))
	p("")
	if l := r.Limited; l != nil {
		p("| with `GOMEMLIMIT=%s`: catalogue index built | | %.0f ms | | |", l.Limit, ms(l.Warm))
		p("| with `GOMEMLIMIT=%s`: start-up | | %.0f ms | < 1 s | %s |", l.Limit, ms(l.Start), pass(l.Start < goalStart))
		p("| with `GOMEMLIMIT=%s`: RSS idle | | %.1f MB | | |", l.Limit, mb(l.IdleKB))
		p("| with `GOMEMLIMIT=%s`: RSS peak under load | | %.1f MB | < 80 MB | %s |", l.Limit, mb(l.PeakKB), pass(mb(l.PeakKB) < goalLoadMB))
		p("")
		p("With `GOMEMLIMIT=%s` on the large installation: the report took %.0f ms; a 50-member click storm %.1f clicks/s, p99 %.0f ms,", l.Limit, ms(l.Report), l.Clicks.Balise.Rate(), l.Clicks.Balise.P(.99))
		p("Balise's own p50 / p99 %.1f / %.1f ms; `/tool` p99 %.0f ms, own p50 / p99 %.1f / %.1f ms.", durs(l.Clicks.Own, .5), durs(l.Clicks.Own, .99), l.Tool.Sample.P(.99), durs(l.Tool.Own, .5), durs(l.Tool.Own, .99))
		p("")
	}
	p("(MB here are MiB.) The peaks are over everything above: the click storms, the command storms and the diagnostic on the")
	p("fresh database; the report, a 50-member click storm and `/tool` on 10,000 entries on the large one. \"Idle\" is 3 s after the")
	p("catalogue index is built. With the same database, the catalogue index alone (its 10,000 decoded entries, about 26 MB, and")
	p("its postings, about 17 MB) was measured at about 52 MB of live heap apart from Balise; the rest of the live heap under load")
	p("is not yet accounted for.")
	p("")
	if len(r.HeapIdle) > 0 {
		p("Go's own figures on the large installation (`/metrics`, MiB):")
		p("")
		p("| | heap in use | heap allocated (live + garbage not yet collected) | next GC at | heap idle, of which released | Go sys | RSS |")
		p("|---|---|---|---|---|---|---|")
		for _, row := range []struct {
			name string
			m    map[string]float64
		}{{"idle", r.HeapIdle}, {"after the storms", r.HeapLoaded}} {
			m := row.m
			p("| %s | %.1f | %.1f | %.1f | %.1f, %.1f | %.1f | %.1f |", row.name, m["go_memstats_heap_inuse_bytes"], m["go_memstats_heap_alloc_bytes"],
				m["go_memstats_next_gc_bytes"], m["go_memstats_heap_idle_bytes"], m["go_memstats_heap_released_bytes"], m["go_memstats_sys_bytes"], m["process_resident_memory_bytes"])
		}
		p("")
	}

	p("## 6. Scheduler")
	p("")
	p("Not measured by this run: see `go test ./commands/plan -run '^$' -bench BenchmarkDispatch10000DueAtOnce -benchtime 1x`.")
	p("")

	p("## 7. Capacity")
	p("")
	b.WriteString(capacity(r))
	p("")
	if len(r.Notes) > 0 {
		p("## Notes")
		p("")
		for _, n := range r.Notes {
			p("- %s", n)
		}
	}
	return b.String()
}

func cardText(c ClickRun) string {
	if !c.CardRight {
		return fmt.Sprintf("not right after %.1f s", c.CardAfter.Seconds())
	}
	return fmt.Sprintf("%.0f ms", ms(c.CardAfter))
}

func joinMs(d []time.Duration) string {
	var parts []string
	for _, x := range d {
		parts = append(parts, fmt.Sprintf("%.0f ms", ms(x)))
	}
	return strings.Join(parts, ", ")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// capacity is the arithmetic of section 7, from the run's figures.
func capacity(r *Results) string {
	var b strings.Builder
	p := func(f string, a ...any) { fmt.Fprintf(&b, f+"\n", a...) }
	if len(r.Clicks) == 0 {
		return "No click figures.\n"
	}
	c := r.Clicks[0]
	nullRate := c.Null.Rate()
	cpu := ms(r.CPUPerClick)
	baliseRate := math.Inf(1)
	if cpu > 0 {
		baliseRate = 1000 / cpu
	}
	limit := math.Min(nullRate, baliseRate)
	perAssoc := 50.0 * 2 // one vote: 50 members, two clicks each (a stance and a change of mind)
	window := 60.0       // seconds: a vote in a meeting happens within the minute
	simultaneous := 0.10 // of associations voting in the same minute at the busiest hour
	n := limit * window / (perAssoc * simultaneous)
	p("A \"small server\" is this one: 2 cores, Mattermost, PostgreSQL and Balise together. An association of 50 members at its")
	p("busiest votes in a meeting: 50 members × 2 clicks (a stance, a change of mind) = **%.0f clicks within a minute**. Assume that", perAssoc)
	p("at the busiest hour **%.0f%%** of the associations vote in the same minute.", 100*simultaneous)
	p("")
	p("- Through Mattermost, the null integration's 50-member throughput is **%.1f clicks/s**: Mattermost's own ceiling here.", nullRate)
	p("- Balise uses **%.1f ms of CPU per click**, so one core of Balise alone would take %.0f clicks/s.", cpu, baliseRate)
	p("- The ceiling is therefore min(%.1f, %.0f) = **%.1f clicks/s** = %.0f clicks a minute.", nullRate, baliseRate, limit, limit*window)
	p("- Associations served: %.0f clicks a minute / (%.0f clicks × %.0f%%) = **%.0f associations** of 50 members.", limit*window, perAssoc, 100*simultaneous, n)
	p("- Memory grows with the catalogue, not with the number of teams: one team with the shipped catalogue peaked at %.0f MB,", mb(r.PeakStormKB))
	p("  %d teams, %d decisions and %d catalogue entries at %.0f MB (see 5). A small server's few GB hold either.", r.Teams, r.Decisions, r.Catalogue, mb(r.PeakLargeKB))
	p("- Slash commands: Balise uses %.1f ms of CPU each; at one command per member per minute (a busy meeting),", ms(r.CPUPerCommand))
	p("  %.0f associations × 50 members × %.0f%% = %.0f commands a minute, %.1f/s, under the null command's %.1f/s.", n, 100*simultaneous, n*50*simultaneous, n*50*simultaneous/60, nullCommandRate(r))
	p("")
	p("So one Balise on one small server serves about **%.0f associations of 50 members**, and Mattermost, not Balise, is the", math.Floor(n/10)*10)
	p("limit: beyond it, more Mattermost (or a bigger server) comes before a second Balise. A second Balise replica is for")
	p("surviving the loss of the server, see \"Several replicas\" in the README.")
	return b.String()
}

func nullCommandRate(r *Results) float64 {
	for _, c := range r.Commands {
		if c.Label == "null command" {
			return c.Sample.Rate()
		}
	}
	return 0
}

// latencyChart draws the latency distributions: percentiles of each click
// storm (Balise and null) and of each command storm, two charts one above
// the other.
func latencyChart(r *Results) ([]byte, error) {
	qs := []float64{.1, .2, .3, .4, .5, .6, .7, .8, .9, .95, .99, 1}
	var labels []string
	for _, q := range qs {
		labels = append(labels, fmt.Sprintf("p%g", q*100))
	}
	curve := func(s *Sample) []float64 {
		var out []float64
		for _, q := range qs {
			out = append(out, s.P(q))
		}
		return out
	}
	var clickVals [][]float64
	var clickNames []string
	for _, c := range r.Clicks {
		clickVals = append(clickVals, curve(c.Null), curve(c.Balise))
		clickNames = append(clickNames, fmt.Sprintf("null %d", c.Members), fmt.Sprintf("Balise %d", c.Members))
	}
	var cmdVals [][]float64
	var cmdNames []string
	for _, c := range append(slices.Clone(r.Commands), r.AnswerStorms...) {
		cmdVals = append(cmdVals, curve(c.Sample))
		cmdNames = append(cmdNames, c.Label)
	}
	top, err := lineChart("Vote clicks through Mattermost: latency (ms) by percentile", labels, clickVals, clickNames)
	if err != nil {
		return nil, err
	}
	bottom, err := lineChart("Slash commands (50 members) and diagnostic taps (30): latency (ms) by percentile", labels, cmdVals, cmdNames)
	if err != nil {
		return nil, err
	}
	var ownVals [][]float64
	var ownNames []string
	own := func(name string, d []time.Duration) {
		if len(d) > 0 {
			ownVals = append(ownVals, curve(&Sample{Took: d}))
			ownNames = append(ownNames, name)
		}
	}
	for _, c := range r.Clicks {
		own(fmt.Sprintf("clicks %d", c.Members), c.Own)
	}
	for _, c := range append(slices.Clone(r.Commands), r.AnswerStorms...) {
		own(c.Label, c.Own)
	}
	third, err := lineChart("Balise's own handling (its request log): latency (ms) by percentile", labels, ownVals, ownNames)
	if err != nil {
		return nil, err
	}
	return stack(top, bottom, third)
}

func lineChart(title string, labels []string, values [][]float64, names []string) ([]byte, error) {
	opt := charts.NewLineChartOptionWithData(values)
	opt.Title = charts.TitleOption{Text: title, FontStyle: charts.NewFontStyleWithSize(14)}
	opt.XAxis.Labels = labels
	opt.Legend = charts.LegendOption{SeriesNames: names, Offset: charts.OffsetStr{Top: "30"}, Vertical: charts.Ptr(false)}
	opt.Padding = charts.NewBoxEqual(20)
	opt.Padding.Top = 80
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: 1000, Height: 480})
	if err := p.LineChart(opt); err != nil {
		return nil, err
	}
	return p.Bytes()
}

func stack(pngs ...[]byte) ([]byte, error) {
	var imgs []image.Image
	w, h := 0, 0
	for _, data := range pngs {
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		imgs = append(imgs, img)
		w, h = max(w, img.Bounds().Dx()), h+img.Bounds().Dy()
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	y := 0
	for _, img := range imgs {
		draw.Draw(out, image.Rect(0, y, img.Bounds().Dx(), y+img.Bounds().Dy()), img, img.Bounds().Min, draw.Over)
		y += img.Bounds().Dy()
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, out)
	return buf.Bytes(), err
}
