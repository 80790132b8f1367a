package mmtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Postgres is a throw-away PostgreSQL cluster on loopback.
type Postgres struct {
	DSN  string
	proc *process
}

// pgBin finds a PostgreSQL program: on the PATH, else in Debian's
// /usr/lib/postgresql/<version>/bin, installing Debian's package when it is
// missing and we are root.
func pgBin(name string) (string, error) {
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	find := func() string {
		matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/" + name)
		if len(matches) == 0 {
			return ""
		}
		return matches[len(matches)-1]
	}
	if p := find(); p != "" {
		return p, nil
	}
	if os.Geteuid() != 0 {
		return "", fmt.Errorf("%s not found: install PostgreSQL (sudo apt-get install postgresql)", name)
	}
	install := exec.Command("sh", "-c", "apt-get update -q && apt-get install -y -q postgresql")
	install.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := install.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get install postgresql: %v\n%s", err, out)
	}
	if p := find(); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("%s not found after installing PostgreSQL", name)
}

// asPostgres runs cmd as the postgres system user when we are root, since
// PostgreSQL refuses to run as root.
func asPostgres(cmd *exec.Cmd, dir string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	}); err != nil {
		return err
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	return nil
}

// StartPostgres creates a cluster in dir and starts it on a free port.
func StartPostgres(dir string) (*Postgres, error) {
	initdb, err := pgBin("initdb")
	if err != nil {
		return nil, err
	}
	postgres, err := pgBin("postgres")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "pgdata")
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, err
	}
	logFile := filepath.Join(dir, "postgres.log")
	init := exec.Command(initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
	if err := asPostgres(init, dir); err != nil {
		return nil, err
	}
	if out, err := init.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := FreePort()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(postgres, "-D", data, "-p", strconv.Itoa(port), "-k", dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off",
		"-c", "full_page_writes=off", "-c", "max_connections=300")
	if err := asPostgres(cmd, dir); err != nil {
		return nil, err
	}
	proc, err := start(cmd, logFile)
	if err != nil {
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	p := &Postgres{proc: proc, DSN: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=10", port)}
	if err := proc.waitReady(context.Background(), "postgres", 60*time.Second, dialer(fmt.Sprintf("127.0.0.1:%d", port)),
		func() string { return tail(logFile, 3000) }); err != nil {
		p.Stop()
		return nil, err
	}
	return p, nil
}

// Stop stops the cluster it started, by its pid.
func (p *Postgres) Stop() {
	p.proc.stop(syscall.SIGINT, 30*time.Second)
}
