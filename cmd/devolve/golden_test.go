package main

import (
	"context"
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestGoldenJSON pins the random streams and every computation behind
// `devolve run`: the JSON for 3,000 trials of two shipped scenarios at seed
// 7 must not change unless the model changes on purpose. DO NOT regenerate
// (go test ./cmd/devolve -run Golden -update) without reviewing the diff.
func TestGoldenJSON(t *testing.T) {
	for _, name := range []string{"reference-r", "suffolk-two"} {
		code, out, stderr := runCLI(t, context.Background(), "run", name, "--iterations", "3000", "--seed", "7", "--format", "json")
		if code != 0 {
			t.Fatal(stderr)
		}
		path := "testdata/" + name + ".golden.json"
		if *update {
			os.MkdirAll("testdata", 0o755)
			os.WriteFile(path, []byte(out), 0o644)
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if out != string(want) {
			t.Errorf("%s: output differs from %s; if the change is intended, regenerate with -update and review the diff", name, path)
		}
	}
}
