//go:build e2e

package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	_ "modernc.org/sqlite"

	"balise/e2e/mmtest"
)

// channel creates a channel of the team with the given members.
func channel(t *testing.T, name string, members ...*mmtest.User) *model.Channel {
	t.Helper()
	ctx := context.Background()
	ch, _, err := mm.Admin.Client.CreateChannel(ctx, &model.Channel{TeamId: mm.Team.Id, Name: name, DisplayName: name, Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range members {
		if _, _, err := mm.Admin.Client.AddChannelMember(ctx, ch.Id, u.Id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := mm.Admin.Client.RemoveUserFromChannel(ctx, ch.Id, mm.Admin.Id); err != nil {
		t.Fatal(err)
	}
	return ch
}

func user(t *testing.T, name, locale string) *mmtest.User {
	t.Helper()
	u, err := mm.AddUser(context.Background(), name, locale)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// card waits for the bot's card of decision number n in a channel.
func card(t *testing.T, u *mmtest.User, channelID string, n int, match string) *model.Post {
	t.Helper()
	p, err := u.WaitPost(context.Background(), channelID, 20*time.Second, func(p *model.Post) bool {
		text := mmtest.PostText(p)
		return p.RootId == "" && strings.Contains(text, fmt.Sprintf("#%d ", n)) && len(p.Attachments()) > 0 && strings.Contains(text, match)
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func click(t *testing.T, u *mmtest.User, p *model.Post, label string) {
	t.Helper()
	id := mmtest.ActionID(p, label)
	if id == "" {
		t.Fatalf("no button %q on %q", label, mmtest.PostText(p))
	}
	if err := u.Click(context.Background(), p.Id, id); err != nil {
		t.Fatal(err)
	}
}

func db(t *testing.T) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+balise.DB+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db(t).QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func threadWith(t *testing.T, u *mmtest.User, rootID, text string, timeout time.Duration) []*model.Post {
	t.Helper()
	deadline := time.Now().Add(timeout)
	drained := false
	for {
		posts, err := u.Thread(context.Background(), rootID)
		if err != nil {
			t.Fatal(err)
		}
		var hits []*model.Post
		for _, p := range posts {
			if strings.Contains(mmtest.PostText(p), text) {
				hits = append(hits, p)
			}
		}
		if len(hits) > 0 && !drained {
			// Something arrived: let what else Balise queued arrive too,
			// then read the thread once more, so that a duplicate shows.
			outboxDrained(t, time.Until(deadline))
			drained = true
			continue
		}
		if len(hits) > 0 || time.Now().After(deadline) {
			return hits
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// outboxDrained waits until Balise has sent every letter it queued.
func outboxDrained(t *testing.T, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for count(t, `SELECT COUNT(*) FROM outbox`) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("letters still waiting in the outbox after %s", timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func dmFromBot(t *testing.T, u *mmtest.User, text string, timeout time.Duration) *model.Post {
	t.Helper()
	dm, err := u.DirectChannelWith(context.Background(), botID(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := u.WaitPost(context.Background(), dm.Id, timeout, func(p *model.Post) bool { return strings.Contains(mmtest.PostText(p), text) })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A board runs a proposal from opening to outcome: a changed vote, a
// block, a reason, a refused outsider, a reminder, a close that happens
// while Balise is down, the outcome, the register and the export.
func TestBoardRunsAProposal(t *testing.T) {
	ctx := context.Background()
	dominique, sam, zoe := user(t, "dominique", "fr"), user(t, "sam", "en"), user(t, "zoe", "fr")
	bureau := channel(t, "bureau", camille, alex, dominique, sam)

	got := mustRun(t, camille, bureau.Id, `/decision "Passer à Nextcloud" --fermeture 1min --quorum 50% --details "Pour nos fichiers"`)
	if !strings.Contains(got, "ouverte") {
		t.Fatalf("/decision answers %q", got)
	}
	var number int
	fmt.Sscanf(got[strings.Index(got, "#")+1:], "%d", &number)
	p := card(t, camille, bureau.Id, number, "Passer à Nextcloud")
	if text := mmtest.PostText(p); !strings.Contains(text, "0 sur 4 a voté") || !strings.Contains(text, "encore 2 votes") {
		t.Errorf("new card reads %q, want participation and quorum", text)
	}

	dlgs, err := alex.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer dlgs.Close()
	click(t, alex, p, "D'accord")
	click(t, dominique, p, "Pas d'accord")
	click(t, dominique, p, "D'accord") // changes their mind
	click(t, sam, p, "Blocage")
	if err := zoe.JoinChannel(ctx, bureau.Id); err != nil {
		t.Fatal(err)
	}
	click(t, zoe, p, "Pas d'accord") // joined after the opening: not eligible, refused
	click(t, sam, p, "Blocage")      // a double click changes nothing

	if n := count(t, `SELECT COUNT(*) FROM stance s JOIN decision d ON d.id = s.decision_id WHERE d.number = ? AND d.team_id = ?`, number, mm.Team.Id); n != 3 {
		t.Errorf("stances stored: got %d, want 3 (zoe refused)", n)
	}
	if n := count(t, `SELECT COUNT(*) FROM stance_change c JOIN decision d ON d.id = c.decision_id WHERE d.number = ? AND d.team_id = ?`, number, mm.Team.Id); n != 4 {
		t.Errorf("stance changes kept: got %d, want 4 (dominique's two)", n)
	}
	p = card(t, camille, bureau.Id, number, "3 sur 4 ont voté")
	if text := mmtest.PostText(p); !strings.Contains(text, "D'accord **2**") || !strings.Contains(text, "1 blocage") || !strings.Contains(text, "atteint") {
		t.Errorf("card reads %q, want 2 agree, 1 block, quorum reached", text)
	}
	dmFromBot(t, camille, "a bloqué votre proposition", 15*time.Second)

	// alex gives a reason through the dialog.
	click(t, alex, p, "Ajouter une raison")
	dlg, err := dlgs.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := alex.Submit(ctx, dlg, bureau.Id, mm.Team.Id, map[string]any{"stance": "0", "reason": "Plus simple @channel"}); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("submit reason: %v %v", err, resp)
	}
	if hits := threadWith(t, camille, p.Id, "@alex", 15*time.Second); len(hits) != 1 || !strings.Contains(mmtest.PostText(hits[0]), "Plus simple @\u200bchannel") {
		t.Errorf("reason in thread: %v, want one post with the mention neutralised", hits)
	}

	// camille, the only one undecided, gets a reminder half-way.
	dmFromBot(t, camille, "vous n'avez pas encore voté", 45*time.Second)
	for _, u := range []*mmtest.User{camille, alex, dominique, sam} {
		dm, _ := u.DirectChannelWith(ctx, botID(t))
		posts, _ := u.Posts(ctx, dm.Id)
		reminders := 0
		for _, p := range posts {
			if text := mmtest.PostText(p); strings.Contains(text, "pas encore voté") || strings.Contains(text, "not voted yet") {
				reminders++
			}
		}
		if want := map[bool]int{true: 1, false: 0}[u == camille]; reminders != want {
			t.Errorf("%s got %d reminders, want %d (only camille is undecided)", u.Username, reminders, want)
		}
	}

	// Balise is down when the decision should close; it closes on start.
	if err := balise.Stop(); err != nil {
		t.Fatal(err)
	}
	// Its closing time passes while it is down (moved to the past rather
	// than waited for).
	rw, err := sql.Open("sqlite", "file:"+balise.DB+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rw.Exec(`UPDATE decision SET closes_at = ? WHERE number = ? AND team_id = ?`,
		time.Now().Add(-time.Second).UnixMilli(), number, mm.Team.Id); err != nil {
		t.Fatal(err)
	}
	rw.Close()
	if err := balise.Start(ctx); err != nil {
		t.Fatal(err)
	}
	results := threadWith(t, camille, p.Id, "fermée**", 20*time.Second)
	if len(results) != 1 {
		t.Fatalf("result posts: got %d, want exactly 1", len(results))
	}
	if text := mmtest.PostText(results[0]); !strings.Contains(text, "soit 2 votes) est atteint") {
		t.Errorf("result reads %q, want the quorum met", text)
	}
	closed := card(t, camille, bureau.Id, number, "fermée")
	if len(closed.Attachments()[0].Actions) != 0 {
		t.Error("the closed card still has buttons")
	}

	// camille writes the outcome.
	cdlgs, err := camille.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer cdlgs.Close()
	click(t, camille, results[0], "Écrire le résultat")
	dlg, err = cdlgs.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := camille.Submit(ctx, dlg, bureau.Id, mm.Team.Id, map[string]any{"outcome": "On passe à Nextcloud en janvier, Sam organise une session."}); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("submit outcome: %v %v", err, resp)
	}
	if hits := threadWith(t, camille, p.Id, "On passe à Nextcloud en janvier", 15*time.Second); len(hits) == 0 {
		t.Error("the outcome is not in the thread")
	}
	if got := mustRun(t, camille, bureau.Id, "/decision registre nextcloud"); !strings.Contains(got, "On passe à Nextcloud") {
		t.Errorf("register reads %q, want the outcome", got)
	}

	// The export reaches camille as two files.
	if got := mustRun(t, camille, bureau.Id, "/decision exporter"); !strings.Contains(got, "message privé") {
		t.Errorf("export answers %q", got)
	}
	export := dmFromBot(t, camille, "Le registre", 15*time.Second)
	if len(export.FileIds) != 2 {
		t.Fatalf("export has %d files, want CSV and Markdown", len(export.FileIds))
	}
	var csv string
	for _, id := range export.FileIds {
		info, _, _ := camille.Client.GetFileInfo(ctx, id)
		data, _, err := camille.Client.GetFile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(info.Name, ".csv") {
			csv = string(data)
		}
	}
	if !strings.Contains(csv, "Passer à Nextcloud") || !strings.Contains(csv, "\r\n") || !strings.Contains(csv, "On passe à Nextcloud") {
		t.Errorf("CSV reads %q", csv)
	}
}

// Bad input gets a clear message and writes nothing.
func TestBadDecisionsAreRefused(t *testing.T) {
	before := count(t, `SELECT COUNT(*) FROM decision`)
	for cmd, want := range map[string]string{
		`/decide --closes 7d`:               "title is missing",
		`/decide "Old" --closes 2020-01-01`: "in the future",
		`/decide "One" --options "Only"`:    "2 to 10 options",
		`/decide "Many" --options ` + strings.Repeat(`"x" `, 0) + manyOptions(30): "2 to 10 options",
		`/decide "Flag" --soon`:                        "Unknown option: --soon",
		`/decide "` + strings.Repeat("a", 20000) + `"`: "too long",
		`/decide "Hey @channel" --closes 1d`:           "@channel",
	} {
		got, err := alex.Run(context.Background(), mm.Channel.Id, cmd)
		if err != nil {
			if strings.Contains(cmd, "aaaa") {
				continue // Mattermost itself refuses a command this long
			}
			t.Errorf("%.40s: %v", cmd, err)
			continue
		}
		if !strings.Contains(got, want) {
			t.Errorf("%.40s answers %q, want %q", cmd, got, want)
		}
	}
	if after := count(t, `SELECT COUNT(*) FROM decision`); after != before {
		t.Errorf("bad input wrote decisions: %d before, %d after", before, after)
	}
}

func manyOptions(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"option %d" `, i)
	}
	return b.String()
}

// Anonymous means that after the close nothing links a voter to a choice.
func TestAnonymousDecisionForgetsVoters(t *testing.T) {
	ch := channel(t, "anonyme", camille, alex)
	got := mustRun(t, alex, ch.Id, `/decide "Secret ballot" --anonymous --closes 2h`)
	var number int
	fmt.Sscanf(got[strings.Index(got, "#")+1:], "%d", &number)
	p := card(t, alex, ch.Id, number, "anonymous")
	if mmtest.ActionID(p, "Add a reason") != "" {
		t.Error("an anonymous decision offers reasons, which would name their author")
	}
	click(t, camille, p, "Disagree")
	click(t, alex, p, "Agree")
	click(t, alex, p, "Close now")
	card(t, alex, ch.Id, number, "closed")
	rows, err := db(t).Query(`SELECT s.voter FROM stance s JOIN decision d ON d.id = s.decision_id WHERE d.number = ? AND d.team_id = ?`, number, mm.Team.Id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var v string
		rows.Scan(&v)
		if v == camille.Id || v == alex.Id {
			t.Errorf("stance keyed by a user id %s", v)
		}
		n++
	}
	if n != 2 {
		t.Errorf("stances: got %d, want 2", n)
	}
	if c := count(t, `SELECT COUNT(*) FROM decision WHERE number = ? AND team_id = ? AND secret IS NULL`, number, mm.Team.Id); c != 1 {
		t.Error("the decision's secret survived the close")
	}
}

// Fifty members click within the same second: the card equals the database.
func TestFiftyMembersVoteAtOnce(t *testing.T) {
	ctx := context.Background()
	var members []*mmtest.User
	for i := 0; i < 50; i++ {
		members = append(members, user(t, fmt.Sprintf("membre%02d", i), "fr"))
	}
	ag := channel(t, "ag", append(members, alex)...)
	got := mustRun(t, alex, ag.Id, `/decide "Adopt Paheko" --closes 1d`)
	var number int
	fmt.Sscanf(got[strings.Index(got, "#")+1:], "%d", &number)
	p := card(t, alex, ag.Id, number, "Adopt Paheko")
	labels := []string{"Agree", "Abstain", "Disagree"}
	want := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, m := range members {
		label := labels[rand.Intn(len(labels))]
		if i%7 == 0 {
			label = "Agree"
		}
		want[label]++
		wg.Add(1)
		go func(m *mmtest.User, label string) {
			defer wg.Done()
			<-start
			if err := m.Click(ctx, p.Id, mmtest.ActionID(p, label)); err != nil {
				t.Error(err)
			}
		}(m, label)
	}
	close(start)
	wg.Wait()
	final := card(t, alex, ag.Id, number, "50 of 51 voted")
	text := mmtest.PostText(final)
	for i, label := range labels {
		stored := count(t, `SELECT COUNT(*) FROM stance s JOIN decision d ON d.id = s.decision_id WHERE d.number = ? AND d.team_id = ? AND s.choice = ?`, number, mm.Team.Id, i)
		if stored != want[label] {
			t.Errorf("%s: database holds %d, want %d clicked", label, stored, want[label])
		}
		if !strings.Contains(text, fmt.Sprintf("%s **%d**", label, want[label])) {
			t.Errorf("card reads %q, want %s **%d**", text, label, want[label])
		}
	}
}

// The form: a bad field is refused in the dialog with nothing written,
// then a good submission opens the decision; only its author may close it.
func TestDecisionFromTheForm(t *testing.T) {
	ctx := context.Background()
	ch := channel(t, "formulaire", camille, alex)
	dlgs, err := camille.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer dlgs.Close()
	mustRun(t, camille, ch.Id, "/decision")
	dlg, err := dlgs.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if dlg.Dialog.Title != "Nouvelle décision" {
		t.Errorf("dialog title %q, want French", dlg.Dialog.Title)
	}
	before := count(t, `SELECT COUNT(*) FROM decision`)
	resp, err := camille.Submit(ctx, dlg, ch.Id, mm.Team.Id, map[string]any{"title": "Choisir un outil de visio", "kind": "poll",
		"options": "Jitsi\nBigBlueButton", "closes": "bientôt", "anonymous": false, "hidden": false})
	if err != nil || resp.Errors["closes"] == "" {
		t.Fatalf("bad closing time: got %v %+v, want an error on the field", err, resp)
	}
	if after := count(t, `SELECT COUNT(*) FROM decision`); after != before {
		t.Errorf("a refused form wrote a decision")
	}
	resp, err = camille.Submit(ctx, dlg, ch.Id, mm.Team.Id, map[string]any{"title": "Choisir un outil de visio", "kind": "poll",
		"options": "Jitsi\nBigBlueButton", "closes": "2j", "quorum": "50", "anonymous": false, "hidden": true})
	if err != nil || len(resp.Errors) > 0 {
		t.Fatalf("good form: %v %+v", err, resp)
	}
	var number int
	db(t).QueryRow(`SELECT number FROM decision WHERE channel_id = ?`, ch.Id).Scan(&number)
	p := card(t, camille, ch.Id, number, "Choisir un outil de visio")
	if text := mmtest.PostText(p); !strings.Contains(text, "Sondage") || !strings.Contains(text, "Résultats cachés") {
		t.Errorf("card reads %q, want a poll with hidden results", text)
	}
	click(t, alex, p, "BigBlueButton")
	click(t, alex, p, "Fermer maintenant") // alex is not the author
	if n := count(t, `SELECT COUNT(*) FROM decision WHERE channel_id = ? AND closed_at = 0`, ch.Id); n != 1 {
		t.Error("a member who is not the author closed the decision")
	}
	click(t, camille, p, "Relancer les indécis")
	click(t, camille, p, "Relancer les indécis")                       // a double click reminds once
	dmFromBot(t, camille, "Choisir un outil de visio", 15*time.Second) // camille has not voted: she is reminded too
	outboxDrained(t, 15*time.Second)                                   // a second reminder, had one been queued, is delivered by now
	dm, _ := camille.DirectChannelWith(ctx, botID(t))
	posts, _ := camille.Posts(ctx, dm.Id)
	reminders := 0
	for _, p := range posts {
		if strings.Contains(mmtest.PostText(p), "Choisir un outil de visio") {
			reminders++
		}
	}
	if reminders != 1 {
		t.Errorf("camille got %d reminders after a double click, want 1", reminders)
	}
}

// A decision typed in a direct message gets a clear answer, and nothing is stored.
func TestDecisionInADirectMessage(t *testing.T) {
	dm, err := camille.DirectChannelWith(context.Background(), alex.Id)
	if err != nil {
		t.Fatal(err)
	}
	before := count(t, `SELECT COUNT(*) FROM decision`)
	// As the apps do, the command carries the team the member is in.
	resp, _, err := camille.Client.ExecuteCommandWithTeam(context.Background(), dm.Id, mm.Team.Id, `/decision "En privé" --fermeture 1j`)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Text, "ouvrez plutôt la décision dans un canal") {
		t.Errorf("a decision in a DM answers %q", resp.Text)
	}
	if after := count(t, `SELECT COUNT(*) FROM decision`); after != before {
		t.Error("a refused decision was stored")
	}
}
