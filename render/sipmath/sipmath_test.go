package sipmath

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/devolve-lgr/devolve/internal/runtest"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// suffolk runs the default scenario (seed 11) and returns its library.
func suffolk(t *testing.T, n int) (*Library, *lgr.Result) {
	t.Helper()
	ld, res := runtest.Run(t, "suffolk", engine.Options{Iterations: n, Seed: 11})
	lib, err := FromRun(Manifest{Scenario: ld.Scenario.Name, ScenarioSHA256: ld.SHA256, Version: "test", Seed: 11,
		Iterations: n, Created: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}, res)
	if err != nil {
		t.Fatal(err)
	}
	return lib, res
}

func encode(t *testing.T, lib *Library) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, lib); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestSchema validates a library against the SIPmath 3.0 schema that
// ProbabilityManagement.org's PySIPmath tests use (testdata/README.md),
// and checks that the validator does reject a library that breaks it.
func TestSchema(t *testing.T) {
	f, err := os.Open("testdata/multi-lib-schema-2021-08-19.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sipmath.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sipmath.json")
	if err != nil {
		t.Fatal(err)
	}
	lib, _ := suffolk(t, 5000)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(encode(t, lib)))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("library does not validate: %v", err)
	}
	// The validator has teeth: each of these is rejected. (The schema is
	// permissive elsewhere: its sips items are an anyOf of loose
	// examples, so e.g. a string coefficient passes; TestStructure checks
	// those fields.)
	for name, spoil := range map[string]func(m map[string]any){
		"no name": func(m map[string]any) { delete(m, "name") },
		"no rng":  func(m map[string]any) { delete(m["U01"].(map[string]any), "rng") },
		"rng arguments": func(m map[string]any) {
			m["U01"].(map[string]any)["rng"].([]any)[0].(map[string]any)["arguments"] = "x"
		},
		"matrix entry": func(m map[string]any) { matrix(m)[0] = map[string]any{"row": "npv"} },
		"copula rng string": func(m map[string]any) {
			m["U01"].(map[string]any)["copula"].([]any)[0].(map[string]any)["arguments"].(map[string]any)["rng"] = []any{1}
		},
	} {
		bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader(encode(t, lib)))
		spoil(bad.(map[string]any))
		if err := sch.Validate(bad); err == nil {
			t.Errorf("%s: the schema accepted a broken library", name)
		}
	}
}

func matrix(m map[string]any) []any {
	return m["globalVariables"].([]any)[0].(map[string]any)["value"].(map[string]any)["matrix"].([]any)
}

// TestStructure checks the documented structure field by field: the
// fields PySIPmath writes, and that every reference resolves.
func TestStructure(t *testing.T) {
	lib, _ := suffolk(t, 5000)
	var m map[string]any
	if err := json.Unmarshal(encode(t, lib), &m); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"objectType": "sipModel", "libraryType": "SIPmath_3_0", "version": "1",
		"dateCreated": "2026-11-30", "name": lib.Name} {
		if m[k] != want {
			t.Errorf("%s = %v, want %q", k, m[k], want)
		}
	}
	if !strings.Contains(lib.Provenance, "seed 11") || !strings.Contains(lib.Provenance, "5000 iterations") {
		t.Errorf("provenance %q lacks the manifest", lib.Provenance)
	}
	rngs := map[string]bool{}
	for i, r := range lib.U01.RNG {
		if r.Function != "HDR_2_0" || r.Arguments.Counter != "PM_Index" || r.Arguments.VarID != int64(i+1) || r.Arguments.Entity != HDREntity {
			t.Errorf("rng %d: %+v", i, r)
		}
		rngs[r.Name] = true
	}
	if len(lib.U01.Copula) != 1 {
		t.Fatalf("%d copulas", len(lib.U01.Copula))
	}
	cop := lib.U01.Copula[0]
	if cop.Function != "GaussianCopula" || cop.Arguments.CorrelationMatrix != (ValueRef{"globalVariables", "correlationMatrix"}) {
		t.Errorf("copula %+v", cop)
	}
	for _, r := range cop.Arguments.RNG {
		if !rngs[r] {
			t.Errorf("copula uses unknown rng %s", r)
		}
	}
	if len(lib.GlobalVariables) != 1 || lib.GlobalVariables[0].Name != "correlationMatrix" {
		t.Fatalf("global variables %+v", lib.GlobalVariables)
	}
	cm := lib.GlobalVariables[0].Value
	k := len(RunOutputs)
	if len(cm.Matrix) != k*(k+1)/2 {
		t.Errorf("%d matrix entries, want the lower triangle's %d", len(cm.Matrix), k*(k+1)/2)
	}
	if len(lib.SIPs) != k {
		t.Fatalf("%d sips, want %d", len(lib.SIPs), k)
	}
	for i, s := range lib.SIPs {
		if s.Name != RunOutputs[i].Name || s.Function != "Metalog_1_0" || s.Ref.Source != "copula" ||
			s.Ref.Name != cop.Name || s.Ref.CopulaLayer != cop.CopulaLayer[i] {
			t.Errorf("sip %d: %s %s %+v", i, s.Name, s.Function, s.Ref)
		}
		if n := len(s.Arguments.ACoefficients); n < 2 || n > MaxTerms {
			t.Errorf("%s: %d terms", s.Name, n)
		}
		if len(s.Metadata.Density) != 25 {
			t.Errorf("%s: %d density points", s.Name, len(s.Metadata.Density))
		}
	}
}

