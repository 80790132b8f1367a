package bot_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"

	"balise/bot"
)

// catalogue is a fake bot.Catalogue holding shared entries and each
// team's own, for the finder's tests.
type catalogue struct {
	bot.Catalogue // not called by the finder
	vocabulary    bot.ToolVocabulary
	shared        []*bot.Tool
	own           map[string][]*bot.Tool
	version       int64
	sharedVersion int64
	sharedReads   int
}

var _ bot.Catalogue = (*catalogue)(nil)

func (c *catalogue) CatalogueVersion(context.Context) (int64, error) { return c.version, nil }
func (c *catalogue) SharedVersion(context.Context) (int64, error)    { return c.sharedVersion, nil }
func (c *catalogue) Vocabulary(context.Context) (bot.ToolVocabulary, error) {
	return c.vocabulary, nil
}
func (c *catalogue) Tools(_ context.Context, teamID string) ([]*bot.Tool, int64, error) {
	if teamID != "" {
		panic("the finder reads the shared entries only")
	}
	c.sharedReads++
	return c.shared, c.version, nil
}
func (c *catalogue) TeamTools(_ context.Context, teamID string) ([]*bot.Tool, error) {
	return c.own[teamID], nil
}

// teamEdits gives each of n teams an edit of a shared entry and an entry
// of its own.
func teamEdits(tb testing.TB, shared []*bot.Tool, n int) map[string][]*bot.Tool {
	own := map[string][]*bot.Tool{}
	for i := range n {
		edit := *shared[slices.IndexFunc(shared, func(t *bot.Tool) bool { return t.ID == "framadate" })]
		edit.Needs.FR = append(slices.Clone(edit.Needs.FR), fmt.Sprintf("planifier la chorale %d", i))
		added := *shared[slices.IndexFunc(shared, func(t *bot.Tool) bool { return t.ID == "etherpad" })]
		added.ID, added.Name = fmt.Sprintf("pad-maison-%d", i), fmt.Sprintf("Pad maison %d", i)
		added.Needs.FR = []string{"cahier de bord du jardin partagé"}
		own[fmt.Sprintf("team%d", i)] = []*bot.Tool{&edit, &added}
	}
	return own
}

// A team's edits are its own: it sees its entries in place of the shared
// ones, other teams do not, and an edit does not rebuild the shared index.
func TestToolFinderOverlaysTeamsOnOneSharedIndex(t *testing.T) {
	ctx := context.Background()
	shared := MustReadTools(t)
	c := &catalogue{vocabulary: MustReadVocabulary(t), shared: shared, own: teamEdits(t, shared, 2), version: 1, sharedVersion: 1}
	f := bot.NewToolFinder(c)
	a, err := f.Index(ctx, "team0")
	if err != nil {
		t.Fatal(err)
	}
	got := a.Search("cahier de bord du jardin partagé", bot.French, 3)
	if len(got) == 0 || got[0].Tool.ID != "pad-maison-0" {
		t.Errorf("team0 searching its own entry: got %v, want pad-maison-0 first", got)
	}
	if tool := a.Find("framadate"); tool == nil || !slices.Contains(tool.Needs.FR, "planifier la chorale 0") {
		t.Errorf("team0 finds framadate: got %v, want its own edit", tool)
	}
	for _, m := range a.Search("trouver une date de réunion", bot.French, 8) {
		if m.Tool.ID == "framadate" && !slices.Contains(m.Tool.Needs.FR, "planifier la chorale 0") {
			t.Errorf("team0 got the shared framadate, want its own edit in its place")
		}
	}
	other, err := f.Index(ctx, "elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	if tool := other.Find("pad-maison-0"); tool != nil {
		t.Errorf("another team finds team0's entry: got %v, want none", tool.ID)
	}
	c.version++ // a team's edit
	c.own["team1"] = c.own["team1"][:1]
	if _, err := f.Index(ctx, "team1"); err != nil {
		t.Fatal(err)
	}
	if c.sharedReads != 1 {
		t.Errorf("a team's edit: the shared entries were read %d times, want once", c.sharedReads)
	}
	c.version++ // an import
	c.sharedVersion++
	if _, err := f.Index(ctx, "team1"); err != nil {
		t.Fatal(err)
	}
	if c.sharedReads != 2 {
		t.Errorf("an import: the shared entries were read %d times, want twice", c.sharedReads)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkToolFinderTeams builds the indexes of 100 teams, each with an
// edit and an entry of its own, over a shared catalogue of 10,000
// entries, and reports the memory of the shared index and what each team
// adds.
func BenchmarkToolFinderTeams(b *testing.B) {
	const teams = 100
	ctx := context.Background()
	shared := growCatalogue(MustReadTools(b), 10000)
	own := teamEdits(b, shared, teams)
	var sharedBytes, perTeam float64
	for range b.N {
		c := &catalogue{vocabulary: MustReadVocabulary(b), shared: shared, own: own, version: 1, sharedVersion: 1}
		f := bot.NewToolFinder(c)
		before := heapInUse()
		if _, err := f.Index(ctx, "nobody"); err != nil {
			b.Fatal(err)
		}
		withShared := heapInUse()
		for i := range teams {
			if _, err := f.Index(ctx, fmt.Sprintf("team%d", i)); err != nil {
				b.Fatal(err)
			}
		}
		withTeams := heapInUse()
		sharedBytes = float64(withShared - before)
		perTeam = (float64(withTeams) - float64(withShared)) / teams
		runtime.KeepAlive(f)
	}
	b.ReportMetric(sharedBytes/(1<<20), "shared-MiB")
	b.ReportMetric(perTeam/(1<<10), "KiB/team")
}

// What a team's edits cost in memory does not depend on the size of the
// shared catalogue: each team holds its own entries, not a copy of all.
func TestToolFinderMemoryDoesNotGrowWithTeamsTimesEntries(t *testing.T) {
	const teams = 20
	ctx := context.Background()
	shared := growCatalogue(MustReadTools(t), 3000)
	c := &catalogue{vocabulary: MustReadVocabulary(t), shared: shared, own: teamEdits(t, shared, teams), version: 1, sharedVersion: 1}
	f := bot.NewToolFinder(c)
	before := heapInUse()
	if _, err := f.Index(ctx, "nobody"); err != nil {
		t.Fatal(err)
	}
	withShared := heapInUse()
	for i := range teams {
		if _, err := f.Index(ctx, fmt.Sprintf("team%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	perTeam := (float64(heapInUse()) - float64(withShared)) / teams
	sharedBytes := float64(withShared - before)
	runtime.KeepAlive(f)
	t.Logf("shared index %.1f MiB, %.0f KiB per team", sharedBytes/(1<<20), perTeam/(1<<10))
	if perTeam > sharedBytes/20 {
		t.Errorf("each team adds %.0f KiB to a shared index of %.0f KiB, want at most a twentieth", perTeam/(1<<10), sharedBytes/(1<<10))
	}
}
