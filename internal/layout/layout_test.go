package layout

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/devolve-lgr/devolve/"

// layers is the pipeline, lowest first (docs/ARCHITECTURE.md): a package
// may import only packages of strictly lower layers. A new package goes
// into the layer of its job; if it fits none, the layout needs a thought
// before the code does.
var layers = [][]string{
	{"internal/fielderr", "internal/suggest", "internal/csvdata", "internal/inputfile", "internal/memlimit", "internal/pcgpair", // small helpers
		"internal/golden", "internal/rtest", "internal/browsertest", "internal/layout"}, // test kits
	{"model/qmc", "model/corr"},
	{"model/dist"},
	{"model/engine"},
	{"model/lgr", "model/sensitivity"},
	{"notation", "explain"}, // "£3m", "15%", "3k to 10k"; what drives an output
	{"calibration"},         // fitting, priors, evidence
	{"scenarios"},           // files -> lgr.Scenario
	{"area", "internal/runtest"},
	{"study"},        // national, bridge, backtest, published
	{"render/words"}, // figures in plain words: units, number formats, the NPV sentence
	{"render/chart", "render/report", "render/draws", "render/sipmath"},
	{"render/htmlreport", "render/xlsx"},
	{"render/serve"},
	{"cmd/devolve", "scripts/varred"},
}

// testKits may be imported by tests only.
var testKits = map[string]bool{"internal/golden": true, "internal/rtest": true, "internal/browsertest": true, "internal/runtest": true, "internal/layout": true}

// pkg is what go list says of one package.
type pkg struct {
	ImportPath string
	Imports    []string
}

// check returns one error for each import that goes up (or sideways), each
// package missing from layers, and each non-test import of a test kit.
func check(pkgs []pkg) []error {
	rank := map[string]int{}
	for i, l := range layers {
		for _, p := range l {
			rank[p] = i
		}
	}
	var errs []error
	for _, p := range pkgs {
		name := strings.TrimPrefix(p.ImportPath, module)
		r, ok := rank[name]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: not in the layer table (internal/layout/layout_test.go): add it to the layer of its job", name))
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module) {
				continue
			}
			dep := strings.TrimPrefix(imp, module)
			if testKits[dep] {
				errs = append(errs, fmt.Errorf("%s imports %s, a test kit, outside its tests", name, dep))
			}
			if d, ok := rank[dep]; ok && d >= r {
				errs = append(errs, fmt.Errorf("%s (layer %d) imports %s (layer %d): imports must go down the pipeline", name, r, dep, d))
			}
		}
	}
	return errs
}

// TestImportsGoDown reads the module's packages with go list and checks
// them against layers.
func TestImportsGoDown(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []pkg
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 20 {
		t.Fatalf("go list found %d packages; expected the whole module", len(pkgs))
	}
	for _, err := range check(pkgs) {
		t.Error(err)
	}
}

// TestCheckFindsUpwardImports: the checker itself reports an upward import,
// a sideways one, an unknown package and a test kit in non-test code.
func TestCheckFindsUpwardImports(t *testing.T) {
	got := check([]pkg{
		{module + "model/dist", []string{module + "scenarios", "math"}}, // up
		{module + "model/lgr", []string{module + "model/sensitivity"}},  // sideways
		{module + "mystery", nil},                                       // unknown
		{module + "render/chart", []string{module + "internal/golden"}}, // test kit
		{module + "cmd/devolve", []string{module + "render/serve", module + "model/engine"}},
	})
	want := []string{"model/dist (layer 2) imports scenarios", "model/lgr (layer 4) imports model/sensitivity", "mystery: not in the layer table", "render/chart imports internal/golden, a test kit"}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d: %v", len(got), len(want), got)
	}
	for i, w := range want {
		if !strings.HasPrefix(got[i].Error(), w) {
			t.Errorf("error %d = %q, want it to start %q", i, got[i], w)
		}
	}
}