// hdr is the HDR_2_0 generator as PySIPmath's chanceCalc.py states it:
// trial pmIndex (1-based) of stream (varId, entity, seed3, seed4).
func hdr(pmIndex, varID, entity, seed3, seed4 int64) float64 {
	a := (pmIndex*2499997 + varID*1800451 + entity*2000371 + seed3*1796777 + seed4*2299603) % 7450589
	b := (pmIndex*2246527 + varID*2399993 + entity*2100869 + seed3*1918303 + seed4*1624729) % 7450987
	x := ((999999999999989%(a*4658+7450581))*383%99991*7440893 + (999999999999989%(b*7580+7560584))*17669%7440893) * 1343 % 4294967296
	return (float64(x) + 0.5) / 4294967296
}

// consume generates n trials of every SIP the way a SIPmath 3.0 consumer
// does (chanceCalc.py): HDR uniforms, the Gaussian copula through the
// upper Cholesky factor of the correlation matrix, then each metalog.
func consume(t *testing.T, lib *Library, n int) [][]float64 {
	t.Helper()
	cop := lib.U01.Copula[0]
	k := len(cop.CopulaLayer)
	idx := map[string]int{}
	for i, name := range lib.GlobalVariables[0].Value.Columns {
		idx[name] = i
	}
	R := mat.NewSymDense(k, nil)
	for _, e := range lib.GlobalVariables[0].Value.Matrix {
		R.SetSym(idx[e.Row], idx[e.Col], e.Value)
	}
	var ch mat.Cholesky
	if !ch.Factorize(R) {
		t.Fatal("the correlation matrix is not positive definite")
	}
	var U mat.TriDense
	ch.UTo(&U)
	rng := map[string]RNG{}
	for _, r := range lib.U01.RNG {
		rng[r.Name] = r
	}
	std := distuv.UnitNormal
	out := make([][]float64, len(lib.SIPs))
	z := make([]float64, k)
	for i := 1; i <= n; i++ {
		for j, name := range cop.Arguments.RNG {
			a := rng[name].Arguments
			z[j] = std.Quantile(hdr(int64(i), a.VarID, a.Entity, a.Seed3, a.Seed4))
		}
		for s, sip := range lib.SIPs {
			col := slices.Index(cop.CopulaLayer, sip.Ref.CopulaLayer)
			x := 0.0
			for r := 0; r <= col; r++ {
				x += z[r] * U.At(r, col)
			}
			v := quantile(sip.Arguments.ACoefficients, std.CDF(x))
			if lb := sip.Arguments.LowerBound; lb != nil {
				v = *lb + math.Exp(v) // chanceCalc.py's "bounded lower" metalog
			}
			out[s] = append(out[s], v)
		}
	}
	return out
}

// empirical is the type-7 sample quantile, computed here independently of
// the engine.
func empirical(x []float64, p float64) float64 {
	s := slices.Clone(x)
	sort.Float64s(s)
	h := float64(len(s)-1) * p
	lo := int(h)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

func sd(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)-1))
}

