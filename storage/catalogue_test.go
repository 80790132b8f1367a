package storage_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"balise/bot"
	"balise/storage"
)

// MustOpenCatalogue opens a new database with the shipped catalogue loaded.
func MustOpenCatalogue(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(context.Background(), filepath.Join(tb.TempDir(), "balise.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, _, err := db.LoadCatalogue(context.Background()); err != nil {
		tb.Fatal(err)
	}
	return db
}

// The shipped catalogue is valid, covers the needs of the issue and names
// the tools of the seeds.
func TestShippedCatalogueIsValid(t *testing.T) {
	tools, err := storage.ShippedTools()
	if err != nil {
		t.Fatal(err)
	}
	free, ids, categories := 0, map[string]bool{}, map[string]int{}
	for _, tool := range tools {
		if field, err := tool.Validate(); err != nil {
			t.Errorf("%s: field %s: %v", tool.ID, field, err)
		}
		if ids[tool.ID] {
			t.Errorf("%s appears twice", tool.ID)
		}
		ids[tool.ID] = true
		if tool.Free {
			free++
			for _, c := range tool.Categories {
				categories[c]++
			}
		}
	}
	if len(tools) < 120 {
		t.Errorf("got %d tools, want at least 120", len(tools))
	}
	for _, c := range bot.ToolCategories {
		if categories[c] == 0 {
			t.Errorf("category %s has no free tool", c)
		}
	}
	for _, id := range []string{"nextcloud", "paheko", "bigbluebutton", "mattermost", "loomio", "etherpad", "wekan",
		"umap", "openstreetmap", "wordpress", "agora-project", "gimp", "inkscape", "scribus", "libreoffice",
		"firefox", "vlc", "dolibarr", "odoo", "framadate", "mediawiki"} {
		if !ids[id] {
			t.Errorf("the catalogue lacks %s", id)
		}
	}
	t.Logf("%d tools, %d free", len(tools), free)
}

func TestLoadCatalogueKeepsLocalEdits(t *testing.T) {
	ctx := context.Background()
	db := MustOpenCatalogue(t)
	v1, err := db.CatalogueVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if added, updated, err := db.LoadCatalogue(ctx); err != nil || added+updated != 0 {
		t.Fatalf("second load: added %d, updated %d, %v; want nothing changed", added, updated, err)
	}
	if v2, _ := db.CatalogueVersion(ctx); v2 != v1 {
		t.Errorf("version moved from %d to %d with nothing changed", v1, v2)
	}
	edited, err := db.Tool(ctx, "", "framadate")
	if err != nil {
		t.Fatal(err)
	}
	edited.Description.FR = "Notre instance : framadate.asso.example"
	if err := db.EditTool(ctx, "", edited); err != nil {
		t.Fatal(err)
	}
	if v3, _ := db.CatalogueVersion(ctx); v3 == v1 {
		t.Error("an edit did not change the version")
	}
	// An older Balise shipped other facts: the upgrade updates entries
	// still as shipped, and keeps the local edit.
	storage.MustForgetShipped(t, db, "nextcloud", "framadate")
	added, updated, err := db.LoadCatalogue(ctx)
	if err != nil || added != 0 || updated != 1 {
		t.Fatalf("upgrade: added %d, updated %d, %v; want 0 added, 1 updated", added, updated, err)
	}
	if got, _ := db.Tool(ctx, "", "framadate"); got.Description.FR != edited.Description.FR {
		t.Errorf("after an upgrade framadate reads %q, want the local edit", got.Description.FR)
	}
	if got, _ := db.Tool(ctx, "", "nextcloud"); got.Description.FR == "old" {
		t.Error("nextcloud was not updated by the upgrade")
	}
}

func TestAddAndImportTools(t *testing.T) {
	ctx := context.Background()
	db := MustOpenCatalogue(t)
	tool, err := db.Tool(ctx, "", "framadate")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddTool(ctx, "", tool); bot.ErrorCode(err) != bot.ECONFLICT {
		t.Errorf("adding an existing id: got %v, want ECONFLICT", err)
	}
	if _, err := db.Tool(ctx, "", "nothing-here"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("unknown tool: got %v, want ENOTFOUND", err)
	}
	missing := *tool
	missing.ID = "nothing-here"
	if err := db.EditTool(ctx, "", &missing); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("editing an unknown tool: got %v, want ENOTFOUND", err)
	}
	a, b := *tool, *tool
	a.ID, a.Name = "date-a", "Date A"
	b.ID, b.Name = "date-b", "Date B"
	if err := db.ImportTools(ctx, []*bot.Tool{&a, &b}); err != nil {
		t.Fatal(err)
	}
	tools, _, err := db.Tools(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, x := range tools {
		if x.ID == "date-a" || x.ID == "date-b" {
			found++
		}
	}
	if found != 2 {
		t.Errorf("got %d imported tools, want 2", found)
	}
}

func TestFeedbackCountsTeams(t *testing.T) {
	ctx := context.Background()
	db := MustOpenCatalogue(t)
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { now = now.Add(time.Minute); return now }
	for _, f := range []bot.Feedback{
		{ToolID: "framadate", TeamID: "t1", UserID: "u1", Text: "first"},
		{ToolID: "framadate", TeamID: "t1", UserID: "u2", Text: "second"},
		{ToolID: "framadate", TeamID: "t2", UserID: "u3", Text: "other team"},
		{ToolID: "nextcloud", TeamID: "t2", UserID: "u3", Text: "files"},
	} {
		if err := db.AddFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.AddFeedback(ctx, bot.Feedback{ToolID: "nope", TeamID: "t1", Text: "x"}); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("feedback on an unknown tool: got %v, want ENOTFOUND", err)
	}
	u, err := db.Usage(ctx, "framadate", "t1", 5)
	if err != nil {
		t.Fatal(err)
	}
	if u.Teams != 2 || len(u.Feedback) != 2 || u.Feedback[0].Text != "second" {
		t.Errorf("got %d teams and %+v, want 2 teams and t1's two texts, newest first", u.Teams, u.Feedback)
	}
	teams, err := db.TeamsUsing(ctx, []string{"framadate", "nextcloud", "gimp"})
	if err != nil {
		t.Fatal(err)
	}
	if teams["framadate"] != 2 || teams["nextcloud"] != 1 || teams["gimp"] != 0 {
		t.Errorf("got %v, want framadate 2, nextcloud 1, gimp 0", teams)
	}
}

// Importing an entry identical to the shipped one (an export, re-imported)
// must not mark it as a local edit, or upgrades would skip it for ever.
func TestReimportingAShippedEntryKeepsItShipped(t *testing.T) {
	db, path := MustOpen(t)
	ctx := context.Background()
	if _, _, err := db.LoadCatalogue(ctx); err != nil {
		t.Fatal(err)
	}
	tool, err := db.Tool(ctx, "", "nextcloud")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportTools(ctx, []*bot.Tool{tool}); err != nil {
		t.Fatal(err)
	}
	raw, _ := sql.Open("sqlite", path)
	defer raw.Close()
	var local bool
	if err := raw.QueryRow(`SELECT edited_locally FROM tool WHERE id = 'nextcloud'`).Scan(&local); err != nil || local {
		t.Errorf("edited_locally = %v (%v), want false for an identical import", local, err)
	}
}

// A team's admins change what their team sees, never what others see.
func TestTeamEditsStayWithTheTeam(t *testing.T) {
	ctx := context.Background()
	db := MustOpenCatalogue(t)
	shared, err := db.Tool(ctx, "", "framadate")
	if err != nil {
		t.Fatal(err)
	}
	edited := *shared
	edited.Website = "https://sondages.asso-a.example"
	if err := db.EditTool(ctx, "A", &edited); err != nil {
		t.Fatal(err)
	}
	added := *shared
	added.ID, added.Name = "sondages-a", "Sondages A"
	if err := db.AddTool(ctx, "A", &added); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Tool(ctx, "A", "framadate"); got.Website != edited.Website {
		t.Errorf("team A reads %s, want its edit", got.Website)
	}
	if got, _ := db.Tool(ctx, "B", "framadate"); got.Website != shared.Website {
		t.Errorf("team B reads %s, want the shared entry", got.Website)
	}
	if _, err := db.Tool(ctx, "B", "sondages-a"); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("team B sees team A's tool: %v", err)
	}
	if err := db.EditTool(ctx, "B", &added); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Errorf("team B edits team A's tool: got %v, want not found", err)
	}
	toolsA, _, _ := db.Tools(ctx, "A")
	toolsB, _, _ := db.Tools(ctx, "B")
	if len(toolsA) != len(toolsB)+1 {
		t.Errorf("team A sees %d entries, team B %d; want one more for A", len(toolsA), len(toolsB))
	}
	count := 0
	for _, x := range toolsA {
		if x.ID == "framadate" {
			count++
			if x.Website != edited.Website {
				t.Errorf("team A's list holds the shared framadate")
			}
		}
	}
	if count != 1 {
		t.Errorf("team A's list holds framadate %d times, want once", count)
	}
}

