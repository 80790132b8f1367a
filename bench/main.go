// Command bench measures Balise against the real Mattermost of the
// end-to-end harness (v6.7.2 with PostgreSQL on loopback), each figure
// side by side with its limit in the same run: a null integration on the
// same server for anything that goes through Mattermost, raw SQLite for
// the storage. It writes bench/results/latest.md and
// bench/results/latency.png.
//
//	go run ./bench
//
// It takes about four minutes on two cores once the harness has built
// Mattermost. See the README, "Benchmarks".
package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/commands"
	"balise/e2e/mmtest"
)

func logf(f string, a ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+f+"\n", a...)
}

var (
	outDir    = flag.String("out", filepath.Join(mmtest.RepoRoot(), "bench", "results"), "where latest.md and latency.png are written")
	keep      = flag.Bool("keep", false, "keep the run's directory (Mattermost, PostgreSQL, Balise's database and log)")
	crowds    = flag.String("crowds", "50,200", "sizes of the voting crowds")
	clicks    = flag.Int("clicks", 400, "clicks per storm (spread over the crowd's members)")
	perMember = flag.Int("commands", 4, "slash commands per member in each command storm (50 members)")
	memLimit  = flag.String("memlimit", "100MiB", "GOMEMLIMIT for a last run on the large installation; none when empty")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		logf("bench: %v", err)
		os.Exit(1)
	}
}

// Results is everything the run measured, for the report.
type Results struct {
	Started, Finished time.Time
	LoadBefore        string
	LoadAfter         string
	CPUs              int
	Clicks            []ClickRun
	Commands          []*CommandRun
	AnswerStorms      []*CommandRun // the 30 respondents' taps
	AnsweredNext      int           // respondents whose next question arrived
	Reports           []time.Duration
	ReportOwn         []time.Duration
	ReportChart       bool
	Storage           StorageRun
	BinaryBytes       int64
	StartFresh        time.Duration
	StartLarge        time.Duration
	IdleFreshKB       int
	IdleLargeKB       int
	PeakStormKB       int // during the storms on the fresh database
	PeakLargeKB       int // during the storms on the large database
	SeedTook          time.Duration
	CPUPerClick       time.Duration
	CPUPerCommand     time.Duration
	LargeClicks       *ClickRun
	LargeTool         *CommandRun
	Catalogue, Teams  int
	Decisions         int
	ReportRespondents int
	Limited           *LimitRun
	WarmFresh         time.Duration // from the start to the catalogue index built
	WarmLarge         time.Duration
	HeapIdle          map[string]float64 // Go's memory figures from /metrics, large installation, idle
	HeapLoaded        map[string]float64 // and after the storms
	Notes             []string
}

// LimitRun is the large installation again, with GOMEMLIMIT set.
type LimitRun struct {
	Limit          string
	Start, Report  time.Duration
	Warm           time.Duration
	IdleKB, PeakKB int
	Clicks         *ClickRun
	Tool           *CommandRun
}

// ClickRun is one click storm: Balise's and the null integration's.
type ClickRun struct {
	Members   int
	Balise    *Sample
	Null      *Sample
	Own       []time.Duration // Balise's handling, from its request log
	CardAfter time.Duration   // from the last click to a card showing the final stances
	CardRight bool
	CPU       time.Duration
}

// CommandRun is one storm of a slash command (or of clicks answering a
// diagnostic), with Balise's own handling when it goes to Balise.
type CommandRun struct {
	Label  string
	Sample *Sample
	Own    []time.Duration
	Reply  string // the first reply, to show what was answered
}

