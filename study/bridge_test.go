package study

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/golden"
	"github.com/devolve-lgr/devolve/model/engine"
)

// TestInvalidBridgeCases loads every file in testdata/invalid_bridge, plus a
// directory, a FIFO and /dev/zero, and compares the errors with
// testdata/invalid_bridge.golden (regenerate with -update and review the
// diff). Every error names the file, and every problem is a FieldError at
// the key path as written.
func TestInvalidBridgeCases(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid_bridge/*.yaml")
	sort.Strings(files)
	dir := t.TempDir()
	cases := append(files, dir)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err == nil {
		cases = append(cases, fifo) // must not block
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, "/dev/zero") // must not read forever
	}
	var got strings.Builder
	for _, file := range cases {
		_, _, err := LoadBridgeCase(file)
		if err == nil {
			t.Errorf("%s: loaded without error", file)
			continue
		}
		var fe *fielderr.FileError
		if !errors.As(err, &fe) || fe.File != file {
			t.Errorf("%s: error does not name the file: %v", file, err)
		}
		got.WriteString("== " + strings.ReplaceAll(file, dir, "TMP") + "\n" + strings.ReplaceAll(err.Error(), dir, "TMP") + "\n")
	}
	golden.Check(t, "testdata/invalid_bridge.golden", []byte(got.String()), *update)
}

// TestBridgeShippedCasesLoad: the shipped cases load and reproduce their
// published figures within the loader's tolerance (exactly, in fact).
func TestBridgeShippedCasesLoad(t *testing.T) {
	for _, name := range BridgeCases() {
		c, _, err := LoadBridgeCase(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if h := c.Headline(); math.Abs(h-c.Published) > 1e-6*math.Abs(c.Published) {
			t.Errorf("%s: reproduces %v, published %v", name, h, c.Published)
		}
	}
}

// TestBridgeLongHorizon: a case whose horizon is past the bridge's own
// 30-year runs (here 40 years, its year-1 share back-solved) used to index
// past devolve's draws and panic; the runs now reach the case's horizon.
func TestBridgeLongHorizon(t *testing.T) {
	data, err := os.ReadFile("../scenarios/cases/bridge/suffolk-2025.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(data), "horizon: 5\n", "horizon: 40\n", 1)
	s = strings.Replace(s, "ramp: [0, 0.15, 0.35, 0.55, 0.65, 0.7644670050761421, 1]", "ramp: back_solve", 1)
	s = strings.Replace(s, "published: 78.2m", "published: 1.54bn", 1)
	file := filepath.Join(t.TempDir(), "long.yaml")
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := RunBridge(context.Background(), file, engine.Options{Iterations: 1, Seed: 1, Workers: 1}, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	sum := b.Reproduced
	for _, st := range b.Steps {
		sum += st.Mean
	}
	if math.Abs(b.Reproduced-1.54e9) > 1 || math.Abs(sum-b.Devolve) > 1e-6*math.Abs(b.Devolve) || math.IsNaN(sum) {
		t.Errorf("reproduced %v (want 1.54bn), steps sum to %v, devolve %v", b.Reproduced, sum, b.Devolve)
	}
}
