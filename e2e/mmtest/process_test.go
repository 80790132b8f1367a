package mmtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A program that crashes while starting is reported at once, with its log,
// not after the readiness timeout.
func TestCrashAtStartIsNoticedAtOnce(t *testing.T) {
	logPath := filepath.Join(t.TempDir(), "out.log")
	p, err := start(exec.Command("sh", "-c", "echo 'FATAL: config is broken'; exit 3"), logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer p.stop(os.Kill, time.Second)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // far below the readiness timeout
	defer cancel()
	never := func(context.Context) error { return errors.New("refused") }
	err = p.waitReady(ctx, "server", time.Hour, never, func() string { return tail(logPath, 1000) })
	if err == nil || !strings.Contains(err.Error(), "exited while starting") || !strings.Contains(err.Error(), "config is broken") {
		t.Errorf("got %v, want an error saying the server exited, with its log", err)
	}
}

// A Balise that is not ready in time is killed, by its pid, and its log is
// closed.
func TestBaliseNotReadyIsKilled(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "balise")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho listening nowhere\nexec sleep 60\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	b := &Balise{bin: bin, mm: &Mattermost{}, port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port), // nothing listens there
		log: filepath.Join(dir, "balise.log"), ReadyTimeout: 500 * time.Millisecond}
	began := time.Now()
	err = b.Start(t.Context())
	if err == nil || !strings.Contains(err.Error(), "not ready") || !strings.Contains(err.Error(), "listening nowhere") {
		t.Fatalf("got %v, want a readiness error with the log", err)
	}
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("Start took %s, want about its 500ms timeout", d)
	}
	select {
	case <-b.proc.done:
	default:
		t.Fatal("balise still runs after its readiness timed out")
	}
	if err := b.proc.log.Close(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("closing the log again: %v, want it already closed", err)
	}
}
