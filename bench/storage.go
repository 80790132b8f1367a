package main

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"

	"balise/e2e/mmtest"
)

// StorageRun is BenchmarkStances of the storage package: stances per
// second through the storage layer and raw upserts into the same file with
// the same pragmas.
type StorageRun struct {
	PerSecond map[string]float64 // storage, storage-anonymous, storage-parallel, raw-insert: the median of 5
	// Ratio is the median of the 5 runs' storage / raw-insert, each pair
	// measured a few seconds apart (the machine's load changes).
	Ratio  float64
	Runs   map[string][]float64
	Output string
}

var stancesRe = regexp.MustCompile(`BenchmarkStances/(\S+?)(?:-\d+)?\s+\d+\s+.*?([\d.]+) stances/s`)

func storageBench(ctx context.Context) (StorageRun, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-run", "^$", "-bench", "^BenchmarkStances$", "-benchtime", "1s", "-count", "5", "./storage")
	cmd.Dir = mmtest.RepoRoot()
	out, err := cmd.CombinedOutput()
	r := StorageRun{PerSecond: map[string]float64{}, Runs: map[string][]float64{}, Output: string(out)}
	if err != nil {
		return r, fmt.Errorf("storage benchmark: %v\n%s", err, out)
	}
	for _, m := range stancesRe.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		r.Runs[m[1]] = append(r.Runs[m[1]], v)
	}
	for k, runs := range r.Runs {
		sorted := slices.Clone(runs)
		slices.Sort(sorted)
		r.PerSecond[k] = sorted[len(sorted)/2]
	}
	var ratios []float64
	for i := range min(len(r.Runs["storage"]), len(r.Runs["raw-insert"])) {
		ratios = append(ratios, r.Runs["storage"][i]/r.Runs["raw-insert"][i])
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		r.Ratio = ratios[len(ratios)/2]
	}
	if r.PerSecond["storage"] == 0 || r.PerSecond["raw-insert"] == 0 {
		return r, fmt.Errorf("storage benchmark: no figures in\n%s", out)
	}
	logf("storage %.0f stances/s, raw %.0f/s", r.PerSecond["storage"], r.PerSecond["raw-insert"])
	return r, nil
}