func run() error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res := &Results{Started: time.Now(), LoadBefore: loadAverage(), CPUs: runtime.NumCPU(),
		Catalogue: 10000, Teams: 100, Decisions: 10000, ReportRespondents: 100}

	logf("storage: stances through the storage layer vs raw SQLite (go test -bench Stances ./storage)")
	var err error
	if res.Storage, err = storageBench(ctx); err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "balise-bench-")
	if err != nil {
		return err
	}
	if *keep {
		logf("the run's files stay in %s", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	logf("starting PostgreSQL and Mattermost %s in %s", mmtest.MattermostVersion, dir)
	mm, err := mmtest.Start(ctx, dir, logf)
	if err != nil {
		return err
	}
	defer mm.Stop()

	sizes, err := parseCrowds(*crowds)
	if err != nil {
		return err
	}
	most := max(50, sizes[len(sizes)-1])
	logf("creating %d members", most)
	members, err := addMembers(ctx, mm, most)
	if err != nil {
		return err
	}

	b, err := mm.NewBalise(ctx)
	if err != nil {
		return err
	}
	if out, err := b.Setup(ctx); err != nil {
		return fmt.Errorf("balise setup: %v\n%s", err, out)
	}
	if st, err := os.Stat(b.Binary()); err == nil {
		res.BinaryBytes = st.Size()
	}
	logPath := filepath.Join(dir, "balise-serve.log")
	reqLog := requestLog{path: logPath}
	srv, err := startServe(ctx, b, logPath)
	if err != nil {
		return err
	}
	defer func() { srv.stop() }()
	res.StartFresh = srv.startup
	res.WarmFresh = srv.warm(60 * time.Second)
	time.Sleep(3 * time.Second)
	res.IdleFreshKB = rssKB(srv.pid)
	logf("balise ready in %s, idle %d KiB", srv.startup, res.IdleFreshKB)

	null, err := startNull()
	if err != nil {
		return err
	}
	defer null.stop()
	if err := null.register(ctx, mm); err != nil {
		return fmt.Errorf("register /null: %w", err)
	}
	peak := peakRSS(srv.pid)

	// 1. Vote clicks.
	for _, n := range sizes {
		ch, err := newChannel(ctx, mm, fmt.Sprintf("vote%d", n), members[:n])
		if err != nil {
			return err
		}
		per := max(1, *clicks/n)
		r := ClickRun{Members: n}
		logf("clicks: %d members × %d clicks on the null integration", n, per)
		np, err := null.post(ctx, mm.Admin, ch.Id)
		if err != nil {
			return fmt.Errorf("null card: %w", err)
		}
		ids := []string{"null0", "null1", "null2"}
		r.Null = storm(fmt.Sprintf("null %d", n), n, per, func(m, c int) error {
			_, err := members[m].Client.DoPostActionWithCookie(ctx, np.Id, ids[(m+c)%3], "", "")
			return err
		})
		logf("clicks: %d members × %d clicks on a Balise decision", n, per)
		if r.Balise, r.Own, r.CardAfter, r.CardRight, r.CPU, err = baliseClicks(ctx, mm, srv, reqLog, members[:n], ch, per, fmt.Sprintf("Storm %d", n)); err != nil {
			return err
		}
		res.Clicks = append(res.Clicks, r)
	}

	// 3. Answering a diagnostic: 30 respondents at once.
	diagCh, err := newChannel(ctx, mm, "diagnostic", members[:30])
	if err != nil {
		return err
	}
	if res.AnswerStorms, res.AnsweredNext, err = answerStorms(ctx, mm, reqLog, members[:30], diagCh); err != nil {
		return err
	}

	// 2. Slash commands, 50 members at once.
	cmdCh, err := newChannel(ctx, mm, "commandes", members[:50])
	if err != nil {
		return err
	}
	cpu0 := cpuTime(srv.pid)
	baliseCommands := 0
	for _, c := range []struct{ label, line string }{
		{"null command", "/null"}, {"/echo (built in)", "/echo bench"},
		{"/tool", "/tool share files with the board"}, {"/decide list", "/decide list"},
		{"/diag status", "/diag status"}, {"/plan list", "/plan list"},
	} {
		logf("commands: 50 members × %d %s", *perMember, c.line)
		run := commandStorm(ctx, reqLog, members[:50], cmdCh.Id, c.label, c.line, *perMember)
		if strings.HasPrefix(c.line, "/null") || strings.HasPrefix(c.line, "/echo") {
			run.Own = nil
		} else {
			baliseCommands += len(run.Sample.Took) + run.Sample.Errors
		}
		res.Commands = append(res.Commands, run)
	}
	if baliseCommands > 0 {
		res.CPUPerCommand = (cpuTime(srv.pid) - cpu0) / time.Duration(baliseCommands)
	}
	var clickCount int
	var clickCPU time.Duration
	for _, c := range res.Clicks {
		clickCount += len(c.Balise.Took) + c.Balise.Errors
		clickCPU += c.CPU
	}
	if clickCount > 0 {
		res.CPUPerClick = clickCPU / time.Duration(clickCount)
	}
	res.PeakStormKB = peak()
	if _, err := members[0].Run(ctx, diagCh.Id, "/diag close"); err != nil {
		return err
	}
	time.Sleep(2 * time.Second) // the closing notice leaves the outbox

	// 5. A large installation, seeded while Balise is stopped.
	srv.stop()
	logf("seeding %d catalogue entries, %d teams, %d decisions and a campaign of %d respondents", res.Catalogue, res.Teams, res.Decisions, res.ReportRespondents)
	t0 := time.Now()
	if err := seedLarge(ctx, b.DB, res.Catalogue, res.Teams, res.Decisions); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	label, err := seedCampaign(ctx, b.DB, mm.Team.Id, diagCh.Id, members[0].Id, res.ReportRespondents)
	if err != nil {
		return fmt.Errorf("seed campaign: %w", err)
	}
	res.SeedTook = time.Since(t0)
	if srv, err = startServe(ctx, b, logPath); err != nil {
		return err
	}
	res.StartLarge = srv.startup
	res.WarmLarge = srv.warm(60 * time.Second)
	time.Sleep(3 * time.Second)
	res.IdleLargeKB = rssKB(srv.pid)
	res.HeapIdle = goMemory(b.MetricsURL)
	logf("large: balise ready in %s, idle %d KiB", srv.startup, res.IdleLargeKB)
	peak = peakRSS(srv.pid)

	// 3. The report of 100 respondents, with its chart.
	for i := range 3 {
		from := reqLog.size()
		t := time.Now()
		reply, err := members[0].Run(ctx, diagCh.Id, "/diag report "+label)
		took := time.Since(t)
		if err != nil {
			return err
		}
		if i == 0 {
			logf("report: %q in %s", reply, took)
		}
		res.Reports = append(res.Reports, took)
		res.ReportOwn = append(res.ReportOwn, reqLog.durations(from, commands.CommandPath)...)
	}
	if p, err := members[0].WaitPost(ctx, diagCh.Id, 10*time.Second, func(p *model.Post) bool {
		return p.RootId == "" && strings.Contains(p.Message, label) && len(p.FileIds) == 1
	}); err == nil && p != nil {
		res.ReportChart = true
	}

	// Load on the large installation: a click storm and /tool on 10,000 entries.
	ch, err := newChannel(ctx, mm, "grande", members[:50])
	if err != nil {
		return err
	}
	large := ClickRun{Members: 50}
	if large.Balise, large.Own, large.CardAfter, large.CardRight, large.CPU, err = baliseClicks(ctx, mm, srv, reqLog, members[:50], ch, max(1, *clicks/50), "Storm large"); err != nil {
		return err
	}
	res.LargeClicks = &large
	res.LargeTool = commandStorm(ctx, reqLog, members[:50], ch.Id, "/tool (10,000 entries)", "/tool share files with the board", *perMember)
	res.PeakLargeKB = peak()
	res.HeapLoaded = goMemory(b.MetricsURL)
	srv.stop()

	// The same large installation under a soft memory limit for Go's
	// garbage collector, the operator's knob (GOMEMLIMIT).
	if *memLimit != "" {
		lim := &LimitRun{Limit: *memLimit}
		if srv, err = startServe(ctx, b, logPath, "GOMEMLIMIT="+*memLimit); err != nil {
			return err
		}
		lim.Start = srv.startup
		lim.Warm = srv.warm(60 * time.Second)
		time.Sleep(3 * time.Second)
		lim.IdleKB = rssKB(srv.pid)
		logf("large, GOMEMLIMIT=%s: ready in %s, idle %d KiB", *memLimit, srv.startup, lim.IdleKB)
		peak = peakRSS(srv.pid)
		t := time.Now()
		if _, err := members[0].Run(ctx, diagCh.Id, "/diag report "+label); err != nil {
			return err
		}
		lim.Report = time.Since(t)
		ch, err := newChannel(ctx, mm, "limite", members[:50])
		if err != nil {
			return err
		}
		c := ClickRun{Members: 50}
		if c.Balise, c.Own, c.CardAfter, c.CardRight, c.CPU, err = baliseClicks(ctx, mm, srv, reqLog, members[:50], ch, max(1, *clicks/50), "Storm limit"); err != nil {
			return err
		}
		lim.Clicks = &c
		lim.Tool = commandStorm(ctx, reqLog, members[:50], ch.Id, "/tool (10,000 entries, GOMEMLIMIT="+*memLimit+")", "/tool share files with the board", *perMember)
		lim.PeakKB = peak()
		srv.stop()
		res.Limited = lim
	}

	res.LoadAfter = loadAverage()
	res.Finished = time.Now()
	return write(res, *outDir)
}

func parseCrowds(s string) ([]int, error) {
	var out []int
	for f := range strings.SplitSeq(s, ",") {
		var n int
		if _, err := fmt.Sscanf(strings.TrimSpace(f), "%d", &n); err != nil || n < 3 {
			return nil, fmt.Errorf("-crowds %q: sizes of 3 or more, separated by commas", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// addMembers creates members m000, m001... (English), four at a time.
func addMembers(ctx context.Context, mm *mmtest.Mattermost, n int) ([]*mmtest.User, error) {
	out := make([]*mmtest.User, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := mm.AddUser(ctx, fmt.Sprintf("m%03d", i), "en")
			if err != nil {
				errs <- err
				return
			}
			out[i] = u
		})
	}
	wg.Wait()
	close(errs)
	return out, <-errs
}

// newChannel creates an open channel with the members (the admin stays in
// it, to create the null card and read posts).
func newChannel(ctx context.Context, mm *mmtest.Mattermost, name string, members []*mmtest.User) (*model.Channel, error) {
	ch, _, err := mm.Admin.Client.CreateChannel(ctx, &model.Channel{TeamId: mm.Team.Id, Name: name, DisplayName: name, Type: model.ChannelTypeOpen})
	if err != nil {
		return nil, fmt.Errorf("channel %s: %w", name, err)
	}
	for _, u := range members {
		if _, _, err := mm.Admin.Client.AddChannelMember(ctx, ch.Id, u.Id); err != nil {
			return nil, fmt.Errorf("add %s to %s: %w", u.Username, name, err)
		}
	}
	return ch, nil
}

// serve is a `balise serve` process the benchmark started.
type serve struct {
	cmd     *exec.Cmd
	pid     int
	startup time.Duration // from the process's start to /readyz 200
	t0      time.Time
	log     requestLog
	logFrom int64
	done    chan struct{}
	stopped bool
}

func startServe(ctx context.Context, b *mmtest.Balise, logPath string, env ...string) (*serve, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := b.Exec("serve")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = f, f
	from := requestLog{path: logPath}.size()
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	s := &serve{cmd: cmd, pid: cmd.Process.Pid, done: make(chan struct{}), t0: t0, log: requestLog{path: logPath}, logFrom: from}
	go func() { cmd.Wait(); f.Close(); close(s.done) }()
	client := &http.Client{Timeout: time.Second}
	deadline := t0.Add(60 * time.Second)
	for {
		resp, err := client.Get(b.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.startup = time.Since(t0)
				return s, nil
			}
		}
		select {
		case <-s.done:
			return nil, fmt.Errorf("balise serve exited while starting: see %s", logPath)
		case <-ctx.Done():
			s.stop()
			return nil, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("balise serve not ready after 60 s: see %s", logPath)
		}
	}
}

// warm waits until serve has built the catalogue's search index in the
// background, and returns how long after the process's start it was ready.
func (s *serve) warm(timeout time.Duration) time.Duration {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if s.log.has(s.logFrom, "catalogue index built") {
			return time.Since(s.t0)
		}
		time.Sleep(20 * time.Millisecond)
	}
	logf("the catalogue index was not built within %s", timeout)
	return 0
}

// stop ends the process this benchmark started, by its pid: SIGTERM, then
// SIGKILL after 30 s.
func (s *serve) stop() {
	if s == nil || s.stopped {
		return
	}
	s.stopped = true
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

var numberRe = regexp.MustCompile(`#(\d+)`)

// baliseClicks opens a decision in the channel and has every member click
// per times, stances alternating; then it waits for the card to show
// every member's last stance.
func baliseClicks(ctx context.Context, mm *mmtest.Mattermost, srv *serve, reqLog requestLog, members []*mmtest.User, ch *model.Channel, per int, title string) (s *Sample, own []time.Duration, cardAfter time.Duration, right bool, cpu time.Duration, err error) {
	reply, err := members[0].Run(ctx, ch.Id, fmt.Sprintf("/decide %q --closes 1d", title))
	if err != nil {
		return
	}
	m := numberRe.FindStringSubmatch(reply)
	if m == nil {
		err = fmt.Errorf("/decide answers %q", reply)
		return
	}
	card, err := mm.Admin.WaitPost(ctx, ch.Id, 20*time.Second, func(p *model.Post) bool {
		return p.RootId == "" && len(p.Attachments()) > 0 && strings.Contains(mmtest.PostText(p), "#"+m[1]+" ")
	})
	if err != nil {
		return
	}
	var ids []string
	for _, label := range nullLabels {
		id := ""
		for _, a := range card.Attachments() {
			for _, act := range a.Actions {
				if act.Name == label {
					id = act.Id
				}
			}
		}
		if id == "" {
			err = fmt.Errorf("no button %q on %q", label, mmtest.PostText(card))
			return
		}
		ids = append(ids, id)
	}
	from := reqLog.size()
	cpu0 := cpuTime(srv.pid)
	accepted := make([]int, len(members)) // each member's last stance Mattermost reported accepted
	for i := range accepted {
		accepted[i] = -1
	}
	s = storm(fmt.Sprintf("balise %d", len(members)), len(members), per, func(m, c int) error {
		_, err := members[m].Client.DoPostActionWithCookie(ctx, card.Id, ids[(m+c)%3], "", "")
		if err == nil {
			accepted[m] = (m + c) % 3
		}
		return err
	})
	last := time.Now()
	counts := make([]int, 3)
	for _, a := range accepted {
		if a >= 0 {
			counts[a]++
		}
	}
	for time.Since(last) < 30*time.Second {
		p, _, gerr := mm.Admin.Client.GetPost(ctx, card.Id, "")
		if gerr == nil {
			text := mmtest.PostText(p)
			ok := true
			for i, label := range nullLabels {
				ok = ok && strings.Contains(text, fmt.Sprintf("%s **%d**", label, counts[i]))
			}
			if ok {
				cardAfter, right = time.Since(last), true
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !right {
		cardAfter = time.Since(last)
	}
	cpu = cpuTime(srv.pid) - cpu0
	own = reqLog.durations(from, commands.ActionPath)
	return
}

// commandStorm has every member type the command per times, all at once.
func commandStorm(ctx context.Context, reqLog requestLog, members []*mmtest.User, channelID, label, line string, per int) *CommandRun {
	run := &CommandRun{Label: label}
	from := reqLog.size()
	var once sync.Once
	run.Sample = storm(label, len(members), per, func(m, c int) error {
		text, err := members[m].Run(ctx, channelID, line)
		once.Do(func() { run.Reply = text })
		return err
	})
	run.Own = reqLog.durations(from, commands.CommandPath)
	return run
}

// answerStorms opens a campaign in the channel; each member asks for their
// first step, then all tap their role at once, then all answer the first
// question at once. A tap's answer comes back once the next question is
// posted: its latency is the answer-to-next-question time.
func answerStorms(ctx context.Context, mm *mmtest.Mattermost, reqLog requestLog, members []*mmtest.User, ch *model.Channel) ([]*CommandRun, int, error) {
	if reply, err := members[0].Run(ctx, ch.Id, `/diag start "Bench" --closes 7d`); err != nil || !strings.Contains(reply, "V1") {
		return nil, 0, fmt.Errorf("/diag start: %q %v", reply, err)
	}
	botUser, _, err := mm.Admin.Client.GetUserByUsername(ctx, "balise", "")
	if err != nil {
		return nil, 0, err
	}
	dms := make([]string, len(members))
	roles := make([]string, len(members))
	for i, u := range members {
		dm, _, err := u.Client.CreateDirectChannel(ctx, u.Id, botUser.Id)
		if err != nil {
			return nil, 0, err
		}
		dms[i] = dm.Id
		if _, err := u.Run(ctx, ch.Id, "/diag"); err != nil {
			return nil, 0, err
		}
	}
	find := func(u *mmtest.User, dm, label, not string) (*model.Post, string, error) {
		p, err := u.WaitPost(ctx, dm, 15*time.Second, func(p *model.Post) bool {
			return p.Id != not && exactAction(p, label) != ""
		})
		if err != nil {
			return nil, "", err
		}
		return p, exactAction(p, label), nil
	}
	rolePosts := make([]*model.Post, len(members))
	for i, u := range members {
		p, id, err := find(u, dms[i], "Volunteer", "")
		if err != nil {
			return nil, 0, err
		}
		rolePosts[i], roles[i] = p, id
	}
	logf("diagnostic: %d respondents tap their role at once", len(members))
	from := reqLog.size()
	roleRun := &CommandRun{Label: "role → first question"}
	roleRun.Sample = storm("role", len(members), 1, func(m, _ int) error {
		_, err := members[m].Client.DoPostActionWithCookie(ctx, rolePosts[m].Id, roles[m], "", "")
		return err
	})
	roleRun.Own = reqLog.durations(from, commands.ActionPath)

	questions := make([]*model.Post, len(members))
	firsts := make([]string, len(members))
	for i, u := range members {
		p, _, err := find(u, dms[i], "I don't know", rolePosts[i].Id)
		if err != nil {
			return nil, 0, err
		}
		questions[i], firsts[i] = p, p.Attachments()[0].Actions[0].Id
	}
	logf("diagnostic: %d respondents answer a question at once", len(members))
	from = reqLog.size()
	answerRun := &CommandRun{Label: "answer → next question"}
	answerRun.Sample = storm("answer", len(members), 1, func(m, _ int) error {
		_, err := members[m].Client.DoPostActionWithCookie(ctx, questions[m].Id, firsts[m], "", "")
		return err
	})
	answerRun.Own = reqLog.durations(from, commands.ActionPath)
	next := 0
	for i, u := range members {
		posts, err := u.Posts(ctx, dms[i])
		if err != nil {
			continue
		}
		for _, p := range posts { // newest first
			if p.Id == questions[i].Id {
				break
			}
			if exactAction(p, "I don't know") != "" {
				next++
				break
			}
		}
	}
	return []*CommandRun{roleRun, answerRun}, next, nil
}

// exactAction returns the id of the post's button labelled exactly label.
func exactAction(p *model.Post, label string) string {
	for _, a := range p.Attachments() {
		for _, act := range a.Actions {
			if act.Name == label {
				return act.Id
			}
		}
	}
	return ""
}
