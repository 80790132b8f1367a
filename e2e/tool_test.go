//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

func TestToolAnswersFrenchAndEnglish(t *testing.T) {
	got := mustRun(t, camille, mm.Channel.Id, "/outil alternative à doodle")
	if !strings.Contains(got, "Framadate") || !strings.Contains(got, "remplace Doodle") || !strings.Contains(got, "membres\u00a0: facile") {
		t.Errorf("camille (fr) reads %q, want Framadate in French, replacing Doodle", got)
	}
	got = mustRun(t, alex, mm.Channel.Id, "/tool video meeting with people joining by phone")
	if !strings.Contains(got, "BigBlueButton") && !strings.Contains(got, "Jitsi") || !strings.Contains(got, "users:") {
		t.Errorf("alex (en) reads %q, want BigBlueButton or Jitsi in English", got)
	}
	// Nothing fits: at most a guess, said to be one.
	if got := mustRun(t, alex, mm.Channel.Id, "/tool pizza delivery"); !strings.Contains(got, "found nothing") && !strings.Contains(got, "This is a guess") {
		t.Errorf("alex reads %q, want 'nothing found' or a guess said so", got)
	}
}

func TestToolFeedbackShowsOnTheCard(t *testing.T) {
	if got := mustRun(t, camille, mm.Channel.Id, "/outil avis framadate pratique pour caler nos CA @channel"); !strings.Contains(got, "Merci") {
		t.Fatalf("feedback: camille reads %q, want thanks", got)
	}
	card := mustRun(t, alex, mm.Channel.Id, "/tool show framadate")
	if !strings.Contains(card, "pratique pour caler nos CA") || !strings.Contains(card, "camille") || !strings.Contains(card, "Used by 1 team here") {
		t.Errorf("alex reads the card %q, want camille's feedback and 1 team", card)
	}
	if strings.Contains(card, "@channel") {
		t.Errorf("the card %q mentions the whole channel", card)
	}
}

