package scenarios

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/internal/golden"
	"github.com/devolve-lgr/devolve/model/lgr"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestEmbeddedScenariosCompile(t *testing.T) {
	names := Embedded()
	if len(names) == 0 {
		t.Fatal("no embedded scenarios")
	}
	for _, name := range names {
		ld, err := Load(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if _, err := ld.Compile(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestFormatsAgree(t *testing.T) {
	yaml := "name: x\npredecessors: [{name: A, kind: district, population: 10}, {name: B, kind: district, population: 20}]\nsuccessors: [{name: U, predecessors: [A, B]}]\n"
	json := `{"name": "x", "predecessors": [{"name": "A", "kind": "district", "population": 10}, {"name": "B", "kind": "district", "population": 20}], "successors": [{"name": "U", "predecessors": ["A", "B"]}]}`
	toml := "name = \"x\"\n[[predecessors]]\nname = \"A\"\nkind = \"district\"\npopulation = 10\n[[predecessors]]\nname = \"B\"\nkind = \"district\"\npopulation = 20\n[[successors]]\nname = \"U\"\npredecessors = [\"A\", \"B\"]\n"
	var pops []float64
	for _, c := range []struct{ data, format string }{{yaml, "yaml"}, {json, "json"}, {toml, "toml"}} {
		ld, err := LoadBytes([]byte(c.data), c.format, c.format)
		if err != nil {
			t.Fatalf("%s: %v", c.format, err)
		}
		s := ld.Scenario
		if s.Name != "x" || len(s.Predecessors) != 2 || s.Successors[0].Predecessors[1] != "B" {
			t.Errorf("%s: read %+v", c.format, s)
		}
		pops = append(pops, s.Predecessors[1].Population)
	}
	if pops[0] != 20 || pops[1] != 20 || pops[2] != 20 {
		t.Errorf("populations %v", pops)
	}
}

func TestExtendsOverrides(t *testing.T) {
	ld, err := Load("testdata/invalid/../minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base := ld.Scenario
	dir := t.TempDir()
	child := filepath.Join(dir, "child.yaml")
	abs, _ := filepath.Abs("testdata/minimal.yaml")
	os.WriteFile(child, []byte("extends: "+abs+"\nhorizon: 15\nname: child\n"), 0o644)
	ld2, err := Load(child)
	if err != nil {
		t.Fatal(err)
	}
	if ld2.Scenario.Horizon != 15 || ld2.Scenario.Name != "child" || len(ld2.Scenario.Predecessors) != len(base.Predecessors) {
		t.Errorf("extends did not override: %+v", ld2.Scenario)
	}
	if ld2.SHA256 == ld.SHA256 {
		t.Error("child and base have the same hash")
	}
}

// TestInvalidScenarios loads every file in testdata/invalid, plus a
// directory and an oversized file, and compares the errors with
// testdata/invalid.golden (regenerate with -update and review the diff).
func TestInvalidScenarios(t *testing.T) {
	files, _ := filepath.Glob("testdata/invalid/*.yaml")
	sort.Strings(files)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	f, _ := os.Create(big)
	f.Truncate(100 << 20) // a 100 MB file
	f.Close()
	cases := append(files, dir, big)
	var got strings.Builder
	for _, file := range cases {
		ld, err := Load(file)
		if err == nil {
			_, err = ld.Compile()
		}
		if err == nil {
			t.Errorf("%s: loaded without error", file)
			continue
		}
		msg := strings.ReplaceAll(err.Error(), dir, "TMP")
		name := strings.ReplaceAll(file, dir, "TMP")
		got.WriteString("== " + name + "\n" + msg + "\n")
	}
	golden.Check(t, "testdata/invalid.golden", []byte(got.String()), *update)
}

// FuzzLoad: any bytes either load (and compile) or return an error; never a panic.
func FuzzLoad(f *testing.F) {
	for _, name := range []string{"testdata/minimal.yaml", "reference-r.yaml", "suffolk.yaml", "integration/kent-connected.yaml", "testdata/invalid/ramp_forms.yaml", "testdata/invalid/savings_scale.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("predecessors: [{name: A, kind: county, population: 1}]\nsuccessors: [{name: U, predecessors: [A]}]\nsystems: [{name: x, counts: {a: 3}, licence: '1 to 2', migration: {dist: mixture, weights: [1], components: [{dist: pareto, min: 1, alpha: 0.5}]}}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ld, err := LoadBytes(data, "yaml", "fuzz")
		if err != nil {
			return
		}
		c, err := lgr.Compile(ld.Scenario)
		if err != nil {
			return
		}
		c.Deterministic()
	})
}

func TestInventoryLoads(t *testing.T) {
	y := `predecessors: [{name: Shire, kind: county, population: 300}, {name: Town, kind: district, population: 100}]
successors: [{name: U, predecessors: [Shire, Town]}]
systems:
  - name: finance
    migration: 100k
    inventory:
      - {predecessor: Shire, product: SAP, licence: 700k, contract_end: 3}
      - {predecessor: Town, product: Unit4, licence: 90k to 140k}
      - {predecessor: Twon, licence: 1}
`
	_, err := LoadBytes([]byte(y), "yaml", "inv")
	if err == nil || !strings.Contains(err.Error(), `systems[0].inventory[2].predecessor: unknown predecessor "Twon" (did you mean "Town"?)`) {
		t.Errorf("error %v", err)
	}
	ld, err := LoadBytes([]byte(strings.Replace(y, "      - {predecessor: Twon, licence: 1}\n", "", 1)), "yaml", "inv")
	if err != nil {
		t.Fatal(err)
	}
	if inv := ld.Scenario.Systems[0].Inventory; len(inv) != 2 || inv[1].Product != "Unit4" {
		t.Errorf("inventory %+v", inv)
	}
}

// TestMigrationPer: migration_per reaches the model, its value matched
// whatever its case (like kind and dist), and a value other than system or
// consolidation is refused at its key path, with a hint for a misspelling.
func TestMigrationPer(t *testing.T) {
	y := `predecessors: [{name: Shire, kind: county, population: 300}, {name: Town, kind: district, population: 100}]
successors: [{name: U, predecessors: [Shire, Town]}]
systems:
  - {name: finance, per_kind: {county: 1, district: 1}, licence: 1k, migration: 100k, migration_per: PER}
`
	for per, want := range map[string]bool{"consolidation": true, "system": false, "Consolidation": true, "SYSTEM": false} {
		ld, err := LoadBytes([]byte(strings.Replace(y, "PER", per, 1)), "yaml", "m")
		if err != nil {
			t.Fatal(err)
		}
		if got := ld.Scenario.Systems[0].PerConsolidation; got != want {
			t.Errorf("migration_per: %s gives PerConsolidation %v", per, got)
		}
	}
	_, err := LoadBytes([]byte(strings.Replace(y, "PER", "project", 1)), "yaml", "m")
	if err == nil || !strings.Contains(err.Error(), `systems[0].migration_per: "project": want system`) {
		t.Errorf("error %v", err)
	}
	_, err = LoadBytes([]byte(strings.Replace(y, "PER", "Consolidaton", 1)), "yaml", "m")
	if err == nil || !strings.Contains(err.Error(), `systems[0].migration_per: "Consolidaton" (did you mean "consolidation"?): want system`) {
		t.Errorf("error %v", err)
	}
}

func TestOptimismBias(t *testing.T) {
	base := "predecessors: [{name: A, kind: district, population: 10}]\nsuccessors: [{name: U, predecessors: [A]}]\n"
	for _, c := range []struct {
		spec string
		want float64
		err  string
	}{
		{"15%", 0.15, ""},
		{"{category: equipment_development, bound: upper}", 2.0, ""},
		{"{category: equipment_development, bound: lower}", 0.10, ""},
		{"{category: outsourcing}", 0.41, ""},
		{"{category: equipment_developmnt}", 0, `did you mean "equipment_development"`},
		{"{category: outsourcing, bound: middle}", 0, "must be upper or lower"},
	} {
		ld, err := LoadBytes([]byte(base+"optimism_bias: "+c.spec+"\n"), "yaml", "ob")
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.spec, err, c.err)
			}
			continue
		}
		if err != nil || ld.Scenario.OptimismBias != c.want {
			t.Errorf("%s: %v %v, want %g", c.spec, err, ld, c.want)
		}
	}
}

// TestRampForms: a ramp written as yearly increments is summed to
// cumulative shares and runs exactly as the same ramp written cumulative;
// a cumulative profile that does not reach 1 is an error unless partial.
func TestRampForms(t *testing.T) {
	base := `name: ramps
horizon: 6
savings_realisation: 1
ramp_stretch: 1
predecessors:
  - {name: Shire, kind: county, population: 300000}
  - {name: Town, kind: district, population: 100000}
successors:
  - {name: One, predecessors: [Shire, Town]}
cost_bases:
  - {name: staff, amount: 10m}
savings:
  - {name: s, base: [staff], reduction: 10%, ramp: RAMP}
`
	run := func(ramp string) ([]float64, error) {
		ld, err := LoadBytes([]byte(strings.Replace(base, "RAMP", ramp, 1)), "yaml", "ramps")
		if err != nil {
			return nil, err
		}
		c, err := ld.Compile()
		if err != nil {
			return nil, err
		}
		res := c.Deterministic()
		var out []float64
		for y := 0; y < c.Years; y++ {
			out = append(out, res.Raw.Mean[c.OutSavings+y])
		}
		return out, nil
	}
	inc, err := run("{start: 1, increments: [0.1, 0.4, 0.4, 0.1]}")
	if err != nil {
		t.Fatal(err)
	}
	cum, err := run("{start: 1, cumulative: [0.1, 0.5, 0.9, 1.0]}")
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 0.1e6, 0.5e6, 0.9e6, 1e6, 1e6, 1e6}
	for y := range want {
		if math.Abs(inc[y]-want[y]) > 1e-6 || math.Abs(cum[y]-want[y]) > 1e-6 {
			t.Errorf("year %d: increments %v, cumulative %v, want %v", y, inc[y], cum[y], want[y])
		}
	}
	// The old silent cap: increments written as a profile are read as
	// cumulative and now rejected, naming the form to use.
	if _, err := run("{start: 1, profile: [0.1, 0.4, 0.4, 0.1]}"); err == nil || !strings.Contains(err.Error(), "savings[0].ramp.profile") {
		t.Errorf("a profile that falls back to 0.1 accepted: %v", err)
	}
	partial, err := run("{start: 1, cumulative: [0.2, 0.5], partial: true}")
	if err != nil || math.Abs(partial[6]-0.5e6) > 1e-6 {
		t.Errorf("partial ramp: %v %v", partial, err)
	}
}

// FuzzLoadFormats: any bytes in any of the three formats either load or
// return an error that names the input; never a panic, a hang or a stack
// overflow. Seeds: the shipped scenarios and the CLI's bad-input corpus.
func FuzzLoadFormats(f *testing.F) {
	formats := []string{"yaml", "json", "toml"}
	for _, name := range []string{"testdata/minimal.yaml", "reference-r.yaml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(0))
	}
	bad, _ := filepath.Glob("../cmd/devolve/testdata/bad/*.*")
	for _, b := range bad {
		data, err := os.ReadFile(b)
		if err != nil || len(data) > 1<<16 {
			continue
		}
		var k uint8
		switch filepath.Ext(b) {
		case ".json":
			k = 1
		case ".toml":
			k = 2
		}
		f.Add(data, k)
	}
	f.Fuzz(func(t *testing.T, data []byte, k uint8) {
		format := formats[int(k)%len(formats)]
		ld, err := LoadBytes(data, format, "fuzz")
		if err != nil {
			if !strings.Contains(err.Error(), "fuzz") {
				t.Errorf("error does not name the input: %v", err)
			}
			return
		}
		if _, err := lgr.Compile(ld.Scenario); err != nil {
			// Some checks need the compiled lines (risks[].hits); their
			// errors must still carry a key path.
			if _, ok := fielderr.PathOf(err); !ok {
				t.Errorf("compile error without a key path: %v", err)
			}
		}
	})
}

// TestKeyInWrongPlace: a key of the schema written at the wrong level says
// where it belongs (a did-you-mean to a different key would mislead: a
// top-level migration_per is not migration_slip); a misspelling still gets
// its did-you-mean.
func TestKeyInWrongPlace(t *testing.T) {
	y := `predecessors: [{name: Shire, kind: county, population: 300}, {name: Town, kind: district, population: 100}]
successors: [{name: U, predecessors: [Shire, Town]}]
migration_per: consolidation
licence: 5k
systems:
  - {name: finance, per_kind: {county: 1, district: 1}, licence: 1k, migration: 100k, migration_slip: 1.2, migraton: 1}
`
	_, err := LoadBytes([]byte(y), "yaml", "m")
	for _, want := range []string{
		"m: migration_per: unknown key here (it belongs in systems[])",
		"m: licence: unknown key here (it belongs in systems[] or in systems[].inventory[])",
		"m: systems[0].migration_slip: unknown key here (it belongs at the top level)",
		`m: systems[0].migraton: unknown key (did you mean "migration"?)`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("want %q in\n%v", want, err)
		}
	}
}

