package mmtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Balise is Balise's binary running against a Mattermost.
type Balise struct {
	URL string // Balise's public URL, on loopback
	DB  string // its SQLite file

	bin  string
	mm   *Mattermost
	port int
	cmd  *exec.Cmd
	log  string
	Env  []string // extra environment for serve, such as BALISE_LLM_BASE_URL
}

// StartBalise builds Balise, runs `balise setup` for the team and starts
// `balise serve`.
func (m *Mattermost) StartBalise(ctx context.Context, env ...string) (*Balise, error) {
	dir := filepath.Join(m.Dir, "balise")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	bin, err := BuildBalise(dir)
	if err != nil {
		return nil, err
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	b := &Balise{bin: bin, mm: m, port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port),
		DB: filepath.Join(dir, "balise.db"), log: filepath.Join(dir, "balise.log"), Env: env}
	if out, err := b.Setup(ctx); err != nil {
		return nil, fmt.Errorf("balise setup: %v\n%s", err, out)
	}
	return b, b.Start(ctx)
}

func (b *Balise) env() []string {
	return append(append(os.Environ(),
		"BALISE_MATTERMOST_URL="+b.mm.URL,
		"BALISE_PUBLIC_URL="+b.URL,
		"BALISE_LISTEN_ADDR=127.0.0.1:"+strconv.Itoa(b.port),
		"BALISE_DB="+b.DB,
		"BALISE_LOG_LEVEL=debug",
		"BALISE_TICK=1s",
	), b.Env...)
}

// Setup runs `balise setup` with the admin's token and returns its output.
func (b *Balise) Setup(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.bin, append([]string{"setup"}, args...)...)
	cmd.Env = append(b.env(), "BALISE_ADMIN_TOKEN="+b.mm.Admin.Client.AuthToken, "BALISE_TEAMS="+b.mm.Team.Name)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Command runs another subcommand of the binary (backup, catalogue...).
func (b *Balise) Command(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.bin, args...)
	cmd.Env = b.env()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Start starts `balise serve` and waits until it is ready.
func (b *Balise) Start(ctx context.Context) error {
	out, err := os.OpenFile(b.log, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	b.cmd = exec.Command(b.bin, "serve")
	b.cmd.Env, b.cmd.Stdout, b.cmd.Stderr = b.env(), out, out
	if err := b.cmd.Start(); err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(b.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("balise is not ready:\n%s", b.LogTail())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops `balise serve` gracefully (SIGTERM), by its pid.
func (b *Balise) Stop() error {
	return stopProcess(b.cmd, syscall.SIGTERM, 30*time.Second)
}

// Restart stops and starts `balise serve`.
func (b *Balise) Restart(ctx context.Context) error {
	if err := b.Stop(); err != nil {
		return err
	}
	return b.Start(ctx)
}

// LogTail returns the end of Balise's log.
func (b *Balise) LogTail() string { return tail(b.log, 6000) }

// Log returns Balise's whole log.
func (b *Balise) Log() string { return tail(b.log, 1<<30) }
