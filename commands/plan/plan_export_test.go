package plan_test

import (
	"strings"
	"testing"

	"balise/bot"
	"balise/commands/commandstest"
)

// lastUpload returns the newest post with files.
func lastUpload(t *testing.T, f *fixture) (bot.Message, []bot.File) {
	t.Helper()
	posts := f.rig.Chat.Posts()
	for i := len(posts) - 1; i >= 0; i-- {
		if files := f.rig.Chat.Files(posts[i]); len(files) > 0 {
			return f.rig.Chat.PostOf(posts[i]), files
		}
	}
	t.Fatal("nothing uploaded")
	return bot.Message{}, nil
}

// /plan exporter #1 sends the plan as Markdown and its steps as CSV in a
// direct message: a byte-order mark, ";" for a French reader, "," for an
// English one, and a step title read as a formula made safe.
func TestExportPlan(t *testing.T) {
	f := MustPlans(t, commandstest.Now())
	f.newPlan()
	f.rig.Run("camille", "plan", `etape #1 ajouter "=1+1 charte" --echeance 1/2`)
	got := f.rig.Run("camille", "plan", "exporter #1")
	if !strings.Contains(got, "messages privés") {
		t.Fatalf("export = %q", got)
	}
	msg, files := lastUpload(t, f)
	if msg.ChannelID != "dm-camille" || len(files) != 2 || files[0].Name != "plan-1.md" || files[1].Name != "plan-1-steps.csv" {
		t.Fatalf("upload to %q of %+v, want plan-1.md and plan-1-steps.csv in camille's direct channel", msg.ChannelID, files)
	}
	md := string(files[0].Data)
	for _, want := range []string{"# #1 Passer à Nextcloud", "- [x] 2.", "- [ ] 1.", "Début : mar. 1 déc.", "Personnes à atteindre : 10"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	csv := string(files[1].Data)
	if !strings.HasPrefix(csv, "\ufeffétape;titre;responsable") || !strings.Contains(csv, "\r\n1;") || !strings.Contains(csv, ";'=1+1 charte;") ||
		!strings.Contains(csv, ";2026-12-15;") {
		t.Errorf("French CSV = %q", csv)
	}
	f.rig.Run("alex", "plan", "export #1")
	_, files = lastUpload(t, f)
	if csv := string(files[1].Data); !strings.HasPrefix(csv, "\ufeffstep,title,owner") {
		t.Errorf("English CSV = %q, want commas", csv)
	}
	if got := f.rig.Run("dominique", "plan", "export #1"); strings.Contains(got, "messages privés") {
		t.Errorf("a stranger exported the plan: %q", got)
	}
}
