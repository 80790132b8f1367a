// Package mmtest runs a real Mattermost server (v6.7.2, built from the Go
// module proxy) with PostgreSQL on loopback, and Balise against it, for the
// end-to-end tests and for trying Balise locally. It drives Mattermost as
// people do: slash commands, button clicks, dialog submissions.
package mmtest

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

// MattermostVersion is the server version the tests run against.
const MattermostVersion = "v6.7.2"

const serverModule = "github.com/mattermost/mattermost-server/v6"

// sourceDir is this package's directory in the checkout.
func sourceDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(file)
}

// RepoRoot is the root of Balise's checkout.
func RepoRoot() string { return filepath.Join(sourceDir(), "..", "..") }

// CacheDir is where builds are kept between runs: $BALISE_CACHE_DIR, else
// the user's cache directory.
func CacheDir() string {
	if d := os.Getenv("BALISE_CACHE_DIR"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "balise")
}

// Server is a built Mattermost: its binary and the module directory holding
// its i18n, templates and fonts.
type Server struct {
	Binary    string
	ModuleDir string
}

// BuildMattermost builds the server from the module proxy with the builder
// module in e2e/mmserver, or reuses the cached binary.
func BuildMattermost(logf func(string, ...any)) (*Server, error) {
	builder := filepath.Join(sourceDir(), "..", "mmserver")
	env := append(os.Environ(), "GOFLAGS=-mod=mod")
	// Download the module (a fresh machine has no copy yet) and learn where
	// it lies: the server reads its i18n, templates and fonts from there.
	dl := exec.Command("go", "mod", "download", "-json", serverModule)
	dl.Dir, dl.Env = builder, env
	out, err := dl.Output()
	if err != nil {
		return nil, fmt.Errorf("download the Mattermost module: %v\n%s", err, out)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil || mod.Dir == "" {
		return nil, fmt.Errorf("download the Mattermost module: %v %s\n%s", err, mod.Error, out)
	}
	s := &Server{ModuleDir: mod.Dir, Binary: filepath.Join(CacheDir(), "mattermost-"+MattermostVersion, "mattermost")}
	if _, err := os.Stat(s.Binary); err == nil {
		return s, nil
	}
	logf("building Mattermost %s from the Go module proxy (a few minutes, once)...", MattermostVersion)
	if err := os.MkdirAll(filepath.Dir(s.Binary), 0o755); err != nil {
		return nil, err
	}
	tmp := s.Binary + ".tmp"
	build := exec.Command("go", "build", "-ldflags=-checklinkname=0", "-o", tmp, serverModule+"/cmd/mattermost")
	build.Dir, build.Env = builder, env
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build Mattermost: %v\n%s", err, out)
	}
	return s, os.Rename(tmp, s.Binary)
}

// BuildBalise builds Balise's binary into dir, with the e2e tag: the
// binary then has one test hook more (cmd/balise/fault_e2e.go: SIGUSR1
// makes its database read-only, SIGUSR2 writable again).
func BuildBalise(dir string) (string, error) {
	bin := filepath.Join(dir, "balise")
	build := exec.Command("go", "build", "-tags", "e2e", "-o", bin, "./cmd/balise")
	build.Dir = RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build balise: %v\n%s", err, out)
	}
	return bin, nil
}
