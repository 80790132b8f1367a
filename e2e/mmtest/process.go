package mmtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"time"
)

// FreePort returns a TCP port free on loopback.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// process is a program this package started, with its log file. One
// goroutine waits for it, so that a crash is noticed at once, and closes the
// log when it exits.
type process struct {
	cmd     *exec.Cmd
	log     *os.File
	done    chan struct{} // closed when the process has exited
	err     error         // how it exited, once done is closed
	stopped bool          // stop was called
}

// start starts cmd with its output appended to the file logPath.
func start(cmd *exec.Cmd, logPath string) (*process, error) {
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, err
	}
	p := &process{cmd: cmd, log: log, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		log.Close()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended, and how.
func (p *process) exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// stop signals the process, by its pid, and waits for it to exit, killing
// it after timeout. It returns how the process exited; a process that ended
// on its own is not signalled, and a second stop returns nil.
func (p *process) stop(sig os.Signal, timeout time.Duration) error {
	if p == nil || p.stopped {
		return nil
	}
	p.stopped = true
	if done, err := p.exited(); done {
		if err != nil {
			return fmt.Errorf("pid %d had already exited: %w", p.cmd.Process.Pid, err)
		}
		return nil
	}
	p.cmd.Process.Signal(sig)
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-p.done:
		return p.err
	case <-t.C:
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("pid %d did not stop within %s: killed", p.cmd.Process.Pid, timeout)
	}
}

// waitReady calls ready every interval until it returns nil, the process
// exits, ctx ends or timeout passes, whichever comes first. what names the
// program in errors; logTail explains them.
func (p *process) waitReady(ctx context.Context, what string, timeout time.Duration, ready func(context.Context) error, logTail func() string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		probe, stop := context.WithTimeout(ctx, 5*time.Second)
		last = ready(probe)
		stop()
		if last == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s exited while starting (%v):\n%s", what, p.err, logTail())
		case <-ctx.Done():
			return fmt.Errorf("%s not ready within %s (%v, last probe: %v):\n%s", what, timeout, ctx.Err(), last, logTail())
		case <-tick.C:
		}
	}
}

// dialer is a readiness probe: something listens on addr.
func dialer(addr string) func(context.Context) error {
	return func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
}

// tail returns the end of a log file, to explain a failure.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
