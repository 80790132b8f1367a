//go:build e2e

package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

// rw opens Balise's database for writing, beside Balise: the tests move
// due moments to now instead of waiting days. Balise's safety job (every
// BALISE_TICK, 1 s here) finds them.
func rw(t *testing.T) *sql.DB {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+balise.DB+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func write(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := rw(t).Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// dueNow makes the sends matching where due now, as if the days had
// passed; a new day too: yesterday's letters are forgotten.
func dueNow(t *testing.T, where string, args ...any) {
	t.Helper()
	write(t, `DELETE FROM plan_letter`)
	write(t, `UPDATE plan_send SET send_at = ? WHERE sent_at = 0 AND `+where, append([]any{time.Now().UnixMilli()}, args...)...)
}

// dms returns the bot's direct messages to u that contain text.
func dms(t *testing.T, u *mmtest.User, text string) []*model.Post {
	t.Helper()
	dm, err := u.DirectChannelWith(context.Background(), botID(t))
	if err != nil {
		t.Fatal(err)
	}
	posts, err := u.Posts(context.Background(), dm.Id)
	if err != nil {
		t.Fatal(err)
	}
	var out []*model.Post
	for _, p := range posts {
		if strings.Contains(mmtest.PostText(p), text) {
			out = append(out, p)
		}
	}
	return out
}

// A plan from creation to its first follow-up, Done, a stale click, +7
// days, a Blocked reason, a weekly look by direct message after a restart
// (nothing lost, nothing repeated), an adoption answer and the curve as a
// PNG.
func TestPlanFromCreationToAdoption(t *testing.T) {
	ctx := context.Background()
	ch := channel(t, "migration", camille, alex)
	said, err := camille.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer said.Close()

	reply := mustRun(t, camille, ch.Id, `/plan nouveau "Passer à Nextcloud" --outil nextcloud --referents @camille @alex --membres 10`)
	if !strings.Contains(reply, "Plan #1") {
		t.Fatalf("/plan nouveau = %q", reply)
	}
	planCard := card(t, camille, ch.Id, 1, "2 étape(s) sur 8")
	var planID int64
	if err := db(t).QueryRow(`SELECT id FROM plan WHERE post_id = ?`, planCard.Id).Scan(&planID); err != nil {
		t.Fatal(err)
	}

	// The first follow-up: the day before step 1 is due.
	dueNow(t, `plan_id = ? AND step = 1 AND kind = 'day_before'`, planID)
	first := dmFromBot(t, camille, "Demain", 15*time.Second)
	// Its settings button opens the form of /balise reglages.
	click(t, camille, first, "Mes réglages de rappels")
	if dlg, err := said.Next(10 * time.Second); err != nil || dlg.Dialog.CallbackId != "plansettings" {
		t.Errorf("settings button: %v %+v, want the settings form", err, dlg)
	}
	click(t, camille, first, "Fait")
	card(t, camille, ch.Id, 1, "3 étape(s) sur 8")
	// The same button again, the step done since: a clear message.
	click(t, camille, first, "Fait")
	if _, err := said.Said(10*time.Second, "dépassée"); err != nil {
		t.Error(err)
	}

	// Step 4's follow-up; +7 days moves its due date.
	var due string
	db(t).QueryRow(`SELECT due_day FROM plan_step WHERE plan_id = ? AND number = 4`, planID).Scan(&due)
	dueNow(t, `plan_id = ? AND step = 4 AND kind = 'day_before'`, planID)
	fourth := dmFromBot(t, camille, "Trouver le financement", 15*time.Second)
	click(t, camille, fourth, "+7 jours")
	if _, err := said.Said(10*time.Second, "Étape 4"); err != nil {
		t.Error(err)
	}
	var moved string
	db(t).QueryRow(`SELECT due_day FROM plan_step WHERE plan_id = ? AND number = 4`, planID).Scan(&moved)
	want, _ := time.Parse(time.DateOnly, due)
	if got, _ := time.Parse(time.DateOnly, moved); got.Sub(want) != 7*24*time.Hour {
		t.Errorf("step 4 due %s after +7 days, want 7 days after %s", moved, due)
	}

	// That follow-up is now out of date; the card's buttons are about step
	// 4. Blocked, with a reason: the plan's thread hears it.
	planCard = card(t, camille, ch.Id, 1, "étape 4")
	click(t, camille, planCard, "Bloqué")
	dlg, err := said.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := camille.Submit(ctx, dlg, ch.Id, mm.Team.Id, map[string]any{"reason": "Pas de budget avant mars"}); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("blocked reason: %v %+v", err, resp)
	}
	replies := 0
	for _, p := range threadWith(t, camille, planCard.Id, "Pas de budget avant mars", 15*time.Second) {
		if p.RootId == planCard.Id { // the card itself shows the reason too
			replies++
		}
	}
	if replies != 1 {
		t.Errorf("%d thread replies with the reason, want 1", replies)
	}

	// Balise stops; alex's weekly look falls due meanwhile; on start it
	// comes once, and nothing sent before comes again.
	if err := balise.Stop(); err != nil {
		t.Fatal(err)
	}
	dueNow(t, `plan_id = 0 AND recipient = ?`, alex.Id)
	if err := balise.Start(ctx); err != nil {
		t.Fatal(err)
	}
	look := dmFromBot(t, alex, "Your weekly look", 20*time.Second)
	outboxDrained(t, 15*time.Second)
	time.Sleep(3 * time.Second) // three safety ticks: a repeat would show
	if n := len(dms(t, alex, "Your weekly look")); n != 1 {
		t.Errorf("alex got %d weekly looks, want 1", n)
	}
	if n := len(dms(t, camille, "Diagnostic des besoins")); n != 1 {
		t.Errorf("camille got step 1's follow-up %d times, want once", n)
	}

	// The adoption answer, then the curve as an image.
	click(t, alex, look, "About half")
	deadline := time.Now().Add(10 * time.Second)
	for count(t, `SELECT COUNT(*) FROM plan_check_in WHERE plan_id = ? AND estimate = 'half'`, planID) != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the check-in was not stored")
		}
		time.Sleep(200 * time.Millisecond)
	}
	mustRun(t, alex, ch.Id, "/plan adoption #1")
	curve, err := alex.WaitPost(ctx, ch.Id, 15*time.Second, func(p *model.Post) bool {
		return p.RootId == planCard.Id && len(p.FileIds) == 1
	})
	if err != nil {
		t.Fatal(err)
	}
	info, _, err := alex.Client.GetFileInfo(ctx, curve.FileIds[0])
	if err != nil {
		t.Fatal(err)
	}
	if info.MimeType != "image/png" || !strings.Contains(curve.Message, "50%") {
		t.Errorf("curve = %s with %q, want a PNG and 50%%", info.MimeType, curve.Message)
	}
}

