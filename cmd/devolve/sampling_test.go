package main

import (
	"context"
	"strings"
	"testing"
)

// TestSamplingFlag: --sampling lhs and sobol run, give the same output for
// 1 and 2 workers, and differ from mc; a bad name is a usage error.
func TestSamplingFlag(t *testing.T) {
	outs := map[string]string{}
	for _, s := range []string{"mc", "lhs", "sobol"} {
		var prev string
		for _, w := range []string{"1", "2"} {
			code, out, stderr := runCLI(t, context.Background(), "run", "reference-r", "--iterations", "3000", "--sampling", s, "--workers", w, "--format", "json")
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", s, code, stderr)
			}
			if prev != "" && out != prev {
				t.Errorf("%s: output differs between 1 and 2 workers", s)
			}
			prev = out
		}
		outs[s] = prev
	}
	if outs["mc"] == outs["lhs"] || outs["mc"] == outs["sobol"] || outs["lhs"] == outs["sobol"] {
		t.Error("sampling methods gave identical outputs")
	}
	code, _, stderr := runCLI(t, context.Background(), "run", "reference-r", "--sampling", "halton")
	if code != exitUsage || !strings.Contains(stderr, "must be one of mc, lhs, sobol") {
		t.Errorf("--sampling halton: exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, context.Background(), "compare", "suffolk", "suffolk-two", "--iterations", "2000", "--sampling", "sobol")
	if code != 0 {
		t.Errorf("compare --sampling sobol: exit %d: %s", code, stderr)
	}
}
