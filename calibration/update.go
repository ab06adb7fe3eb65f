package calibration

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/devolve-lgr/devolve/model/dist"
)

// Tau is the case-to-case spread (sd on the log scale) of realised/projected
// ratios around their common mean, used when updating a ratio's prior on
// outturns: JUDGEMENT, set near the log-sd of the default realisation prior
// (about 0.19), rounded up because cases differ more than a single
// programme's uncertainty.
const Tau = 0.25

// Posterior is the result of updating a prior for a ratio on observed
// ratios, on the log scale.
type Posterior struct {
	// Observed ratios and their labels.
	Observed []float64 `json:"observed"`
	Labels   []string  `json:"labels"`
	// PriorMu, PriorSD: the prior of theta, the mean log ratio (moments of
	// the log of the prior distribution).
	PriorMu, PriorSD float64
	// PostMu, PostSD: theta's posterior (normal-normal conjugate update with
	// known Tau).
	PostMu, PostSD float64
	// Predictive is a new case's ratio: lognormal(PostMu, sqrt(PostSD^2 + Tau^2)).
	Predictive dist.Distribution `json:"-"`
	// ReweightMean is the predictive mean by importance reweighting of
	// 100,000 prior draws (no normal approximation of the prior), with its
	// effective sample size.
	ReweightMean float64 `json:"reweight_mean"`
	ESS          float64 `json:"ess"`
}

// UpdateRatio updates prior (a distribution of a positive ratio) on the
// observed ratios: conjugate normal-normal on the log scale, and, as a check
// free of the normal approximation, importance reweighting of prior draws.
func UpdateRatio(prior dist.Distribution, observed []float64, labels []string, seed uint64) (*Posterior, error) {
	if len(observed) == 0 {
		return nil, errors.New("no observations to update on")
	}
	for _, o := range observed {
		if !(o > 0) {
			return nil, fmt.Errorf("observed ratio %g: must be positive", o)
		}
	}
	// Moments of log X under the prior, midpoint rule on its quantiles.
	const m = 4096
	var s1, s2 float64
	for i := 0; i < m; i++ {
		l := math.Log(prior.Quantile((float64(i) + 0.5) / m))
		s1 += l
		s2 += l * l
	}
	p := &Posterior{Observed: observed, Labels: labels}
	p.PriorMu = s1 / m
	p.PriorSD = math.Sqrt(s2/m - p.PriorMu*p.PriorMu)
	prec := 1/(p.PriorSD*p.PriorSD) + float64(len(observed))/(Tau*Tau)
	sum := p.PriorMu / (p.PriorSD * p.PriorSD)
	for _, o := range observed {
		sum += math.Log(o) / (Tau * Tau)
	}
	p.PostSD = math.Sqrt(1 / prec)
	p.PostMu = sum / prec
	pred, err := dist.NewLogNormal(p.PostMu, math.Sqrt(p.PostSD*p.PostSD+Tau*Tau))
	if err != nil {
		return nil, err
	}
	p.Predictive = pred
	// Importance reweighting: theta_j = log of a prior draw; weight by the
	// likelihood of the observations; a new case adds N(0, Tau^2) on the log
	// scale, whose lognormal factor has mean exp(Tau^2/2).
	r := rand.New(rand.NewPCG(seed, 0x5e7))
	const n = 100_000
	var wsum, w2sum, wx float64
	for j := 0; j < n; j++ {
		x := prior.Sample(r)
		th := math.Log(x)
		lw := 0.0
		for _, o := range observed {
			d := (math.Log(o) - th) / Tau
			lw -= 0.5 * d * d
		}
		w := math.Exp(lw)
		wsum += w
		w2sum += w * w
		wx += w * x
	}
	p.ReweightMean = wx / wsum * math.Exp(Tau*Tau/2)
	p.ESS = wsum * wsum / w2sum
	return p, nil
}

// Summary describes the posterior in a sentence.
func (p *Posterior) Summary() string {
	q := func(d dist.Distribution) string {
		return fmt.Sprintf("median %.2f (90%%: %.2f to %.2f)", d.Quantile(0.5), d.Quantile(0.05), d.Quantile(0.95))
	}
	return fmt.Sprintf("observed %v; a new case's ratio: %s, mean %.2f (reweighting check: mean %.2f, effective sample %.0f of 100,000)",
		p.Labels, q(p.Predictive), p.Predictive.Mean(), p.ReweightMean, p.ESS)
}

// SavingsPosterior answers "given what happened in Somerset and Dorset, how
// much of a business case's savings should we expect?": EVIDENCE.md §9's
// savings-realisation prior PERT(0.5, 0.85, 1.3) (OldDefaults; not the
// shipped default, which FitDefaults already fitted on these rows) updated
// on their savings, each divided by the default phasing at its year.
// FitDefaults supersedes it: it also fits the ramp's speed.
func SavingsPosterior() (*Posterior, error) {
	rows, err := Outturns()
	if err != nil {
		return nil, err
	}
	var obs []float64
	var labels []string
	for _, o := range rows {
		if o.Measure == MeasureSavings && (o.Case == "Somerset 2023" || o.Case == "Dorset 2019") {
			y := min(max(o.Year, 1), len(SavingsPhasing))
			obs = append(obs, o.Realised/o.Projected/SavingsPhasing[y-1])
			labels = append(labels, fmt.Sprintf("%s %.2f", o.Case, o.Realised/o.Projected/SavingsPhasing[y-1]))
		}
	}
	return UpdateRatio(OldDefaults().Realisation, obs, labels, 1)
}