// TestConsumerReproducesDraws reads the library back as a consumer would
// and compares its virtual SIPs with the run's draws: each percentile
// within the reported fit error plus 4 Monte Carlo standard errors of a
// percentile of 20,000 virtual trials (sqrt(p(1-p)/n) / density), the
// normal-score correlations within 0.03 of the library's (4 standard
// errors, (1-r^2)/sqrt(n) <= 0.007), and the rank correlations within
// 0.06 of the draws' (the Gaussian copula approximates the draws'
// dependence: it matches their normal-score correlation, not every
// feature of it).
func TestConsumerReproducesDraws(t *testing.T) {
	const n = 20000
	lib, res := suffolk(t, n)
	virtual := consume(t, lib, n)
	for s, sip := range lib.SIPs {
		draws := res.Draws(sip.Name)
		draws = slices.DeleteFunc(slices.Clone(draws), func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) })
		sdev := sd(draws)
		// Largest errors measured (seed 11, 20,000 trials): 0.019 sd for npv,
		// 0.083 sd for one-off cost (1% at its 99th percentile, the IT
		// overrun's heavy tail), at most 0.024 sd for the others.
		if sip.Metadata.FitMaxError > 0.1*sdev {
			t.Errorf("%s: metalog misses the draws' quantiles by up to %.3g (%.3f sd)", sip.Name, sip.Metadata.FitMaxError, sip.Metadata.FitMaxError/sdev)
		}
		fit := Fit{A: sip.Arguments.ACoefficients, Log: sip.Arguments.LowerBound != nil}
		for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
			want := empirical(draws, p)
			// The metalog itself, at p, against the independent quantile.
			if got := fit.Quantile(p); math.Abs(got-want) > sip.Metadata.FitMaxError*1.0001+1e-9*math.Abs(want) {
				t.Errorf("%s: metalog P%g %.6g, draws %.6g, beyond the reported fit error %.3g", sip.Name, 100*p, got, want, sip.Metadata.FitMaxError)
			}
			se := math.Sqrt(p*(1-p)/n) * fit.Slope(p)
			if got := empirical(virtual[s], p); math.Abs(got-want) > sip.Metadata.FitMaxError+4*se {
				t.Errorf("%s: virtual SIP P%g %.6g, draws %.6g (%.3f sd apart; fit error %.3f sd, MC se %.3f sd)", sip.Name, 100*p, got, want,
					math.Abs(got-want)/sdev, sip.Metadata.FitMaxError/sdev, se/sdev)
			}
		}
		t.Logf("%-20s %-2s %2d terms, fit error %.4f sd; P5/P50/P95 draws %.4g/%.4g/%.4g, virtual %.4g/%.4g/%.4g", sip.Name,
			sip.Metadata.Boundedness, len(sip.Arguments.ACoefficients), sip.Metadata.FitMaxError/sdev,
			empirical(draws, 0.05), empirical(draws, 0.5), empirical(draws, 0.95),
			empirical(virtual[s], 0.05), empirical(virtual[s], 0.5), empirical(virtual[s], 0.95))
	}
	// Dependence: the virtual SIPs' normal-score correlations match the
	// library's matrix, and that matrix matches the draws'.
	got := normalScoreCorrelation(virtual)
	cm := lib.GlobalVariables[0].Value
	for _, e := range cm.Matrix {
		i, j := slices.Index(cm.Columns, e.Row), slices.Index(cm.Columns, e.Col)
		if math.Abs(got[i][j]-e.Value) > 0.03 {
			t.Errorf("corr(%s, %s): virtual %.3f, library %.3f", e.Row, e.Col, got[i][j], e.Value)
		}
	}
	worst := 0.0
	for i := range lib.SIPs {
		for j := 0; j < i; j++ {
			a, b := lib.SIPs[i].Name, lib.SIPs[j].Name
			rd := pearsonRanks(res.Draws(a), res.Draws(b))
			rv := pearsonRanks(virtual[i], virtual[j])
			worst = math.Max(worst, math.Abs(rd-rv))
			if math.Abs(rd-rv) > 0.06 {
				t.Errorf("rank correlation of %s and %s: draws %.3f, virtual SIPs %.3f", a, b, rd, rv)
			}
		}
	}
	t.Logf("largest gap between the draws' and the virtual SIPs' rank correlations: %.3f", worst)
}

func (lib *Library) corr(a, b string) float64 {
	for _, e := range lib.GlobalVariables[0].Value.Matrix {
		if e.Row == a && e.Col == b || e.Row == b && e.Col == a {
			return e.Value
		}
	}
	return math.NaN()
}