// A team's edit changes the catalogue's version but not the shared one,
// and the team reads it among its own entries; an import changes both.
func TestTeamEditsLeaveTheSharedVersion(t *testing.T) {
	ctx := context.Background()
	db := MustOpenCatalogue(t)
	shared, err := db.SharedVersion(ctx)
	if err != nil || shared == 0 {
		t.Fatalf("after loading: got shared version %d, %v; want one", shared, err)
	}
	edited, err := db.Tool(ctx, "", "framadate")
	if err != nil {
		t.Fatal(err)
	}
	edited.Description.FR = "Notre instance"
	if err := db.EditTool(ctx, "team1", edited); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.SharedVersion(ctx); v != shared {
		t.Errorf("a team's edit moved the shared version from %d to %d", shared, v)
	}
	own, err := db.TeamTools(ctx, "team1")
	if err != nil || len(own) != 1 || own[0].Description.FR != "Notre instance" {
		t.Errorf("team1's own entries: got %v, %v; want its edit of framadate", own, err)
	}
	if own, _ := db.TeamTools(ctx, "team2"); len(own) != 0 {
		t.Errorf("team2's own entries: got %d, want none", len(own))
	}
	if err := db.ImportTools(ctx, []*bot.Tool{edited}); err != nil {
		t.Fatal(err)
	}
	if v, _ := db.SharedVersion(ctx); v == shared {
		t.Error("an import did not move the shared version")
	}
}
