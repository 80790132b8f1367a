//go:build e2e

// Package e2e drives Balise through a real Mattermost server, as people do.
// Run with: go test -tags e2e ./e2e/
package e2e

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"balise/e2e/mmtest"
)

// The server, users and Balise shared by every test of the package.
var (
	mm      *mmtest.Mattermost
	balise  *mmtest.Balise
	camille *mmtest.User // French locale
	alex    *mmtest.User // English locale
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "balise-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	logf := func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) }
	mm, err = mmtest.Start(ctx, dir, logf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "start mattermost:", err)
		return 1
	}
	defer mm.Stop()
	if camille, err = mm.AddUser(ctx, "camille", "fr"); err == nil {
		alex, err = mm.AddUser(ctx, "alex", "en")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	balise, err = mm.StartBalise(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "start balise:", err)
		return 1
	}
	defer balise.Stop()
	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "--- balise log (%s)\n%s\n--- mattermost log\n%s\n", dir, balise.LogTail(), mm.LogTail())
	} else {
		os.RemoveAll(dir)
	}
	return code
}

func mustRun(t testing.TB, u *mmtest.User, channelID, command string) string {
	t.Helper()
	text, err := u.Run(context.Background(), channelID, command)
	if err != nil {
		t.Fatal(err)
	}
	return text
}
