//go:build e2e

package e2e

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

// The reliability suite: Balise killed in the middle of a storm, Mattermost
// gone for a while, a database that is full or turns read-only.

// members creates n members of the team in parallel, named prefix00...
func members(t *testing.T, prefix, locale string, n int) []*mmtest.User {
	t.Helper()
	out := make([]*mmtest.User, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 6)
	var wg sync.WaitGroup
	for i := range out {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			u, err := mm.AddUser(context.Background(), fmt.Sprintf("%s%02d", prefix, i), locale)
			out[i] = u
			if err != nil {
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return out
}

// openDecision opens a decision as u and returns its number and card.
func openDecision(t *testing.T, u *mmtest.User, channelID, command, title string) (int, *model.Post) {
	t.Helper()
	got := mustRun(t, u, channelID, command)
	i := strings.Index(got, "#")
	if i < 0 {
		t.Fatalf("%s answers %q", command, got)
	}
	var number int
	fmt.Sscanf(got[i+1:], "%d", &number)
	return number, card(t, u, channelID, number, title)
}

// stanceOf returns a member's stored choice on a decision, -1 for none,
// and how many stance rows they have.
func stanceOf(t *testing.T, number int, userID string) (choice, rows int) {
	t.Helper()
	choice = -1
	r, err := db(t).Query(`SELECT s.choice FROM stance s JOIN decision d ON d.id = s.decision_id
		WHERE d.number = ? AND d.team_id = ? AND s.voter = ?`, number, mm.Team.Id, userID)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		r.Scan(&choice)
		rows++
	}
	return choice, rows
}

// cardMatchesDatabase waits until the decision's card shows the stored
// tally, option by option, and returns the card's text.
func cardMatchesDatabase(t *testing.T, u *mmtest.User, channelID string, number int, labels []string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		var want []string
		total := 0
		for i, label := range labels {
			n := count(t, `SELECT COUNT(*) FROM stance s JOIN decision d ON d.id = s.decision_id
				WHERE d.number = ? AND d.team_id = ? AND s.choice = ?`, number, mm.Team.Id, i)
			want = append(want, fmt.Sprintf("%s **%d**", label, n))
			total += n
		}
		p := card(t, u, channelID, number, "")
		text := mmtest.PostText(p)
		ok := true
		for _, w := range want {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			return text
		}
		if time.Now().After(deadline) {
			t.Fatalf("card reads %q after %s, want %v (%d stored)", text, timeout, want, total)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// Balise is killed (SIGKILL) while 50 members click twice each on a
// decision, 100 clicks. After the restart, every click Mattermost reported
// as accepted is stored, no member has two stances, and the card, stale
// after the crash, is corrected by the refresh job.
func TestCrashDuringVoteStorm(t *testing.T) {
	ctx := context.Background()
	voters := members(t, "orage", "en", 50)
	ch := channel(t, "orage", append(voters, alex)...)
	number, p := openDecision(t, alex, ch.Id, `/decide "Storm of votes" --closes 1d`, "Storm of votes")
	labels := []string{"Agree", "Abstain", "Disagree"}

	// Each member clicks one stance, then another: the second changes it.
	choices := func(i int) [2]int { return [2]int{i % 3, (i + 1) % 3} }
	accepted := make([][2]bool, len(voters))
	var done atomic.Int32
	killed := make(chan struct{})
	go func() { // the crash, in the middle of the storm
		for done.Load() < 40 {
			time.Sleep(2 * time.Millisecond)
		}
		balise.Kill()
		close(killed)
	}()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, m := range voters {
		wg.Add(1)
		go func(i int, m *mmtest.User) {
			defer wg.Done()
			<-start
			for k, c := range choices(i) {
				accepted[i][k] = m.Click(ctx, p.Id, mmtest.ActionID(p, labels[c])) == nil
				done.Add(1)
			}
		}(i, m)
	}
	close(start)
	wg.Wait()
	<-killed
	if err := balise.Start(ctx); err != nil {
		t.Fatal(err)
	}

	nAccepted := 0
	for i, m := range voters {
		c := choices(i)
		got, rows := stanceOf(t, number, m.Id)
		if rows > 1 {
			t.Errorf("%s has %d stances", m.Username, rows)
		}
		switch {
		case accepted[i][1] && got != c[1]:
			t.Errorf("%s: second click accepted (%s) but %d stored", m.Username, labels[c[1]], got)
		case accepted[i][0] && !accepted[i][1] && got != c[0] && got != c[1]:
			t.Errorf("%s: first click accepted (%s) but %d stored", m.Username, labels[c[0]], got)
		case got != -1 && got != c[0] && got != c[1]:
			t.Errorf("%s: %d stored, which they never clicked", m.Username, got)
		}
		changes := count(t, `SELECT COUNT(*) FROM stance_change c JOIN decision d ON d.id = c.decision_id
			WHERE d.number = ? AND d.team_id = ? AND c.voter = ?`, number, mm.Team.Id, m.Id)
		want := 0
		for _, a := range accepted[i] {
			if a {
				want++
			}
		}
		nAccepted += want
		if changes < want || changes > 2 {
			t.Errorf("%s: %d stance changes kept, %d clicks accepted of 2", m.Username, changes, want)
		}
	}
	if nAccepted == 0 || nAccepted == 2*len(voters) {
		t.Fatalf("%d of %d clicks accepted: the kill did not fall in the middle of the storm", nAccepted, 2*len(voters))
	}
	t.Logf("%d of %d clicks accepted before the kill", nAccepted, 2*len(voters))
	cardMatchesDatabase(t, alex, ch.Id, number, labels, 20*time.Second)

	// Balise serves again: a refused member votes now.
	for i, m := range voters {
		if !accepted[i][1] {
			click(t, m, p, "Agree")
			if got, _ := stanceOf(t, number, m.Id); got != 0 {
				t.Errorf("%s voted Agree after the restart, %d stored", m.Username, got)
			}
			break
		}
	}
	cardMatchesDatabase(t, alex, ch.Id, number, labels, 10*time.Second)
}

// diagStep is one respondent's next step in their direct channel with the
// bot, answered with its first option (the role: volunteer): it returns
// the post clicked, and whether the click was accepted. It gives up when
// no new question comes within wait.
func diagStep(r *respondent, last string, wait time.Duration) (*model.Post, bool, error) {
	ctx := context.Background()
	deadline := time.Now().Add(wait)
	for {
		posts, err := r.u.Posts(ctx, r.dm)
		if err != nil {
			return nil, false, err
		}
		for _, p := range posts {
			if len(p.Attachments()) == 0 || len(p.Attachments()[0].Actions) == 0 {
				continue
			}
			if p.Id == last {
				break
			}
			label := button(p, 0)
			if id := mmtest.ActionID(p, "Volunteer"); id != "" {
				label = "Volunteer"
			}
			err := r.u.Click(ctx, p.Id, mmtest.ActionID(p, label))
			return p, err == nil, nil
		}
		if time.Now().After(deadline) {
			return nil, false, errors.New("no new step")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Balise is killed while 20 members answer a diagnostic. After the
// restart, every answer Mattermost reported as accepted is stored, at most
// the one in flight more, each once; /diag resumes each where the database
// says, and answering goes on.
func TestCrashDuringDiagnostic(t *testing.T) {
	ctx := context.Background()
	people := members(t, "repondant", "en", 20)
	ch := channel(t, "diag-crash", append(people, camille)...)
	got := mustRun(t, camille, ch.Id, `/diag demarrer "Crash" --fermeture 7j`)
	if !strings.Contains(got, "ouvert") {
		t.Fatalf("/diag demarrer answers %q", got)
	}
	defer mustRun(t, camille, ch.Id, "/diag fermer") // one open campaign per team: leave none
	outboxDrained(t, 20*time.Second)                 // the invitations are in, before any question
	var campaign int64
	if err := db(t).QueryRow(`SELECT id FROM diag_campaign WHERE team_id = ? AND channel_id = ?`, mm.Team.Id, ch.Id).Scan(&campaign); err != nil {
		t.Fatal(err)
	}
	stored := func(u *mmtest.User) int {
		return count(t, `SELECT (SELECT COUNT(*) FROM diag_answer WHERE campaign_id = ?1 AND user_id = ?2)
			+ (SELECT COUNT(*) FROM diag_target WHERE campaign_id = ?1 AND user_id = ?2)`, campaign, u.Id)
	}

	rs := make([]*respondent, len(people))
	for i, u := range people {
		mustRun(t, u, ch.Id, "/diag")
		rs[i] = newRespondent(t, u, "Volunteer", false)
	}
	accepted := make([]int, len(people)) // answers and targets, not the role
	var total atomic.Int32
	killed, abort := make(chan struct{}), make(chan struct{})
	defer close(abort)
	go func() {
		for total.Load() < 60 {
			select {
			case <-abort: // the test ended first: no kill under another test
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
		balise.Kill()
		close(killed)
	}()
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Add(1)
		go func(i int, r *respondent) {
			defer wg.Done()
			last := ""
			for n := 0; n < 15; n++ {
				p, ok, err := diagStep(r, last, 5*time.Second)
				if err != nil || !ok {
					return // Balise is down
				}
				if mmtest.ActionID(p, "I don't know") != "" { // a question or a target, not the role
					accepted[i]++
					total.Add(1)
				}
				last = p.Id
			}
		}(i, r)
	}
	wg.Wait()
	select {
	case <-killed:
	case <-time.After(5 * time.Second):
		t.Fatalf("the respondents stopped after %d answers, before the kill", total.Load())
	}
	if err := balise.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d answers accepted before the kill", total.Load())
	for i, r := range rs {
		n := stored(r.u)
		if n < accepted[i] || n > accepted[i]+1 {
			t.Errorf("%s: %d answers stored, %d accepted (at most one more may have been in flight)", r.u.Username, n, accepted[i])
		}
		if dup := count(t, `SELECT COUNT(*) - COUNT(DISTINCT question_id) FROM diag_answer WHERE campaign_id = ? AND user_id = ?`, campaign, r.u.Id); dup != 0 {
			t.Errorf("%s: %d answers stored twice", r.u.Username, dup)
		}
	}
	// Each resumes where the database says, and goes on.
	for _, r := range rs[:5] {
		n := stored(r.u)
		before := r.newest("").Id
		if got := mustRun(t, r.u, ch.Id, "/diag"); !strings.Contains(got, "direct messages") {
			t.Errorf("/diag after the crash answers %q", got)
		}
		p := r.newest(before)
		if want := fmt.Sprintf("· %d/", n); !strings.Contains(mmtest.PostText(p), want) {
			t.Errorf("%s resumes at %q, want %q", r.u.Username, mmtest.PostText(p), want)
		}
		if _, ok, err := diagStep(r, before, 5*time.Second); err != nil || !ok {
			t.Errorf("%s cannot answer after the restart: %v", r.u.Username, err)
		}
		if after := stored(r.u); after != n+1 {
			t.Errorf("%s: %d answers stored after one more, want %d", r.u.Username, after, n+1)
		}
	}
}

// threadCount counts the posts of a thread whose text contains text.
func threadCount(t *testing.T, u *mmtest.User, rootID, text string) int {
	t.Helper()
	posts, err := u.Thread(context.Background(), rootID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range posts {
		if strings.Contains(mmtest.PostText(p), text) {
			n++
		}
	}
	return n
}

// dmCount counts the bot's direct messages to u that contain text.
func dmCount(t *testing.T, u *mmtest.User, text string) int {
	t.Helper()
	dm, err := u.DirectChannelWith(context.Background(), botID(t))
	if err != nil {
		t.Fatal(err)
	}
	posts, err := u.Posts(context.Background(), dm.Id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range posts {
		if strings.Contains(mmtest.PostText(p), text) {
			n++
		}
	}
	return n
}

// writeDB changes Balise's database beside it, as an operator would.
func writeDB(t *testing.T, query string, args ...any) {
	t.Helper()
	rw, err := sql.Open("sqlite", "file:"+balise.DB+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	if _, err := rw.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// outage is how long Mattermost stays down in TestMattermostOutage.
const outage = 30 * time.Second

// Mattermost stops while a decision closes and reminders fall due. Balise
// keeps what it must post, retries, and once Mattermost is back delivers
// the result and each reminder exactly once and corrects the card,
// without being restarted.
func TestMattermostOutage(t *testing.T) {
	ctx := context.Background()
	people := members(t, "panne", "en", 3)
	ch := channel(t, "panne", append(people, alex)...)
	closing, closingCard := openDecision(t, alex, ch.Id, `/decide "Closes during the outage" --closes 1d`, "Closes during the outage")
	reminding, _ := openDecision(t, alex, ch.Id, `/decide "Reminds during the outage" --closes 1d`, "Reminds during the outage")
	click(t, people[0], closingCard, "Agree")
	click(t, alex, card(t, alex, ch.Id, reminding, "Reminds during the outage"), "Agree")
	outboxDrained(t, 15*time.Second)

	if err := mm.StopServer(); err != nil {
		t.Fatal(err)
	}
	down := time.Now()
	restarted := false
	defer func() {
		if !restarted { // the other tests need Mattermost
			mm.StartServer(ctx)
		}
	}()
	// While it is down, the first decision's time comes, and the second's
	// reminder (half-way between opening and closing).
	now := time.Now()
	writeDB(t, `UPDATE decision SET closes_at = ? WHERE number = ? AND team_id = ?`, now.Add(-time.Second).UnixMilli(), closing, mm.Team.Id)
	writeDB(t, `UPDATE decision SET created_at = ?, closes_at = ? WHERE number = ? AND team_id = ?`,
		now.Add(-2*time.Hour).UnixMilli(), now.Add(time.Hour).UnixMilli(), reminding, mm.Team.Id)
	// The result is queued and tried; the reminders wait for Mattermost to
	// tell the members' languages.
	deadline := time.Now().Add(15 * time.Second)
	for count(t, `SELECT COUNT(*) FROM outbox WHERE attempts > 0`) < 1 {
		if time.Now().After(deadline) {
			t.Fatalf("Balise did not try to deliver while Mattermost was down: %d letters, %d tried",
				count(t, `SELECT COUNT(*) FROM outbox`), count(t, `SELECT COUNT(*) FROM outbox WHERE attempts > 0`))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if n := count(t, `SELECT COUNT(*) FROM decision WHERE number = ? AND team_id = ? AND closed_at > 0`, closing, mm.Team.Id); n != 1 {
		t.Error("the decision did not close while Mattermost was down")
	}
	if n := count(t, `SELECT COUNT(*) FROM decision WHERE number = ? AND team_id = ? AND reminded_at > 0`, reminding, mm.Team.Id); n != 0 {
		t.Error("reminders were written while Mattermost could not tell the members' languages")
	}
	time.Sleep(time.Until(down.Add(outage)))
	if err := mm.StartServer(ctx); err != nil {
		t.Fatal(err)
	}
	restarted = true
	back := time.Now()
	t.Logf("Mattermost down for %s; %d letters waited, %d attempts made", back.Sub(down).Round(time.Second),
		count(t, `SELECT COUNT(*) FROM outbox`), count(t, `SELECT COALESCE(SUM(attempts), 0) FROM outbox`))
	outboxDrained(t, 2*outage)
	t.Logf("every letter delivered %s after Mattermost came back", time.Since(back).Round(100*time.Millisecond))

	if n := threadCount(t, alex, closingCard.Id, fmt.Sprintf("Decision #%d is closed", closing)); n != 1 {
		t.Errorf("result posts in the thread: %d, want exactly 1", n)
	}
	for _, u := range people {
		if n := dmCount(t, u, fmt.Sprintf("Decision #%d \"Reminds during the outage\"", reminding)); n != 1 {
			t.Errorf("%s got %d reminders, want exactly 1", u.Username, n)
		}
	}
	if n := dmCount(t, alex, fmt.Sprintf("Decision #%d \"Reminds during the outage\"", reminding)); n != 0 {
		t.Errorf("alex, who voted, got %d reminders", n)
	}
	closed := card(t, alex, ch.Id, closing, "closed")
	if len(closed.Attachments()[0].Actions) != 0 {
		t.Error("the card closed during the outage still has buttons")
	}
	// A last look, once anything late had time to arrive: still once.
	time.Sleep(3 * time.Second)
	if n := threadCount(t, alex, closingCard.Id, fmt.Sprintf("Decision #%d is closed", closing)); n != 1 {
		t.Errorf("result posts in the thread after a while: %d, want 1", n)
	}
}

// unwritable checks what members see while Balise's database cannot be
// written: a clear message for a new decision and for a vote, nothing
// stored nor posted, reads still answered, Balise still serving.
func unwritable(t *testing.T, ch *model.Channel, number int, p *model.Post, title string) {
	t.Helper()
	ctx := context.Background()
	decisions, stances, letters := count(t, `SELECT COUNT(*) FROM decision`), count(t, `SELECT COUNT(*) FROM stance`), count(t, `SELECT COUNT(*) FROM outbox`)
	got := mustRun(t, alex, ch.Id, fmt.Sprintf(`/decide %q --closes 1d`, title))
	if !strings.Contains(got, "full or read-only") || !strings.Contains(got, "Nothing was recorded") {
		t.Errorf("a new decision answers %q, want the storage named", got)
	}
	dlgs, err := camille.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer dlgs.Close()
	click(t, camille, p, "Agree")
	if text, err := dlgs.EphemeralText(10*time.Second, "lecture seule"); err != nil {
		t.Error(err)
	} else if strings.Contains(text, "goroutine") || strings.Contains(text, "sqlite") {
		t.Errorf("the vote's answer reads %q", text)
	}
	if got := mustRun(t, alex, ch.Id, "/decide list"); !strings.Contains(got, fmt.Sprintf("#%d", number)) {
		t.Errorf("/decide list answers %q, want the open decision: reads go on", got)
	}
	if n := count(t, `SELECT COUNT(*) FROM decision`); n != decisions {
		t.Errorf("decisions: %d, were %d", n, decisions)
	}
	if n := count(t, `SELECT COUNT(*) FROM stance`); n != stances {
		t.Errorf("stances: %d, were %d", n, stances)
	}
	if n := count(t, `SELECT COUNT(*) FROM outbox`); n != letters {
		t.Errorf("letters: %d, were %d", n, letters)
	}
	posts, _ := alex.Posts(ctx, ch.Id)
	for _, p := range posts {
		if strings.Contains(mmtest.PostText(p), title) {
			t.Errorf("a card was posted for the refused decision: %q", mmtest.PostText(p))
		}
	}
	var check string
	if err := db(t).QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	resp, err := http.Get(balise.URL + "/healthz")
	if err != nil {
		t.Fatalf("Balise stopped serving: %v", err)
	}
	resp.Body.Close()
}

// writable checks that service is back: a decision opens, a vote counts.
func writable(t *testing.T, ch *model.Channel, number int, p *model.Post, title string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := mustRun(t, alex, ch.Id, fmt.Sprintf(`/decide %q --closes 1d`, title))
		if strings.Contains(got, "is open") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("once the cause is gone, a new decision answers %q", got)
		}
		time.Sleep(500 * time.Millisecond)
	}
	click(t, camille, p, "Agree")
	if got, _ := stanceOf(t, number, camille.Id); got != 0 {
		t.Errorf("camille's vote after the recovery: %d stored, want 0", got)
	}
	cardMatchesDatabase(t, alex, ch.Id, number, []string{"Agree", "Abstain", "Disagree"}, 10*time.Second)
}

// The database turns read-only under a running Balise (the e2e build's
// hook: SIGUSR1, SQLite's query_only on its writer), then writable again.
func TestReadOnlyDatabase(t *testing.T) {
	ch := channel(t, "lecture-seule", alex, camille)
	number, p := openDecision(t, alex, ch.Id, `/decide "Before read-only" --closes 1d`, "Before read-only")
	if err := balise.Signal(syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	restored := false
	defer func() {
		if !restored {
			balise.Signal(syscall.SIGUSR2)
		}
	}()
	waitLog(t, `"read_only":true`, 5*time.Second)
	unwritable(t, ch, number, p, "While read-only")
	if err := balise.Signal(syscall.SIGUSR2); err != nil {
		t.Fatal(err)
	}
	restored = true
	writable(t, ch, number, p, "After read-only")
}

// waitLog waits until Balise's log holds text.
func waitLog(t *testing.T, text string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !strings.Contains(balise.Log(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("%q not in Balise's log after %s", text, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The disk under Balise's database fills up (a small tmpfs, filled by a
// ballast file), then is freed. Needs root, to mount the tmpfs.
func TestDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	ctx := context.Background()
	dir := filepath.Join(mm.Dir, "small-disk")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(balise.DB)
	if err != nil {
		t.Fatal(err)
	}
	size := st.Size() + 32<<20
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d", size), "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	// Balise moves its database onto the small disk, and back at the end.
	original := balise.DB
	move := func(from, to string) {
		t.Helper()
		if err := balise.Stop(); err != nil {
			t.Fatal(err)
		}
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(to + suffix)
			if err := copyFile(from+suffix, to+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
		}
		balise.DB = to
		if err := balise.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Registered before any reading connection's cleanup, this runs after
	// all of them closed: nothing holds the small disk when it is unmounted.
	t.Cleanup(func() {
		move(balise.DB, original)
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount: %v %s", err, out)
		}
	})
	move(original, filepath.Join(dir, "balise.db"))

	ch := channel(t, "disque-plein", alex, camille)
	number, p := openDecision(t, alex, ch.Id, `/decide "Before the disk fills" --closes 1d`, "Before the disk fills")
	outboxDrained(t, 10*time.Second)
	// The WAL is emptied, so that the next write needs new space, and the
	// ballast takes every free byte.
	truncateWAL(t)
	ballast := filepath.Join(dir, "ballast")
	if err := fill(ballast); err != nil {
		t.Fatal(err)
	}
	unwritable(t, ch, number, p, "While the disk is full")
	if err := os.Remove(ballast); err != nil {
		t.Fatal(err)
	}
	writable(t, ch, number, p, "After the disk is freed")
}

// truncateWAL checkpoints Balise's WAL into the database and empties it.
func truncateWAL(t *testing.T) {
	t.Helper()
	rw, err := sql.Open("sqlite", "file:"+balise.DB+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer rw.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var busy, frames, done int
		if err := rw.QueryRow(`PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the WAL stays busy")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fill writes path until its file system has no space left.
func fill(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, chunk := range []int{1 << 20, 4096, 512} {
		buf := make([]byte, chunk)
		for {
			if _, err := f.Write(buf); err != nil {
				if errors.Is(err, syscall.ENOSPC) {
					break
				}
				return err
			}
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
