package calibration

import (
	"math"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
)

// TestConjugateUpdate: with a lognormal prior the conjugate update is exact;
// check it against the closed form and the importance-reweighting estimate.
func TestConjugateUpdate(t *testing.T) {
	prior, _ := dist.NewLogNormal(0, 0.3)
	obs := []float64{1.2, 1.5}
	p, err := UpdateRatio(prior, obs, nil, 2)
	if err != nil {
		t.Fatal(err)
	}
	prec := 1/0.09 + 2/(Tau*Tau)
	mu := (math.Log(1.2) + math.Log(1.5)) / (Tau * Tau) / prec
	if math.Abs(p.PostMu-mu) > 1e-3 || math.Abs(p.PostSD-math.Sqrt(1/prec)) > 1e-3 {
		t.Errorf("posterior %g ± %g, closed form %g ± %g", p.PostMu, p.PostSD, mu, math.Sqrt(1/prec))
	}
	if math.Abs(p.ReweightMean/p.Predictive.Mean()-1) > 0.01 {
		t.Errorf("reweighting mean %g vs conjugate %g", p.ReweightMean, p.Predictive.Mean())
	}
	if p.ESS < 10_000 {
		t.Errorf("effective sample %g", p.ESS)
	}
}

func TestSavingsPosterior(t *testing.T) {
	p, err := SavingsPosterior()
	if err != nil {
		t.Fatal(err)
	}
	t.Log(p.Summary())
	if len(p.Observed) != 2 {
		t.Fatalf("%d observations", len(p.Observed))
	}
	// A conjugate normal-normal update puts the posterior mean of the log
	// ratio between the prior's and the observations' mean log (Somerset
	// 0.81 and Dorset 0.84 in 2024-25 prices, both a little below the
	// prior's median of about 0.86: the posterior moves down, not past
	// them).
	g := 0.0
	for _, x := range p.Observed {
		g += math.Log(x)
	}
	g /= float64(len(p.Observed))
	if lo, hi := math.Min(p.PriorMu, g), math.Max(p.PriorMu, g); !(p.PostMu >= lo-1e-12 && p.PostMu <= hi+1e-12) || lo == hi {
		t.Errorf("posterior mean log %g not between the prior's %g and the observations' %g", p.PostMu, p.PriorMu, g)
	}
}

func TestPriorsAndExpert(t *testing.T) {
	ps, err := Priors()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Logf("%s: %s | %s", p.Name, p.Snippet, p.Check)
	}
	if !strings.Contains(ps[0].Check, "published 0.80") || !strings.Contains(ps[0].Check, "Birmingham") {
		t.Errorf("it-cost-overrun check %q", ps[0].Check)
	}
	if _, err := Reference("it-cost-overun"); err == nil {
		t.Error("misspelt reference accepted")
	}
	qs, err := ParseQuantiles("10:6m,50:9m,90:25m")
	if err != nil {
		t.Fatal(err)
	}
	js, notes := FromQuantiles(qs, 0, true)
	if len(js) != 3 || js[0].Family != "metalog" || js[0].MaxError > 1e-9 {
		t.Errorf("judgements %+v notes %v", js, notes)
	}
	_, notes = FromQuantiles(qs, 0, false)
	if len(notes) == 0 {
		t.Error("no note for the invalid unbounded metalog")
	}
	for _, bad := range []string{"10:6m,5:9m", "50:9m,90:5m", "0:1,50:2", "10:6m"} {
		if _, err := ParseQuantiles(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
