//go:build e2e

package e2e

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"balise/e2e/mmtest"
)

// On a Mattermost that refuses to call loopback addresses (the most common
// mistake when Balise runs beside it), setup stops before creating
// anything and says which setting to change, where, in the admin's
// language (French here).
func TestSetupStopsWhenASettingIsOff(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "balise-e2e-off-")
	if err != nil {
		t.Fatal(err)
	}
	off, err := mmtest.Start(ctx, dir, t.Logf, mmtest.Without("SERVICESETTINGS_ALLOWEDUNTRUSTEDINTERNALCONNECTIONS"))
	if err != nil {
		t.Fatal(err)
	}
	defer off.Stop()
	defer func() {
		if !t.Failed() {
			os.RemoveAll(dir)
		}
	}()
	b, err := off.NewBalise(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := b.Setup(ctx)
	if err == nil {
		t.Fatalf("setup succeeded with untrusted internal connections off:\n%s", out)
	}
	for _, want := range []string{"Installation arrêtée avant de rien créer",
		"System Console > Environment > Developer > Allow untrusted internal connections to",
		"ServiceSettings.AllowedUntrustedInternalConnections", "127.0.0.1"} {
		if !strings.Contains(out, want) {
			t.Errorf("setup said %q, want it to name %q", out, want)
		}
	}
	for _, other := range []string{"EnableBotAccountCreation", "EnableCommands", "EnableUserAccessTokens", "SiteURL"} {
		if strings.Contains(out, other) {
			t.Errorf("setup said %q, want only the setting that is off named, not %s", out, other)
		}
	}
	if _, resp, err := off.Admin.Client.GetUserByUsername(ctx, "balise", ""); err == nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("after the refused setup, @balise: status %v, want 404 (nothing created)", resp)
	}
	if cmds, _, err := off.Admin.Client.ListCommands(ctx, off.Team.Id, true); err != nil || len(cmds) != 0 {
		t.Errorf("after the refused setup, the team's custom commands: %d (%v), want none", len(cmds), err)
	}
	if _, err := os.Stat(filepath.Join(b.DB)); err == nil {
		t.Error("the refused setup created Balise's database")
	}
}

// With every setting on, setup then check say all good: check's command
// goes through the real Mattermost to Balise and back.
func TestCheckSaysAllGoodAfterSetup(t *testing.T) {
	ctx := context.Background()
	if out, err := balise.Setup(ctx); err != nil || !strings.Contains(out, "Les réglages de Mattermost conviennent à Balise.") {
		t.Fatalf("setup: %v\n%s\nwant the settings found right", err, out)
	}
	time.Sleep(1500 * time.Millisecond) // serve ran its first jobs long ago; let a tick record them again after setup
	out, err := balise.Check(ctx)
	if err != nil || !strings.Contains(out, "Tout va bien : Balise est prête.") || strings.Contains(out, "✗") {
		t.Fatalf("check: %v\n%s\nwant all good", err, out)
	}
	for _, want := range []string{"Dans l'équipe asso, /balise help est passé par Mattermost jusqu'à Balise", "Le planificateur tourne"} {
		if !strings.Contains(out, want) {
			t.Errorf("check said %q, want %q", out, want)
		}
	}
}

// metric returns the value of a line of serve's /metrics, 0 when absent.
func metric(t *testing.T, line string) float64 {
	t.Helper()
	resp, err := http.Get(balise.MetricsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, l := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(l, line+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0
}

// /metrics shows the counters moving after a command and a click made
// through Mattermost.
func TestMetricsMoveAfterACommandAndAClick(t *testing.T) {
	ctx := context.Background()
	commands, clicks := `balise_requests_total{kind="command",outcome="ok"}`, `balise_requests_total{kind="click",outcome="ok"}`
	byAction := `balise_clicks_total{action="lang"}`
	c0, k0, a0 := metric(t, commands), metric(t, clicks), metric(t, byAction)
	mustRun(t, alex, mm.Channel.Id, "/balise lang")
	dm, err := alex.DirectChannelWith(ctx, botID(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := alex.WaitPost(ctx, dm.Id, 10*time.Second, func(p *model.Post) bool { return mmtest.ActionID(p, "English") != "" })
	if err != nil {
		t.Fatal(err)
	}
	if err := alex.Click(ctx, p.Id, mmtest.ActionID(p, "English")); err != nil {
		t.Fatal(err)
	}
	if c := metric(t, commands); c < c0+1 {
		t.Errorf("%s went from %v to %v, want one more", commands, c0, c)
	}
	if k, a := metric(t, clicks), metric(t, byAction); k < k0+1 || a < a0+1 {
		t.Errorf("clicks went from %v to %v, by action from %v to %v, want one more", k0, k, a0, a)
	}
	if n := metric(t, `balise_request_duration_seconds_count{kind="click"}`); n < 1 {
		t.Errorf("click latency count %v, want some", n)
	}
	if n := metric(t, `balise_catalogue_entries`); n < 100 {
		t.Errorf("catalogue entries %v, want the shipped catalogue", n)
	}
}
