package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

// FuzzCLIFlags: any arguments to any command parse to an exit status of 0,
// 1, 2 or 130, never a panic. The context is cancelled from the start, so
// that whatever the flags ask for, nothing long runs and nothing is
// written (every command checks its context before writing).
func FuzzCLIFlags(f *testing.F) {
	for _, s := range []string{
		"run --iterations 0", "run --workers -1 --format xml", "compare a b --switch-trials 0",
		"sensitivity --n 8 --method magic", "calibrate --bootstrap 0 --lower -Inf", "area suffolk --unitaries 2 --group A=B",
		"national --area Kent=2 --area kent=3", "areas extra", "list x", "version y", "validate", "backtest --format xml",
		"run --precision 0.5% --iterations 5", "run -- --iterations", "run --iterations=1e9", "calibrate --quantiles 10:1,50:2,90:5",
		"area suffolk --write /tmp/never-written-by-fuzz.yaml", "report --out /tmp/never-written-by-fuzz.html", "bridge pwc-ccn-2020",
	} {
		f.Add(s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Fields(line)
		if len(args) > 0 && args[0] == "serve" {
			return // listens on a port
		}
		code := run(ctx, args, io.Discard, io.Discard)
		switch code {
		case exitOK, exitFailure, exitUsage, exitInterrupted:
		default:
			t.Errorf("%q: exit %d", args, code)
		}
	})
}
