package lgr

import (
	"math"

	"github.com/devolve-lgr/devolve/model/engine"
)

// OptionSummary is one option of a comparison.
type OptionSummary struct {
	Name              string      `json:"name"`
	Source            string      `json:"source"`
	NPV               Stat        `json:"npv"`
	OneOffCost        Stat        `json:"one_off_cost"`
	SteadyStateSaving Stat        `json:"steady_state_saving"`
	PaybackYears      PaybackStat `json:"payback_years"`
}

// YearDiff is the per-year difference fan of net cash flow, B - A.
type YearDiff struct {
	Year int `json:"year"`
	Band
}

// PairSummary compares option B with option A on the same trials.
type PairSummary struct {
	A string `json:"a"`
	B string `json:"b"`
	// DiffNPV summarises NPV_B - NPV_A trial by trial.
	DiffNPV Stat `json:"diff_npv"`
	// IndependentHalfwidth is the 95% half-width of the mean difference had
	// the options been run independently: 1.96 sqrt(sd_A^2/n + sd_B^2/n);
	// PairedHalfwidth is 1.96 sd(NPV_B - NPV_A)/sqrt(n) on common random numbers.
	IndependentHalfwidth float64 `json:"independent_halfwidth"`
	PairedHalfwidth      float64 `json:"paired_halfwidth"`
	// PBBetter is P(NPV_B > NPV_A), PBBetterMCSE its Monte Carlo
	// standard error sqrt(p(1-p)/n); PTie is P(NPV_B = NPV_A) (1 for
	// identical options, which draw the same values on common random
	// numbers).
	PBBetter     float64    `json:"p_b_better"`
	PBBetterMCSE float64    `json:"p_b_better_mcse"`
	PTie         float64    `json:"p_tie"`
	Years        []YearDiff `json:"years"`
}

// Comparison is the result of comparing options on common random numbers.
type Comparison struct {
	Options []OptionSummary `json:"options"`
	Pairs   []PairSummary   `json:"pairs"`
	// PRankFirst is, per option, the share of trials in which its NPV is
	// the highest; a trial where k options tie for the highest counts 1/k
	// to each (identical options rank first equally, not 100% and 0%).
	PRankFirst map[string]float64 `json:"p_rank_first"`
	// PRankFirstMCSE are those shares' Monte Carlo standard errors.
	PRankFirstMCSE map[string]float64 `json:"p_rank_first_mcse"`
}

// Compare summarises runs of several options made with the same seed and
// iteration count (inputs shared by name draw the same values).
func Compare(names, sources []string, runs []*Result) Comparison {
	var c Comparison
	n := len(runs[0].Draws("npv"))
	for i, r := range runs {
		s := r.Summarize()
		c.Options = append(c.Options, OptionSummary{names[i], sources[i], s.NPV, s.OneOffCost, s.SteadyStateSaving, s.PaybackYears})
	}
	sc := new(engine.Scratch)
	diff := make([]float64, n)
	for i := range runs {
		for j := i + 1; j < len(runs); j++ {
			a, b := runs[i].Draws("npv"), runs[j].Draws("npv")
			better, tie := 0, 0
			for t := range diff {
				diff[t] = b[t] - a[t]
				switch {
				case b[t] > a[t]:
					better++
				case b[t] == a[t]:
					tie++
				}
			}
			st := toStat(sc.Summarize(diff))
			sa, sb := c.Options[i].NPV.SD, c.Options[j].NPV.SD
			p := PairSummary{A: names[i], B: names[j], DiffNPV: st,
				IndependentHalfwidth: 1.96 * math.Sqrt(sa*sa/float64(n)+sb*sb/float64(n)),
				PairedHalfwidth:      1.96 * st.SD / math.Sqrt(float64(n)),
				PBBetter:             float64(better) / float64(n),
				PTie:                 float64(tie) / float64(n)}
			p.PBBetterMCSE = engine.ProbabilityMCSE(p.PBBetter, n)
			p.Years = yearDiffs(sc, runs[i], runs[j])
			c.Pairs = append(c.Pairs, p)
		}
	}
	first := make([]float64, len(runs))
	npv := make([][]float64, len(runs))
	for i, r := range runs {
		npv[i] = r.Draws("npv")
	}
	for t := 0; t < n; t++ {
		best, k := math.Inf(-1), 0
		for i := range runs {
			switch v := npv[i][t]; {
			case v > best:
				best, k = v, 1
			case v == best:
				k++
			}
		}
		for i := range runs {
			if npv[i][t] == best {
				first[i] += 1 / float64(k)
			}
		}
	}
	c.PRankFirst = map[string]float64{}
	c.PRankFirstMCSE = map[string]float64{}
	for i, name := range names {
		c.PRankFirst[name] += first[i] / float64(n)
	}
	for name, p := range c.PRankFirst {
		c.PRankFirstMCSE[name] = engine.ProbabilityMCSE(p, n)
	}
	return c
}

// yearDiffs is the fan of net(B) - net(A) by year over the sampled trials,
// for the years both options appraise.
func yearDiffs(sc *engine.Scratch, a, b *Result) []YearDiff {
	years := min(a.C.Years, b.C.Years)
	m := min(a.Raw.SampleN, b.Raw.SampleN)
	d := make([]float32, m)
	var out []YearDiff
	for t := 0; t < years; t++ {
		na, nb := a.Net(t), b.Net(t)
		for i := range d {
			d[i] = nb[i] - na[i]
		}
		mean := b.Raw.Mean[b.C.OutNet+t] - a.Raw.Mean[a.C.OutNet+t]
		// The difference's sd from the sampled trials; its mean is over
		// every trial.
		s1, s2 := 0.0, 0.0
		for _, v := range d {
			s1 += float64(v)
			s2 += float64(v) * float64(v)
		}
		sd := math.Sqrt(max(0, s2-s1*s1/float64(m)) / float64(max(1, m-1)))
		out = append(out, YearDiff{t, band(sc, d, mean, sd/math.Sqrt(float64(a.Raw.Iterations)))})
	}
	return out
}
