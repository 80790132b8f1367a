package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sample is a set of latencies, with the wall time they took together.
type Sample struct {
	Name   string
	Took   []time.Duration
	Errors int
	Wall   time.Duration
}

// Rate is how many operations per second the sample held.
func (s *Sample) Rate() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(len(s.Took)) / s.Wall.Seconds()
}

// P returns the q-quantile (0..1) by nearest rank, in milliseconds.
func (s *Sample) P(q float64) float64 { return percentile(s.Took, q) }

func percentile(d []time.Duration, q float64) float64 {
	if len(d) == 0 {
		return math.NaN()
	}
	sorted := slices.Clone(d)
	slices.Sort(sorted)
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	i = max(0, min(len(sorted)-1, i))
	return float64(sorted[i].Microseconds()) / 1000
}

// storm runs work for every member at once (each member's calls one after
// the other) and gathers every call's latency.
func storm(name string, members int, calls int, work func(member, call int) error) *Sample {
	s := &Sample{Name: name}
	var mu sync.Mutex
	var wg sync.WaitGroup
	startGate := make(chan struct{})
	for m := range members {
		wg.Go(func() {
			<-startGate
			for c := range calls {
				t := time.Now()
				err := work(m, c)
				d := time.Since(t)
				mu.Lock()
				if err != nil {
					s.Errors++
					if s.Errors <= 3 {
						logf("  %s: %v", name, err)
					}
				} else {
					s.Took = append(s.Took, d)
				}
				mu.Unlock()
			}
		})
	}
	t0 := time.Now()
	close(startGate)
	wg.Wait()
	s.Wall = time.Since(t0)
	return s
}

// rssKB reads the resident memory of a process from /proc, in KiB.
func rssKB(pid int) int {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return n
		}
	}
	return 0
}

// cpuTime is the user and system time a process has used.
func cpuTime(pid int) time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	// After the command: state(0) ... utime is field 14 of the line, 11 here.
	u, _ := strconv.ParseInt(fields[11], 10, 64)
	k, _ := strconv.ParseInt(fields[12], 10, 64)
	return time.Duration(u+k) * time.Second / 100 // USER_HZ is 100 on Linux
}

// peakRSS samples a process's resident memory every 100 ms until stop is
// called, which returns the highest figure seen, in KiB.
func peakRSS(pid int) (stop func() int) {
	done := make(chan struct{})
	result := make(chan int)
	go func() {
		peak := rssKB(pid)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				peak = max(peak, rssKB(pid))
			case <-done:
				result <- max(peak, rssKB(pid))
				return
			}
		}
	}()
	return func() int { close(done); return <-result }
}

// loadAverage is /proc/loadavg's first three figures.
func loadAverage() string {
	data, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// requestLog reads the request lines Balise logged between two offsets of
// its log file: each one's path and duration (zerolog writes durations in
// milliseconds).
type requestLog struct{ path string }

func (l requestLog) size() int64 {
	st, err := os.Stat(l.path)
	if err != nil {
		return 0
	}
	return st.Size()
}

// has reports whether a log line after offset from carries the message.
func (l requestLog) has(from int64, message string) bool {
	data, err := os.ReadFile(l.path)
	if err != nil || int64(len(data)) < from {
		return false
	}
	return bytes.Contains(data[from:], []byte(`"message":"`+message+`"`))
}

// goMemory reads Go's memory figures from Balise's /metrics, in MiB.
func goMemory(url string) map[string]float64 {
	out := map[string]float64{}
	resp, err := http.Get(url)
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), " ")
		switch name {
		case "go_memstats_heap_alloc_bytes", "go_memstats_heap_inuse_bytes", "go_memstats_heap_idle_bytes",
			"go_memstats_heap_released_bytes", "go_memstats_next_gc_bytes", "go_memstats_sys_bytes", "process_resident_memory_bytes":
			if v, err := strconv.ParseFloat(value, 64); ok && err == nil {
				out[name] = v / (1 << 20)
			}
		}
	}
	return out
}

// durations returns the handling times of the requests to path logged
// after offset from.
func (l requestLog) durations(from int64, path string) []time.Duration {
	data, err := os.ReadFile(l.path)
	if err != nil || int64(len(data)) < from {
		return nil
	}
	var out []time.Duration
	sc := bufio.NewScanner(bytes.NewReader(data[from:]))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var line struct {
			Message  string  `json:"message"`
			Path     string  `json:"path"`
			Duration float64 `json:"duration"`
		}
		if json.Unmarshal(sc.Bytes(), &line) != nil || line.Message != "request" || line.Path != path {
			continue
		}
		out = append(out, time.Duration(line.Duration*float64(time.Millisecond)))
	}
	return out
}
