package main

import (
	"context"
	"flag"
	"testing"

	"github.com/devolve-lgr/devolve/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestGoldenJSON pins the random streams and every computation behind
// `devolve run`: the JSON for 3,000 trials of two shipped scenarios at seed
// 7 must not change unless the model changes on purpose. Numbers are
// compared (and written) at golden.Digits significant digits; a failure
// prints a diff of the first differing lines. DO NOT regenerate (go test
// ./cmd/devolve -run Golden -update) without reviewing the diff.
func TestGoldenJSON(t *testing.T) {
	for _, name := range []string{"reference-r", "suffolk-two"} {
		code, out, stderr := runCLI(t, context.Background(), "run", name, "--iterations", "3000", "--seed", "7", "--format", "json")
		if code != 0 {
			t.Fatal(stderr)
		}
		golden.CheckJSON(t, "testdata/"+name+".golden.json", []byte(out), *update)
	}
}
