//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

// respondent answers the diagnostic in their direct channel with the bot,
// through its buttons, as a person would.
type respondent struct {
	t    *testing.T
	u    *mmtest.User
	dm   string
	role string // the role button's label
	fr   bool
}

func newRespondent(t *testing.T, u *mmtest.User, role string, fr bool) *respondent {
	t.Helper()
	dm, err := u.DirectChannelWith(context.Background(), botID(t))
	if err != nil {
		t.Fatal(err)
	}
	return &respondent{t: t, u: u, dm: dm.Id, role: role, fr: fr}
}

func (r *respondent) label(fr, en string) string {
	if r.fr {
		return fr
	}
	return en
}

// newest waits for the bot's newest post with buttons in the direct
// channel, when it is not before.
func (r *respondent) newest(before string) *model.Post {
	r.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		posts, err := r.u.Posts(context.Background(), r.dm)
		if err != nil {
			r.t.Fatal(err)
		}
		for _, p := range posts { // newest first
			if len(p.Attachments()) > 0 && len(p.Attachments()[0].Actions) > 0 {
				if p.Id != before {
					return p
				}
				break
			}
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("no new question for %s after %s", r.u.Username, before)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// answer answers steps questions (or all, with steps < 0): the role, then
// pick's label for a question (don't know when it returns ""), and don't
// know for targets. It returns the first question's post.
func (r *respondent) answer(steps int, pick func(n int, p *model.Post) string) *model.Post {
	r.t.Helper()
	var first *model.Post
	last := ""
	dontKnow := r.label("Je ne sais pas", "I don't know")
	for n := 0; steps < 0 || n < steps; n++ {
		p := r.newest(last)
		switch {
		case mmtest.ActionID(p, r.label("J'ai fini", "I'm done")) != "":
			return first
		case mmtest.ActionID(p, r.role) != "" && mmtest.ActionID(p, dontKnow) == "":
			click(r.t, r.u, p, r.role)
		case mmtest.ActionID(p, r.label("Débuter", "Getting started")) != "":
			click(r.t, r.u, p, dontKnow)
		default:
			if first == nil {
				first = p
			}
			label := pick(n, p)
			if label == "" {
				label = dontKnow
			}
			click(r.t, r.u, p, label)
		}
		last = p.Id
	}
	return first
}

// button returns the label of the i-th button of a post.
func button(p *model.Post, i int) string { return p.Attachments()[0].Actions[i].Name }

// Five members answer a campaign (three volunteers, two board members;
// French and English): one stops half-way and resumes after a restart of
// Balise, one changes an answer; the campaign closes, the report is posted
// with its chart; a second campaign is compared with the first; the export
// reaches the opener.
func TestDiagnosticCampaign(t *testing.T) {
	ctx := context.Background()
	lea, noor, basile := user(t, "lena", "fr"), user(t, "noor", "en"), user(t, "basile", "fr")
	ch := channel(t, "diagnostic", camille, alex, lea, noor, basile)

	for _, line := range strings.Split(mustRun(t, camille, ch.Id, "/balise help"), "\n") {
		if strings.Contains(line, "/diag") && (!strings.Contains(line, "/diag demarrer") || strings.Contains(line, "bientôt")) {
			t.Errorf("help reads %q, want /diag with an example", line)
		}
	}
	got := mustRun(t, camille, ch.Id, `/diag demarrer "Diagnostic 2026" --fermeture 7j`)
	if !strings.Contains(got, "Diagnostic V1 ouvert") || !strings.Contains(got, "5 personnes") {
		t.Fatalf("/diag demarrer answers %q", got)
	}
	invite := dmFromBot(t, noor, "running the team's digital diagnostic", 20*time.Second)
	if mmtest.ActionID(invite, "Start") == "" {
		t.Fatalf("invitation %q has no Start button", mmtest.PostText(invite))
	}

	// Volunteers give the weakest answer to the first three questions,
	// the board the strongest: they disagree on strategy.
	weak := func(n int, p *model.Post) string {
		if n <= 3 {
			return button(p, 0)
		}
		return ""
	}
	strong := func(n int, p *model.Post) string {
		if n <= 3 {
			opts := p.Attachments()[0].Actions
			return opts[len(opts)-3].Name // the last option, before "don't know" and "not concerned"
		}
		return ""
	}
	volunteer, board := "Volunteer", "CA ou bureau"

	// noor starts from the invitation's button, and changes an answer.
	click(t, noor, invite, "Start")
	rn := newRespondent(t, noor, volunteer, false)
	first := rn.answer(-1, weak)
	if first == nil {
		t.Fatal("noor answered no question")
	}
	answerOf := func(u *mmtest.User, number int) string {
		var option string
		db(t).QueryRow(`SELECT a.option_id FROM diag_answer a JOIN diag_campaign c ON c.id = a.campaign_id
			WHERE c.team_id = ? AND c.number = ? AND a.user_id = ? AND a.question_id = 'strategy.plan'`, mm.Team.Id, number, u.Id).Scan(&option)
		return option
	}
	before := answerOf(noor, 1)
	click(t, noor, first, button(first, 1))
	option := answerOf(noor, 1)
	if n := count(t, `SELECT COUNT(*) FROM diag_answer WHERE user_id = ?`, noor.Id); n != 33 {
		t.Errorf("noor's answers: %d, want 33 (a change replaces)", n)
	}
	if option == before || option == "" {
		t.Errorf("noor's changed answer reads %q, was %q: want the second option", option, before)
	}
	updated, _, _ := noor.Client.GetPost(ctx, first.Id, "")
	if text := mmtest.PostText(updated); !strings.Contains(text, "✓ **"+button(first, 1)) {
		t.Errorf("the changed question reads %q, want the new answer marked", text)
	}
	// a click from someone else on noor's question is refused
	alex.Click(ctx, first.Id, mmtest.ActionID(first, button(first, 0))) // Mattermost may refuse it already
	if n := count(t, `SELECT COUNT(*) FROM diag_respondent WHERE user_id = ?`, alex.Id); n != 0 {
		t.Error("alex's click on noor's question made alex a respondent")
	}

	// lea stops half-way, Balise restarts, /diag resumes where she was.
	mustRun(t, lea, ch.Id, "/diag")
	rl := newRespondent(t, lea, "Bénévole", true)
	rl.answer(11, weak) // the role and ten questions
	if err := balise.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	if got := mustRun(t, lea, ch.Id, "/diag"); !strings.Contains(got, "message privé") {
		t.Errorf("/diag after the restart answers %q", got)
	}
	if p := rl.newest(""); !strings.Contains(mmtest.PostText(p), "· 10/40") {
		t.Errorf("lea resumes at %q, want 10/40", mmtest.PostText(p))
	}
	rl.answer(-1, func(n int, p *model.Post) string { return "" })

	mustRun(t, alex, ch.Id, "/diag")
	newRespondent(t, alex, volunteer, false).answer(-1, weak)
	mustRun(t, camille, ch.Id, "/diag")
	newRespondent(t, camille, board, true).answer(-1, strong)
	mustRun(t, basile, ch.Id, "/diag")
	newRespondent(t, basile, board, true).answer(-1, strong)

	if got := mustRun(t, camille, ch.Id, "/diag etat"); !strings.Contains(got, "5 terminé") {
		t.Errorf("status reads %q, want 5 finished", got)
	}
	mustRun(t, camille, ch.Id, "/diag fermer")
	if _, err := camille.WaitPost(ctx, ch.Id, 15*time.Second, func(p *model.Post) bool { return strings.Contains(p.Message, "V1 est fermé") }); err != nil {
		t.Fatal(err)
	}
	click(t, noor, first, button(first, 2)) // after the close: refused, nothing changes
	if after := answerOf(noor, 1); after != option {
		t.Errorf("a click after the close changed %q to %q", option, after)
	}

	// The report, with its chart, in the channel.
	if got := mustRun(t, camille, ch.Id, "/diag rapport"); !strings.Contains(got, "publié") {
		t.Fatalf("/diag rapport answers %q", got)
	}
	report, err := camille.WaitPost(ctx, ch.Id, 15*time.Second, func(p *model.Post) bool {
		return strings.Contains(p.Message, "Diagnostic numérique V1") && p.RootId == ""
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(report.FileIds) != 1 {
		t.Fatalf("report has %d files, want the chart", len(report.FileIds))
	}
	data, _, err := camille.Client.GetFile(ctx, report.FileIds[0])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Errorf("the chart is not a valid PNG: %v", err)
	}
	if !strings.Contains(report.Message, "les bénévoles à") || !strings.Contains(report.Message, "les autres à") || strings.Contains(report.Message, "le CA l'évalue") {
		t.Errorf("report reads %q, want the volunteers apart and the board merged into others", report.Message)
	}
	for _, name := range []string{"lena", "noor", "basile", "alex"} {
		if strings.Contains(report.Message, "@"+name) {
			t.Errorf("the report names %s", name)
		}
	}
	thread := threadWith(t, camille, report.Id, "Pourquoi", 10*time.Second)
	if len(thread) == 0 {
		t.Error("no priority in the report's thread")
	} else if mmtest.ActionID(thread[0], "Proposer") == "" || mmtest.ActionID(thread[0], "Démarrer un plan") == "" {
		t.Errorf("priority %q has no Propose button", mmtest.PostText(thread[0]))
	}

	// A second campaign, compared with the first.
	got = mustRun(t, camille, ch.Id, `/diag demarrer "Bilan" --repondants @alex @camille`)
	if !strings.Contains(got, "V2") {
		t.Fatalf("second campaign: %q", got)
	}
	dmFromBot(t, alex, "digital diagnostic (V2)", 20*time.Second) // the invitation comes first
	mustRun(t, alex, ch.Id, "/diag")
	newRespondent(t, alex, volunteer, false).answer(-1, strong)
	mustRun(t, camille, ch.Id, "/diag fermer")
	if got := mustRun(t, camille, ch.Id, "/diag comparer"); !strings.Contains(got, "publié") {
		t.Fatalf("/diag comparer answers %q", got)
	}
	cmp, err := camille.WaitPost(ctx, ch.Id, 15*time.Second, func(p *model.Post) bool { return strings.Contains(p.Message, "Du diagnostic V1 au V2") })
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.FileIds) != 1 || !strings.Contains(cmp.Message, "Stratégie et gouvernance") {
		t.Errorf("comparison %q with %d files, want the dimensions and a chart", cmp.Message, len(cmp.FileIds))
	}

	// The export of V1 reaches camille as two files, roles not names.
	if got := mustRun(t, camille, ch.Id, "/diag exporter V1"); !strings.Contains(got, "message privé") {
		t.Errorf("export answers %q", got)
	}
	export := dmFromBot(t, camille, "Export du diagnostic V1", 15*time.Second)
	if len(export.FileIds) != 2 {
		t.Fatalf("export has %d files, want Markdown and CSV", len(export.FileIds))
	}
	for _, id := range export.FileIds {
		info, _, _ := camille.Client.GetFileInfo(ctx, id)
		data, _, err := camille.Client.GetFile(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if strings.HasSuffix(info.Name, ".csv") && (!strings.HasPrefix(text, "\ufeffrôle;") || !strings.Contains(text, "\r\nBénévole;") || strings.Contains(text, "CA ou bureau")) {
			t.Errorf("CSV starts %q, want French, volunteers apart, the board merged", text[:min(200, len(text))])
		}
		for _, u := range []*mmtest.User{lea, noor, basile, alex, camille} {
			if strings.Contains(text, u.Id) || strings.Contains(text, "@"+u.Username) {
				t.Errorf("%s names %s", info.Name, u.Username)
			}
		}
	}
}
