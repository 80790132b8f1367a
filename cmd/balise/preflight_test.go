package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// fakeMattermost answers GET /users/me and GET /config like Mattermost 6.7,
// records every request and answers anything else 500.
type fakeMattermost struct {
	*httptest.Server
	mu       sync.Mutex
	cfg      *model.Config
	locale   string
	requests []string
}

// goodConfig is a configuration with everything Balise needs on.
func goodConfig() *model.Config {
	cfg := &model.Config{}
	cfg.SetDefaults()
	s := &cfg.ServiceSettings
	s.EnableBotAccountCreation, s.EnableCommands, s.EnableUserAccessTokens = model.NewPointer(true), model.NewPointer(true), model.NewPointer(true)
	s.AllowedUntrustedInternalConnections = model.NewPointer("127.0.0.1 localhost")
	s.SiteURL = model.NewPointer("https://chat.example.org")
	return cfg
}

func newFakeMattermost(t *testing.T, locale string, cfg *model.Config) *fakeMattermost {
	f := &fakeMattermost{cfg: cfg, locale: locale}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.requests = append(f.requests, r.Method+" "+r.URL.Path)
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.Method + " " + r.URL.Path {
		case "GET /api/v4/users/me":
			json.NewEncoder(w).Encode(&model.User{Id: "admin1", Username: "admin", Locale: f.locale, Roles: "system_admin system_user"})
		case "GET /api/v4/config":
			json.NewEncoder(w).Encode(f.cfg)
		default:
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(&model.AppError{Id: "fake.unexpected", StatusCode: 500})
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeMattermost) seen() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requests...)
}

func noLookup(string) ([]net.IP, error) { return nil, errors.New("no lookup in tests") }

// runSetup runs balise setup against f, with Balise at publicURL, and
// returns what it printed and its error.
func runSetup(t *testing.T, f *fakeMattermost, dbPath, publicURL string, args ...string) (string, error) {
	t.Helper()
	var out strings.Builder
	s := &Setup{out: func(format string, a ...any) { out.WriteString(strings.TrimSpace(sprintf(format, a...)) + "\n") }, resolve: noLookup}
	err := s.Run(t.Context(), append([]string{"-mattermost-url", f.URL, "-admin-token", "tok", "-public-url", publicURL,
		"-teams", "asso", "-db", dbPath}, args...))
	return out.String(), err
}

// Each setting Balise needs is reported, with its console path and key,
// when it is off; nothing when everything is on.
func TestMissingSettingsAreEachReported(t *testing.T) {
	cases := []struct {
		name   string
		change func(*model.ServiceSettings)
		want   string
	}{
		{"all on", func(*model.ServiceSettings) {}, ""},
		{"bots", func(s *model.ServiceSettings) { s.EnableBotAccountCreation = model.NewPointer(false) }, "ServiceSettings.EnableBotAccountCreation"},
		{"commands", func(s *model.ServiceSettings) { s.EnableCommands = model.NewPointer(false) }, "ServiceSettings.EnableCommands"},
		{"tokens", func(s *model.ServiceSettings) { s.EnableUserAccessTokens = nil }, "ServiceSettings.EnableUserAccessTokens"},
		{"untrusted", func(s *model.ServiceSettings) { s.AllowedUntrustedInternalConnections = model.NewPointer("") }, "ServiceSettings.AllowedUntrustedInternalConnections"},
		{"site url", func(s *model.ServiceSettings) { s.SiteURL = model.NewPointer(" ") }, "ServiceSettings.SiteURL"},
	}
	for _, c := range cases {
		cfg := goodConfig()
		c.change(&cfg.ServiceSettings)
		got := missingSettings(cfg, "http://127.0.0.1:8080", noLookup)
		switch {
		case c.want == "" && len(got) != 0:
			t.Errorf("%s: got %v, want nothing missing", c.name, got)
		case c.want != "" && (len(got) != 1 || got[0].JSON != c.want || !strings.HasPrefix(got[0].Console, "System Console > ")):
			t.Errorf("%s: got %v, want %s alone, with its console path", c.name, got, c.want)
		}
	}
}