// TestKeyLimits: a map of more than MaxMapKeys keys, in any format, is
// refused before the YAML and TOML parsers' pair-by-pair duplicate check
// (a 200,000-key TOML table took 100 s, a 400,000-key YAML map minutes);
// MaxMapKeys keys are read, and a TOML table header after a comment line
// starts a new section.
func TestKeyLimits(t *testing.T) {
	keys := func(n int, format, prefix string) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			switch format {
			case "yaml":
				fmt.Fprintf(&b, "%sk%d: 1\n", prefix, i)
			case "toml":
				fmt.Fprintf(&b, "%sk%d = 1\n", prefix, i)
			case "json":
				fmt.Fprintf(&b, "%s\"k%d\": 1", map[bool]string{true: "", false: ", "}[i == 0], i)
			}
		}
		if format == "json" {
			return "{" + b.String() + "}"
		}
		return b.String()
	}
	for _, format := range []string{"yaml", "toml", "json"} {
		_, err := parse([]byte(keys(MaxMapKeys+1, format, "")), format)
		if err == nil || !strings.Contains(err.Error(), "10000") {
			t.Errorf("%s, %d keys: %v", format, MaxMapKeys+1, err)
		}
		if _, err := parse([]byte(keys(MaxMapKeys, format, "")), format); err != nil {
			t.Errorf("%s, %d keys: %v", format, MaxMapKeys, err)
		}
	}
	two := "# a\n[a]\n" + keys(6000, "toml", "") + "# b\n[b]\n" + keys(6000, "toml", "")
	if _, err := parse([]byte(two), "toml"); err != nil {
		t.Errorf("two TOML tables of 6,000 keys: %v", err)
	}
}
