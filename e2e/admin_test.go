//go:build e2e

package e2e

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