// Mattermost's rule (6.7 services/httpservice): a host named in the list is
// called; else each of its addresses must be public or within a CIDR.
func TestUntrustedConnectionsCoverBalisesHost(t *testing.T) {
	resolve := func(host string) ([]net.IP, error) {
		switch host {
		case "balise.lan":
			return []net.IP{net.ParseIP("192.168.1.20")}, nil
		case "balise.example.org":
			return []net.IP{net.ParseIP("203.0.113.7")}, nil
		}
		return nil, errors.New("unknown host")
	}
	cases := []struct {
		url, allowed string
		ok           bool
	}{
		{"http://127.0.0.1:8080", "", false},
		{"http://127.0.0.1:8080", "localhost", false},
		{"http://127.0.0.1:8080", "127.0.0.1 localhost", true},
		{"http://127.0.0.1:8080", "10.0.0.0/8,127.0.0.0/8", true},
		{"http://localhost:8080", "127.0.0.1", true}, // does not resolve here: not judged
		{"http://localhost:8080", "localhost", true},
		{"http://balise.lan", "", false},
		{"http://balise.lan", "192.168.0.0/16", true},
		{"http://balise.lan", "192.168.1.20", false}, // an address is matched as a host name only
		{"http://balise.lan", "balise.lan", true},
		{"https://balise.example.org", "", true},
		{"http://10.1.2.3", "", false},
		{"http://[::1]:8080", "::1", true},
		{"http://[::1]:8080", "", false},
		{"http://8.8.8.8", "", true},
	}
	for _, c := range cases {
		host, ok := untrustedHost(c.url, c.allowed, resolve)
		if ok != c.ok {
			t.Errorf("%s with %q allowed: got %v, want %v (host %s)", c.url, c.allowed, ok, c.ok, host)
		}
	}
}

// A missing setting stops setup before it creates anything, in Mattermost
// or on disk, and says what to change in the admin's language.
func TestSetupStopsOnMissingSettings(t *testing.T) {
	for _, c := range []struct{ locale, want string }{
		{"en", "Setup stopped before creating anything: 1 Mattermost setting must change first"},
		{"fr", "Installation arrêtée avant de rien créer : 1 réglage de Mattermost doit d'abord changer"},
	} {
		cfg := goodConfig()
		cfg.ServiceSettings.AllowedUntrustedInternalConnections = model.NewPointer("")
		f := newFakeMattermost(t, c.locale, cfg)
		dbPath := filepath.Join(t.TempDir(), "balise.db")
		out, err := runSetup(t, f, dbPath, "http://127.0.0.1:8080")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want %q", c.locale, err, c.want)
		}
		for _, want := range []string{"127.0.0.1", "System Console > Environment > Developer > Allow untrusted internal connections to",
			"ServiceSettings.AllowedUntrustedInternalConnections"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: output %q does not name %q", c.locale, out, want)
			}
		}
		if got := f.seen(); strings.Join(got, ",") != "GET /api/v4/users/me,GET /api/v4/config" {
			t.Errorf("%s: Mattermost got %v, want only the two reads", c.locale, got)
		}
		if _, err := os.Stat(dbPath); err == nil {
			t.Errorf("%s: setup created the database, want nothing created", c.locale)
		}
	}
}

// -force goes on past the missing settings; a token that cannot read the
// configuration stops setup too.
func TestSetupForceAndUnreadableConfig(t *testing.T) {
	cfg := goodConfig()
	cfg.ServiceSettings.EnableCommands = model.NewPointer(false)
	f := newFakeMattermost(t, "en", cfg)
	out, err := runSetup(t, f, filepath.Join(t.TempDir(), "balise.db"), "https://balise.example.org", "-force")
	if err == nil || strings.Contains(err.Error(), "Setup stopped") || !strings.Contains(out, "Going on anyway") {
		t.Errorf("-force: got %v, output %q; want setup to go on (and fail later on the fake)", err, out)
	}
	if got := f.seen(); len(got) < 3 || got[2] != "GET /api/v4/users/username/balise" {
		t.Errorf("-force: Mattermost got %v, want setup to look for the bot next", got)
	}

	f = newFakeMattermost(t, "en", goodConfig())
	f.cfg = nil // the handler then encodes null: make it refuse instead
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v4/config" {
			w.WriteHeader(http.StatusForbidden)
			json.NewEncoder(w).Encode(&model.AppError{Id: "api.context.permissions.app_error", StatusCode: 403})
			return
		}
		f.Config.Handler.ServeHTTP(w, r)
	}))
	defer refuse.Close()
	f.URL = refuse.URL
	if _, err := runSetup(t, f, filepath.Join(t.TempDir(), "balise.db"), "https://balise.example.org"); err == nil ||
		!strings.Contains(err.Error(), "system admin") {
		t.Errorf("config refused: got %v, want an error saying the token must be a system admin's", err)
	}
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
