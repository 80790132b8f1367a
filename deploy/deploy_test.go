// Package deploy holds the files that run Balise for real (a systemd unit,
// a Docker Compose file); its tests check them as far as a machine without
// systemd as init nor Docker allows.
package deploy

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

// buildBalise builds the binary the units point at.
func buildBalise(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "balise")
	cmd := exec.Command("go", "build", "-o", bin, "../cmd/balise")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build balise: %v\n%s", err, out)
	}
	return bin
}

// The units pass systemd-analyze verify, with their binary built: no
// unknown key, no bad value, an executable ExecStart.
func TestSystemdUnitsVerify(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the units are not verified here")
	}
	dir := t.TempDir()
	bin := buildBalise(t, dir)
	for file, unit := range map[string]string{"balise.service": "balise.service", "balise-admin@.service": "balise-admin@check.service"} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if !strings.Contains(text, "ExecStart=/usr/local/bin/balise ") {
			t.Fatalf("%s: ExecStart does not run /usr/local/bin/balise", file)
		}
		os.WriteFile(filepath.Join(dir, file), []byte(strings.ReplaceAll(text, "/usr/local/bin/balise", bin)), 0o644)
		cmd := exec.Command(analyze, "verify", "--man=no", "./"+unit)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil || len(strings.TrimSpace(string(out))) > 0 {
			t.Errorf("systemd-analyze verify %s: %v\n%s", unit, err, out)
		}
		for _, want := range []string{"DynamicUser=yes", "StateDirectory=balise", "ProtectSystem=strict", "NoNewPrivileges=yes",
			"Environment=BALISE_DB=/var/lib/balise/balise.db", "LoadCredential="} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %s", file, want)
			}
		}
	}
	admin, _ := os.ReadFile("balise-admin@.service")
	if !strings.Contains(string(admin), "Environment=BALISE_ADMIN_TOKEN_FILE=%d/admin-token") {
		t.Error("balise-admin@.service does not hand the admin token over as a credential read through BALISE_ADMIN_TOKEN_FILE")
	}
}

// The Compose file loads with compose-go (what `docker compose` uses):
// Balise on Mattermost's external network, the database on a volume,
// the admin token from a secret file.
func TestComposeFileResolves(t *testing.T) {
	opts, err := cli.NewProjectOptions([]string{"compose.yaml"}, cli.WithWorkingDirectory("."), cli.WithOsEnv)
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(t.Context())
	if err != nil {
		t.Fatalf("compose.yaml does not load: %v", err)
	}
	s, ok := p.Services["balise"]
	if !ok {
		t.Fatal("no service balise")
	}
	env := map[string]string{}
	for k, v := range s.Environment {
		if v != nil {
			env[k] = *v
		}
	}
	if env["BALISE_DB"] != "/data/balise.db" || env["BALISE_ADMIN_TOKEN_FILE"] != "/run/secrets/mm_admin_token" {
		t.Errorf("environment %v: want the database under /data and the admin token from its secret", env)
	}
	for _, k := range []string{"BALISE_MATTERMOST_URL", "BALISE_PUBLIC_URL", "BALISE_TEAMS"} {
		if env[k] == "" {
			t.Errorf("environment lacks %s", k)
		}
	}
	if len(s.Volumes) != 1 || s.Volumes[0].Type != "volume" || s.Volumes[0].Target != "/data" {
		t.Errorf("volumes %+v: want a named volume on /data", s.Volumes)
	}
	if len(s.Secrets) != 1 || p.Secrets[s.Secrets[0].Source].File == "" {
		t.Errorf("secrets %+v: want the admin token from a file", s.Secrets)
	}
	if n, ok := p.Networks["mattermost"]; !ok || !bool(n.External) {
		t.Errorf("networks %+v: want Mattermost's, external", p.Networks)
	}
	for _, port := range s.Ports {
		if port.HostIP != "127.0.0.1" {
			t.Errorf("port %+v is published beyond loopback", port)
		}
	}
}