// An import with one bad line is refused with the line and field named,
// and nothing of the file is imported; a good file is, and the running
// Balise answers with it at once.
func TestCatalogueImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	header := "id,name,categories,needs_fr,needs_en,description_fr,description_en,license,free,replaces,hosting,cost_fr,cost_en,user_difficulty,admin_difficulty,mobile,website,source,checked\n"
	good := "e2e-pad,Pad du quartier,writing,prise de notes du quartier|compte rendu de quartier,neighbourhood notes,Un pad pour le quartier.,A pad for the neighbourhood.,AGPL-3.0-or-later,true,Google Docs,self-hosted,Gratuit,Free,1,2,false,https://pad.example.org,https://pad.example.org,2026-11-20\n"
	bad := strings.Replace(strings.Replace(good, "e2e-pad,Pad du quartier", "e2e-pad-two,Autre pad", 1), "AGPL-3.0-or-later", "GPL v3", 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "tools.csv")
	if err := os.WriteFile(path, []byte(header+good+bad), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := balise.Command(ctx, "catalogue", "import", path)
	if err == nil || !strings.Contains(out, "line 3, field license") || !strings.Contains(out, "nothing imported") {
		t.Errorf("import with a bad line: %v\n%s\nwant a refusal naming line 3 and the licence", err, out)
	}
	if got := mustRun(t, alex, mm.Channel.Id, "/tool show e2e-pad"); strings.Contains(got, "Pad du quartier") {
		t.Errorf("after the refused import alex reads %q, want the good line not imported", got)
	}
	if err := os.WriteFile(path, []byte(header+good), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := balise.Command(ctx, "catalogue", "import", path); err != nil {
		t.Fatalf("good import: %v\n%s", err, out)
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/outil prise de notes du quartier"); !strings.Contains(got, "Pad du quartier") {
		t.Errorf("after the import camille reads %q, want the new tool", got)
	}
	export := filepath.Join(dir, "export.json")
	if out, err := balise.Command(ctx, "catalogue", "export", export); err != nil || !strings.Contains(out, "exported") {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if data, err := os.ReadFile(export); err != nil || !strings.Contains(string(data), `"id": "e2e-pad"`) {
		t.Errorf("the export lacks the imported tool: %v", err)
	}
}

// Only administrators edit the catalogue, through a dialog that checks
// every field before anything is written.
func TestToolAddIsForAdmins(t *testing.T) {
	ctx := context.Background()
	if got := mustRun(t, camille, mm.Channel.Id, "/outil ajouter"); !strings.Contains(got, "Seuls les admins") {
		t.Errorf("camille (member) reads %q, want a refusal", got)
	}
	dialogs, err := mm.Admin.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer dialogs.Close()
	mustRun(t, mm.Admin, mm.Channel.Id, "/tool add")
	dlg, err := dialogs.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{"name": "Cartes du quartier", "categories": "maps", "needs_fr": "carte des jardins partagés",
		"needs_en": "map of shared gardens", "description_fr": "Nos cartes.", "description_en": "Our maps.", "license": "WTFPL!",
		"free": true, "replaces": "Google My Maps", "hosting": "self-hosted", "cost_fr": "Gratuit", "cost_en": "Free",
		"user_difficulty": "1", "admin_difficulty": "2", "mobile": false, "website": "https://cartes.example.org", "source": "https://cartes.example.org"}
	resp, err := mm.Admin.Submit(ctx, dlg, mm.Channel.Id, mm.Team.Id, values)
	if err != nil || resp == nil || resp.Errors["license"] == "" {
		t.Fatalf("bad licence: got %+v, %v, want an error on the licence field", resp, err)
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/outil carte des jardins partagés"); strings.Contains(got, "Cartes du quartier") {
		t.Fatalf("a refused form wrote the tool: %q", got)
	}
	values["license"] = "MIT"
	if resp, err := mm.Admin.Submit(ctx, dlg, mm.Channel.Id, mm.Team.Id, values); err != nil || resp != nil && len(resp.Errors) > 0 {
		t.Fatalf("good form: %+v, %v", resp, err)
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/outil carte des jardins partagés"); !strings.Contains(got, "Cartes du quartier") {
		t.Errorf("camille reads %q, want the tool the admin added", got)
	}
}

// A /tool answer's "Propose to the board" button opens the decision form,
// prefilled, and the board gets its decision.
func TestToolAnswerProposesToTheBoard(t *testing.T) {
	ctx := context.Background()
	board := channel(t, "ca-outils", alex, camille)
	listener, err := alex.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	mustRun(t, alex, board.Id, "/tool alternative to doodle")
	answer, err := listener.Ephemeral(10*time.Second, "Propose Framadate to the board")
	if err != nil {
		t.Fatal(err)
	}
	if err := alex.ClickEphemeral(ctx, answer, "Propose Framadate to the board"); err != nil {
		t.Fatal(err)
	}
	dlg, err := listener.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{"kind": "proposal", "closes": "3d", "anonymous": false, "hidden": false}
	for _, e := range dlg.Dialog.Elements {
		if e.Name == "title" || e.Name == "details" {
			values[e.Name] = e.Default
		}
	}
	if values["title"] != "Adopt Framadate" {
		t.Errorf("form title %q, want Adopt Framadate", values["title"])
	}
	if resp, err := alex.Submit(ctx, dlg, board.Id, mm.Team.Id, values); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("submit: %v %+v", err, resp)
	}
	if _, err := alex.WaitPost(ctx, board.Id, 15*time.Second, func(p *model.Post) bool {
		return p.RootId == "" && strings.Contains(mmtest.PostText(p), "Adopt Framadate")
	}); err != nil {
		t.Fatal(err)
	}
}

// A team admin who is not a system admin edits the team's catalogue.
func TestTeamAdminEditsTheTeamsCatalogue(t *testing.T) {
	ctx := context.Background()
	lea := user(t, "lea", "fr")
	if _, err := mm.Admin.Client.UpdateTeamMemberRoles(ctx, mm.Team.Id, lea.Id, "team_user team_admin"); err != nil {
		t.Fatal(err)
	}
	listener, err := lea.ListenDialogs()
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close()
	mustRun(t, lea, mm.Channel.Id, "/outil modifier framadate")
	dlg, err := listener.Next(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]any{}
	for _, e := range dlg.Dialog.Elements {
		switch v := e.Default; e.Type {
		case "bool":
			values[e.Name] = v == "true"
		default:
			values[e.Name] = v
		}
	}
	values["cost_fr"] = "Gratuit sur notre instance framadate.asso.example"
	if resp, err := lea.Submit(ctx, dlg, mm.Channel.Id, mm.Team.Id, values); err != nil || resp != nil && len(resp.Errors) > 0 {
		t.Fatalf("edit: %+v, %v", resp, err)
	}
	if got := mustRun(t, camille, mm.Channel.Id, "/outil fiche framadate"); !strings.Contains(got, "framadate.asso.example") {
		t.Errorf("camille reads %q, want the team's edit", got)
	}
}