// pearsonRanks is Spearman's rank correlation; for a Gaussian copula it
// is (6/pi) asin(rho/2), within 0.02 of rho for every rho.
func pearsonRanks(x, y []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool { return v[idx[a]] < v[idx[b]] })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	rx, ry := rank(x), rank(y)
	n := float64(len(x))
	m := (n - 1) / 2
	var sxy, sxx float64
	for i := range rx {
		sxy += (rx[i] - m) * (ry[i] - m)
		sxx += (rx[i] - m) * (rx[i] - m)
	}
	return sxy / sxx
}

// TestHDRUniform: the test's HDR generator gives uniforms (mean 1/2,
// variance 1/12 within 5 standard errors over 100,000 trials), so a
// failure above is the library's, not the generator's.
func TestHDRUniform(t *testing.T) {
	const n = 100000
	var s, s2 float64
	for i := int64(1); i <= n; i++ {
		u := hdr(i, 1, 1, 0, 0)
		if !(u > 0 && u < 1) {
			t.Fatalf("trial %d: %v", i, u)
		}
		s += u
		s2 += (u - 0.5) * (u - 0.5)
	}
	if m := s / n; math.Abs(m-0.5) > 5*math.Sqrt(1.0/12/n) {
		t.Errorf("mean %v", m)
	}
	if v := s2 / n; math.Abs(v-1.0/12) > 5*math.Sqrt(1.0/180/n) {
		t.Errorf("variance %v", v)
	}
}

// TestMetalogExact: a metalog fitted to quantiles of a metalog recovers
// its coefficients (the least-squares fit is exact).
func TestMetalogExact(t *testing.T) {
	a := []float64{10, 2, 0.3, -0.5, 0.4, 0.1}
	if !feasible(a) {
		t.Fatal("test metalog infeasible")
	}
	var p, q []float64
	for i := 1; i < gridSteps; i++ {
		p = append(p, float64(i)/gridSteps)
		q = append(q, quantile(a, p[len(p)-1]))
	}
	f, err := fitQuantiles(p, q, false)
	if err != nil {
		t.Fatal(err)
	}
	if f.MaxError > 1e-9 {
		t.Errorf("max error %v", f.MaxError)
	}
	for i, v := range f.A {
		want := 0.0
		if i < len(a) {
			want = a[i]
		}
		if math.Abs(v-want) > 1e-6 {
			t.Errorf("a%d = %v, want %v (fit %v)", i+1, v, want, f.A)
		}
	}
	// A log metalog through exp of the same points is recovered too.
	for i := range q {
		q[i] = math.Exp(q[i] / 10)
	}
	g, err := fitBest(p, q, true)
	if err != nil {
		t.Fatal(err)
	}
	if !g.Log || g.MaxError > 1e-9 || math.Abs(g.A[0]-1) > 1e-6 || math.Abs(g.A[1]-0.2) > 1e-6 {
		t.Errorf("log fit %+v", g)
	}
	// slope is the derivative of quantile.
	for _, y := range []float64{0.01, 0.3, 0.5, 0.77, 0.999} {
		h := 1e-6
		num := (quantile(a, y+h) - quantile(a, y-h)) / (2 * h)
		if math.Abs(num-slope(a, y)) > 1e-4*math.Abs(num) {
			t.Errorf("slope at %v: %v, numerical %v", y, slope(a, y), num)
		}
	}
}

func TestErrors(t *testing.T) {
	if _, err := New(Manifest{}, []Output{{Name: "x", Draws: []float64{1, 2, 3}}}); err == nil {
		t.Error("3 trials accepted")
	}
	if _, err := New(Manifest{}, []Output{{Name: "x", Draws: make([]float64, 200)}, {Name: "y", Draws: make([]float64, 199)}}); err == nil {
		t.Error("ragged outputs accepted")
	}
	// A constant output is a one-term metalog, uncorrelated with the rest.
	x, c := make([]float64, 500), make([]float64, 500)
	for i := range x {
		x[i], c[i] = float64(i), 7
	}
	lib, err := New(Manifest{}, []Output{{Name: "x", Draws: x}, {Name: "c", Draws: c}})
	if err != nil {
		t.Fatal(err)
	}
	if a := lib.SIPs[1].Arguments.ACoefficients; len(a) != 1 || a[0] != 7 {
		t.Errorf("constant output: %v", a)
	}
	if r := lib.corr("x", "c"); r != 0 {
		t.Errorf("correlation with a constant %v", r)
	}
}
