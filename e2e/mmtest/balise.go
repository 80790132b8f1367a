package mmtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Balise is Balise's binary running against a Mattermost.
type Balise struct {
	URL string // Balise's public URL, on loopback
	// MetricsURL is where serve's /metrics is (BALISE_METRICS_ADDR).
	MetricsURL string
	DB         string // its SQLite file

	bin  string
	mm   *Mattermost
	port int
	proc *process
	log  string
	Env  []string // extra environment for serve, such as BALISE_LLM_BASE_URL
	// ReadyTimeout is how long Start waits for /readyz (30 s when zero).
	ReadyTimeout time.Duration
}

// StartBalise builds Balise, runs `balise setup` for the team and starts
// `balise serve`.
func (m *Mattermost) StartBalise(ctx context.Context, env ...string) (*Balise, error) {
	b, err := m.NewBalise(ctx, env...)
	if err != nil {
		return nil, err
	}
	if out, err := b.Setup(ctx); err != nil {
		return nil, fmt.Errorf("balise setup: %v\n%s", err, out)
	}
	return b, b.Start(ctx)
}

// NewBalise builds Balise and gives it a port and a database file, without
// running anything yet: call Setup, then Start.
func (m *Mattermost) NewBalise(ctx context.Context, env ...string) (*Balise, error) {
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
	metricsPort, err := FreePort()
	if err != nil {
		return nil, err
	}
	b := &Balise{bin: bin, mm: m, port: port, URL: fmt.Sprintf("http://127.0.0.1:%d", port),
		MetricsURL: fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort),
		DB:         filepath.Join(dir, "balise.db"), log: filepath.Join(dir, "balise.log"), Env: env}
	return b, nil
}

func (b *Balise) env() []string {
	return append(append(os.Environ(),
		"BALISE_MATTERMOST_URL="+b.mm.URL,
		"BALISE_PUBLIC_URL="+b.URL,
		"BALISE_LISTEN_ADDR=127.0.0.1:"+strconv.Itoa(b.port),
		"BALISE_DB="+b.DB,
		"BALISE_LOG_LEVEL=debug",
		"BALISE_TICK=1s",
		"BALISE_METRICS_ADDR="+strings.TrimSuffix(strings.TrimPrefix(b.MetricsURL, "http://"), "/metrics"),
	), b.Env...)
}

// Setup runs `balise setup` with the admin's token and returns its output.
func (b *Balise) Setup(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.bin, append([]string{"setup"}, args...)...)
	cmd.Env = append(b.env(), "BALISE_ADMIN_TOKEN="+b.mm.Admin.Client.AuthToken, "BALISE_TEAMS="+b.mm.Team.Name)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Check runs `balise check` with the admin's token and returns its output.
func (b *Balise) Check(ctx context.Context, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, b.bin, append([]string{"check"}, args...)...)
	cmd.Env = append(b.env(), "BALISE_ADMIN_TOKEN="+b.mm.Admin.Client.AuthToken)
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

// Start starts `balise serve` and waits until it is ready. When it exits
// or is not ready in time, the error holds its log's end; a Balise that is
// not ready is killed, by its pid.
func (b *Balise) Start(ctx context.Context) error {
	cmd := exec.Command(b.bin, "serve")
	cmd.Env = b.env()
	proc, err := start(cmd, b.log)
	if err != nil {
		return err
	}
	b.proc = proc
	timeout := b.ReadyTimeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	if err := proc.waitReady(ctx, "balise", timeout, b.ready, b.LogTail); err != nil {
		proc.stop(os.Kill, 5*time.Second)
		return err
	}
	return nil
}

func (b *Balise) ready(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.URL+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("/readyz: %s", resp.Status)
	}
	return nil
}

// Stop stops `balise serve` gracefully (SIGTERM), by its pid.
func (b *Balise) Stop() error {
	return b.proc.stop(syscall.SIGTERM, 30*time.Second)
}

// Kill kills `balise serve` at once (SIGKILL, by its pid): a crash, with
// no chance to finish a request, a transaction or a refresh.
func (b *Balise) Kill() {
	b.proc.stop(os.Kill, 10*time.Second) // its exit error is the kill itself
}

// Signal sends sig to `balise serve`, by its pid.
func (b *Balise) Signal(sig os.Signal) error { return b.proc.cmd.Process.Signal(sig) }

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

// Binary is the path of the Balise binary the harness built.
func (b *Balise) Binary() string { return b.bin }

// Exec returns an unstarted command running the binary with args and the
// environment Balise runs with: the benchmark starts `serve` with it to time
// the start-up and to read the process's memory.
func (b *Balise) Exec(args ...string) *exec.Cmd {
	cmd := exec.Command(b.bin, args...)
	cmd.Env = b.env()
	return cmd
}
