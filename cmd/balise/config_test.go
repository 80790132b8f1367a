package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSettingsPrecedence(t *testing.T) {
	secretFile := filepath.Join(t.TempDir(), "token")
	os.WriteFile(secretFile, []byte("from-file\n"), 0o600)
	t.Setenv("BALISE_DB", "env.db")
	t.Setenv("BALISE_LISTEN_ADDR", "env:1")
	t.Setenv("BALISE_BOT_TOKEN_FILE", secretFile)
	var db, addr, token, level string
	settings := []setting{
		{name: "db", def: "balise.db", dst: &db},
		{name: "listen-addr", def: ":8080", dst: &addr},
		{name: "bot-token", secret: true, dst: &token},
		{name: "log-level", def: "info", dst: &level},
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if err := parse(fs, []string{"-listen-addr", "flag:2"}, settings); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string][2]string{"db": {db, "env.db"}, "listen-addr": {addr, "flag:2"}, "bot-token": {token, "from-file"}, "log-level": {level, "info"}} {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
}

func TestSecretsAreNotShownInHelp(t *testing.T) {
	t.Setenv("BALISE_BOT_TOKEN", "s3cr3t")
	var token string
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	var out strings.Builder
	fs.SetOutput(&out)
	parse(fs, []string{"-h"}, []setting{{name: "bot-token", secret: true, help: "the token", dst: &token}})
	if strings.Contains(out.String(), "s3cr3t") || !strings.Contains(out.String(), "BALISE_BOT_TOKEN_FILE") {
		t.Errorf("help = %q, want the variables named and no secret", out.String())
	}
}

func TestRequiredNamesTheSetting(t *testing.T) {
	t.Setenv("BALISE_MATTERMOST_URL", "")
	os.Unsetenv("BALISE_MATTERMOST_URL")
	err := (&Serve{}).Run(t.Context(), []string{"-public-url", "http://x"})
	if err == nil || !strings.Contains(err.Error(), "BALISE_MATTERMOST_URL") {
		t.Errorf("serve without a Mattermost URL: got %v, want an error naming BALISE_MATTERMOST_URL", err)
	}
}

func TestServeNeedsSetupFirst(t *testing.T) {
	err := (&Serve{}).Run(t.Context(), []string{"-mattermost-url", "http://127.0.0.1:9", "-public-url", "http://x",
		"-db", filepath.Join(t.TempDir(), "b.db"), "-listen-addr", "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "balise setup") {
		t.Errorf("serve on an empty database: got %v, want a pointer to balise setup", err)
	}
}

func TestDefaultTimeZoneIsValidated(t *testing.T) {
	for _, bad := range []string{"Europe/Pariss", ""} {
		err := (&Serve{}).Run(t.Context(), []string{"-mattermost-url", "http://127.0.0.1:9", "-public-url", "http://x",
			"-db", filepath.Join(t.TempDir(), "b.db"), "-default-tz", bad})
		if err == nil || !strings.Contains(err.Error(), "BALISE_DEFAULT_TZ") || !strings.Contains(err.Error(), "default-tz") {
			t.Errorf("serve -default-tz %q: got %v, want an error naming BALISE_DEFAULT_TZ and -default-tz", bad, err)
		}
	}
	t.Setenv("BALISE_DEFAULT_TZ", "America/Cayenne")
	var tz string
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if err := parse(fs, nil, []setting{{name: "default-tz", def: "Europe/Paris", dst: &tz}}); err != nil {
		t.Fatal(err)
	}
	if loc, err := location("default-tz", tz); err != nil || loc.String() != "America/Cayenne" {
		t.Errorf("BALISE_DEFAULT_TZ=America/Cayenne gives %v, %v; want America/Cayenne", loc, err)
	}
}