// A referent who owns the steps leaves the team and another is
// deactivated: on start (then daily) Balise hands the steps to the referent
// still there, and the plan's thread says so once.
func TestPlanTurnover(t *testing.T) {
	ctx := context.Background()
	sacha, lou := user(t, "sacha", "fr"), user(t, "lou", "fr")
	ch := channel(t, "relais", camille, sacha, lou)
	reply := mustRun(t, camille, ch.Id, `/plan nouveau "Relais" --referents @sacha @lou @camille --membres 5`)
	m := regexp.MustCompile(`Plan #(\d+)`).FindStringSubmatch(reply)
	if m == nil {
		t.Fatalf("/plan nouveau = %q", reply)
	}
	var n int
	fmt.Sscan(m[1], &n)
	planCard := card(t, camille, ch.Id, n, "Relais")
	var planID int64
	if err := db(t).QueryRow(`SELECT id FROM plan WHERE post_id = ?`, planCard.Id).Scan(&planID); err != nil {
		t.Fatal(err)
	}
	if _, err := mm.Admin.Client.RemoveTeamMember(ctx, mm.Team.Id, sacha.Id); err != nil {
		t.Fatal(err)
	}
	if _, err := mm.Admin.Client.UpdateUserActive(ctx, lou.Id, false); err != nil {
		t.Fatal(err)
	}
	if err := balise.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	hits := threadWith(t, camille, planCard.Id, "a quitté l'équipe", 30*time.Second)
	if len(hits) != 1 {
		t.Fatalf("%d hand-over posts in the thread, want 1", len(hits))
	}
	text := mmtest.PostText(hits[0])
	if !strings.Contains(text, "@sacha a quitté l'équipe") || !strings.Contains(text, "passent à @camille") || !strings.Contains(text, "@lou a quitté l'équipe") {
		t.Errorf("hand-over = %q, want sacha's steps to camille and lou gone", text)
	}
	if got := count(t, `SELECT COUNT(*) FROM plan_referent WHERE plan_id = ?`, planID); got != 1 {
		t.Errorf("%d referents left, want camille alone", got)
	}
	if got := count(t, `SELECT COUNT(*) FROM plan_step WHERE plan_id = ? AND done_at = 0 AND owner_id != ?`, planID, camille.Id); got != 0 {
		t.Errorf("%d open steps not camille's", got)
	}
}
