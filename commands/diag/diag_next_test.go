package diag

import (
	"context"
	"strings"
	"testing"
	"time"

	"balise/bot"
)

// A plan's "Start the next diagnostic" opens a campaign in the plan's
// channel, named by the button, as /diag start would there: for members of
// that channel only, one open campaign per team.
func TestStartFromAPlan(t *testing.T) {
	r := newRig(t)
	r.Chat.Members["migration"] = []string{"camille", "alex"}
	button := r.Kit.Button("diagstart", "Start the next diagnostic", "primary", "diagstart",
		map[string]string{"team": "team", "ch": "migration"}).Context

	if code, got := r.ClickContext("sam", "card", button); code != 200 || !strings.Contains(got, "Seuls les membres de ce canal") {
		t.Errorf("sam, not in the plan's channel, clicks: %d %q, want refused", code, got)
	}
	if _, err := r.db.Campaign(context.Background(), "team", 0); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("a refused click opened a campaign: %v", err)
	}

	if code, got := r.ClickContext("camille", "card", button); code != 200 || !strings.Contains(got, "ouvert") {
		t.Fatalf("camille clicks: %d %q, want the campaign open", code, got)
	}
	r.Settle()
	c := r.campaign()
	if c.ChannelID != "migration" || c.OpenerID != "camille" || strings.Join(c.Invited, ",") != "alex,camille" {
		t.Errorf("campaign %+v, want it in the plan's channel, opened by camille, inviting its members", c)
	}
	if got := c.ClosesAt.Sub(c.CreatedAt); got != bot.DefaultCampaignSpan {
		t.Errorf("campaign spans %v, want /diag start's default %v", got, bot.DefaultCampaignSpan)
	}
	if len(r.Chat.DMs("alex")) != 1 || len(r.Chat.DMs("sam")) != 0 {
		t.Errorf("invitations: alex %d, sam %d; want alex invited, not sam", len(r.Chat.DMs("alex")), len(r.Chat.DMs("sam")))
	}

	if _, got := r.ClickContext("alex", "card", button); !strings.Contains(got, "already open") {
		t.Errorf("a second click answers %q, want one campaign at a time", got)
	}
}

// The report shows each plan's latest adoption estimate beside the
// dimension its tool serves; a plan nobody checked in is left out.
func TestReportShowsAdoption(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	paris, _ := time.LoadLocation("Europe/Paris")
	start := bot.DayOf(r.clock(), paris).AddDays(-28)
	newPlan := func(title string) *bot.Plan {
		p := &bot.Plan{TeamID: "team", ChannelID: "board", CreatorID: "camille", Lang: bot.French, Location: paris,
			Title: title, ToolID: "nextcloud", Referents: []string{"camille"}, Start: start, Target: 20, CreatedAt: r.clock()}
		p.Lay(bot.StandardTemplate, func(k bot.StepKind) string { return string(k) })
		if err := r.db.CreatePlan(ctx, p, nil); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, _ := newPlan("Passer à Nextcloud"), newPlan("Nobody checked in")
	for i, used := range []int{4, 9} {
		if err := r.db.RecordCheckIn(ctx, bot.CheckIn{PlanID: p.ID, TeamID: "team", Week: start.AddDays(7 * (i + 1)),
			Estimate: bot.EstimateCount, Used: used, By: "camille", At: r.clock()}); err != nil {
			t.Fatal(err)
		}
	}
	r.start(`"Diagnostic 2027" --fermeture 7j`)
	fillTeam(r)
	before := len(r.Chat.Posts())
	r.Run("camille", "diag", "rapport")
	report := r.text(newPosts(r, before)[0])
	from, to := strings.Index(report, "Adoption des outils choisis"), strings.Index(report, "La carte des outils")
	if from < 0 || to < from {
		t.Fatalf("report:\n%s\nwant a section on the adoption of the tools chosen before the map", report)
	}
	section := report[from:to]
	t.Log(section)
	want := "Plan #1 Passer à Nextcloud — Nextcloud : 45 % des 20 personnes à toucher, semaine du " + start.AddDays(14).String()
	if !strings.Contains(section, want) {
		t.Errorf("adoption section:\n%s\nwant %q", section, want)
	}
	if !strings.Contains(section, "à côté de ") {
		t.Errorf("adoption section:\n%s\nwant the dimension of the tool's category beside it", section)
	}
	if strings.Contains(section, "Nobody checked in") {
		t.Errorf("adoption section names a plan without check-ins:\n%s", section)
	}
}
