package scenarios

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/internal/fielderr"
	"github.com/devolve-lgr/devolve/model/engine"
)

// withCorrelations loads reference model R with extra top-level YAML.
func withCorrelations(t *testing.T, extra string) (*Loaded, error) {
	t.Helper()
	base, err := os.ReadFile("reference-r.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return LoadBytes(append(base, []byte("\n"+extra)...), "yaml", "r-correlated.yaml")
}

// TestCorrelatedCostsWidenNPV: with every system migration cost and the two
// overrun factors positively rank-correlated, R's NPV interval widens
// against the same run without correlation (positively correlated costs
// add covariance to the NPV's variance), the means agree within their
// errors, and the achieved Spearman correlations are within 0.02 of the
// targets at 100,000 trials.
func TestCorrelatedCostsWidenNPV(t *testing.T) {
	ld, err := withCorrelations(t, `correlations:
  - group: ["systems.*.migration"]
    rank: 0.8
  - between: [it_overrun, other_overrun]
    rank: 0.8
`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if c.Model.Correlation == nil || len(c.Model.Correlation.Inputs) < 4 {
		t.Fatalf("correlation not compiled: %+v", c.Model.Correlation)
	}
	opt := engine.Options{Iterations: 100_000, Seed: 3, KeepInputs: true}
	res, err := c.Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Model
	ind := *m
	ind.Correlation = nil
	indep, err := engine.Run(context.Background(), &ind, engine.Options{Iterations: 100_000, Seed: 3, Keep: []int{c.OutNPV}})
	if err != nil {
		t.Fatal(err)
	}
	a, b := res.Summarize().NPV, engine.Summarize(indep.Kept[0])
	// Both runs draw the same values (Iman-Conover only reorders them),
	// so the difference is the correlation's alone.
	if !(a.P95-a.P5 > 1.03*(b.P95-b.P5)) {
		t.Errorf("NPV 90%% interval %.4g wide with correlation, %.4g without", a.P95-a.P5, b.P95-b.P5)
	}
	if d := math.Abs(a.Mean - b.Mean); d > 5*math.Hypot(a.MCSE, b.MCSE) {
		t.Errorf("NPV means differ by %.4g (MCSEs %.3g, %.3g)", d, a.MCSE, b.MCSE)
	}
	var mig []int
	for j, in := range m.Inputs {
		if strings.HasPrefix(in.Name, "systems.") && strings.HasSuffix(in.Name, ".migration") {
			mig = append(mig, j)
		}
	}
	if len(mig) < 3 {
		t.Fatalf("R has %d migration inputs", len(mig))
	}
	ranks := make([][]float64, len(mig))
	for x, i := range mig {
		ranks[x] = rankOf(res.Raw.Inputs[i])
	}
	for x := range mig {
		for y := range x {
			if r := pearson(ranks[x], ranks[y]); math.Abs(r-0.8) > 0.02 {
				t.Errorf("Spearman(%s, %s) = %.4f, target 0.8", m.Inputs[mig[x]].Name, m.Inputs[mig[y]].Name, r)
			}
		}
	}
}

// rankOf returns the ranks of v (ties get distinct ranks in input order;
// the inputs here are continuous).
func rankOf(v []float64) []float64 {
	{
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case v[a] < v[b]:
				return -1
			case v[a] > v[b]:
				return 1
			}
			return 0
		})
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
}

// pearson is the correlation of two rank vectors (the Spearman correlation
// of the values they rank).
func pearson(rx, ry []float64) float64 {
	mid := float64(len(rx)-1) / 2
	var sxy, sxx, syy float64
	for i := range rx {
		p, q := rx[i]-mid, ry[i]-mid
		sxy += p * q
		sxx += p * p
		syy += q * q
	}
	return sxy / math.Sqrt(sxx*syy)
}

// TestCorrelationErrors: each mistake is reported at the user's key path.
func TestCorrelationErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, path, msg string
	}{
		{"unknown name", "correlations:\n  - between: [it_overrun, items.nope.amount]\n    rank: 0.5\n", "correlations[0].between[1]", "no input is named"},
		{"pattern matches many", "correlations:\n  - between: [it_overrun, systems.*.migration]\n    rank: 0.5\n", "correlations[0].between[1]", "matches"},
		{"rank out of range", "correlations:\n  - between: [it_overrun, other_overrun]\n    rank: 1\n", "correlations[0].rank", "strictly between -1 and 1"},
		{"missing rank", "correlations:\n  - group: [it_overrun, other_overrun]\n", "correlations[0].rank", "missing"},
		{"two forms", "correlations:\n  - between: [it_overrun, other_overrun]\n    group: [savings_realisation]\n    rank: 0.2\n", "correlations[0]", "exactly one"},
		{"asymmetric matrix", "correlations:\n  - inputs: [it_overrun, other_overrun]\n    matrix: [[1, 0.5], [0.4, 1]]\n", "correlations[0].matrix[1][0]", "symmetric"},
		{"given twice", "correlations:\n  - between: [it_overrun, other_overrun]\n    rank: 0.5\n  - group: [it_overrun, other_overrun]\n    rank: 0.3\n", "correlations[1]", "given twice"},
		{"inconsistent", "correlations:\n  - inputs: [it_overrun, other_overrun, savings_realisation]\n    matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n", "correlations", "cannot hold together"},
		{"bad fix", "correlation_fix: closest\ncorrelations:\n  - between: [it_overrun, other_overrun]\n    rank: 0.5\n", "correlation_fix", "must be nearest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ld, err := withCorrelations(t, tc.yaml)
			if err == nil {
				_, err = ld.Compile()
			}
			if err == nil {
				t.Fatal("accepted")
			}
			found := false
			for _, e := range fielderr.Flatten(err) {
				var fe *fielderr.FieldError
				if errors.As(e, &fe) && strings.HasSuffix(fe.Path, tc.path) && strings.Contains(fe.Err.Error(), tc.msg) {
					found = true
				}
			}
			if !found {
				t.Errorf("got %v, want %q at %s", err, tc.msg, tc.path)
			}
		})
	}
}

// TestCorrelationFixNearest: correlation_fix: nearest replaces an
// inconsistent matrix by a valid one and says so.
func TestCorrelationFixNearest(t *testing.T) {
	ld, err := withCorrelations(t, "correlation_fix: nearest\ncorrelations:\n  - inputs: [it_overrun, other_overrun, savings_realisation]\n    matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]\n")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "nearest valid matrix") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if _, err := c.Run(context.Background(), engine.Options{Iterations: 2000, Seed: 1}); err != nil {
		t.Errorf("the fixed matrix does not run: %v", err)
	}
}

// TestCorrelationCompileCancelled: compiling correlations stops with the
// context's error once it is done (issue 19: a slow check ignored SIGTERM).
func TestCorrelationCompileCancelled(t *testing.T) {
	ld, err := withCorrelations(t, "correlations:\n  - group: [it_overrun, other_overrun]\n    rank: 0.5\n")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ld.CompileContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if _, err := ld.CompileContext(context.Background()); err != nil {
		t.Errorf("not cancelled: %v", err)
	}
}
