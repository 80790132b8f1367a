//go:build e2e

package e2e

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"balise/e2e/mmtest"
)

// No Docker engine runs in CI: run the very build command of the Dockerfile
// and check that it yields a static binary. It builds Balise from scratch
// (minutes), so it runs with the end-to-end suite, not the unit tests.
func TestDockerfileBuildsStaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dockerfile, err := os.ReadFile(filepath.Join(mmtest.RepoRoot(), "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^RUN (CGO_ENABLED=0 go build .*) -o /out/balise (\./cmd/balise)$`).FindStringSubmatch(string(dockerfile))
	if m == nil {
		t.Fatal("the Dockerfile has no `RUN CGO_ENABLED=0 go build ... -o /out/balise ./cmd/balise` line")
	}
	bin := filepath.Join(t.TempDir(), "balise")
	line := strings.ReplaceAll(m[1], "${VERSION}", "test") + " -o " + bin + " " + m[2]
	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = mmtest.RepoRoot()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", line, err, out)
	}
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: it is not static", p.Type)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs %v, want none", libs)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "balise test") {
		t.Errorf("balise version = %q, %v; want the version set by the build", out, err)
	}
}
