package lgr

import (
	"math"
	"slices"
	"sort"

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
	// PNPVPositive is P(NPV > 0), PNPVPositiveMCSE its Monte Carlo
	// standard error (as Summary has them).
	PNPVPositive     float64 `json:"p_npv_positive"`
	PNPVPositiveMCSE float64 `json:"p_npv_positive_mcse"`
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
	// Judgement is the part of the mean difference that comes from lines
	// resting on inputs the scenarios mark JUDGEMENT (nil: none does).
	Judgement *JudgementGap `json:"judgement,omitempty"`
}

// GapLine is one line's part in the difference of mean NPV, B - A.
type GapLine struct {
	Label string `json:"label"`
	// Path is the line's key path in option B's file (A's if B lacks it).
	Path string `json:"path"`
	// Contribution is the line's mean contribution to NPV_B - NPV_A, £.
	Contribution float64 `json:"contribution"`
	// Judgement names, by key path, the line's inputs marked JUDGEMENT,
	// and Source the note on the first of them.
	Judgement []string `json:"judgement_inputs"`
	Source    string   `json:"source"`
}

// JudgementGap is how much of a difference of mean NPV rests on inputs
// marked JUDGEMENT: the lines that draw on them, largest part first.
type JudgementGap struct {
	Lines []GapLine `json:"lines"`
	// FromJudgement is the sum of those lines' contributions, £.
	FromJudgement float64 `json:"from_judgement"`
	// LargestShare is the largest line's |contribution| over |mean
	// difference|; Drives is true when it is at least DrivesShare.
	LargestShare float64 `json:"largest_share"`
	Drives       bool    `json:"drives"`
}

// DrivesShare is the share of a mean difference one judgement line must
// make up for a comparison to warn that judgement drives it: a quarter,
// large enough that a different judgement could plausibly close the gap.
const DrivesShare = 0.25

// judgementGap decomposes the mean NPV difference B - A by line (NPV is
// the sum of each cashable line's signed present value) and keeps the lines
// resting on JUDGEMENT inputs.
func judgementGap(a, b *Result, diff float64) *JudgementGap {
	type part struct{ GapLine }
	parts := map[string]*part{}
	var order []string
	add := func(r *Result, sign float64) {
		c := r.C
		owned := c.LineInputs()
		for l, ln := range c.Lines {
			p, ok := parts[ln.Name]
			if !ok {
				p = &part{GapLine: GapLine{Label: ln.Label}}
				parts[ln.Name] = p
				order = append(order, ln.Name)
			}
			p.Path = ln.Path
			p.Contribution += sign * ln.npvSign() * r.Raw.Mean[c.OutLine+l]
			for _, j := range owned[l] {
				if in := c.Inputs[j]; in.Judgement && !slices.Contains(p.Judgement, in.Path) {
					p.Judgement = append(p.Judgement, in.Path)
					if p.Source == "" {
						p.Source = in.Source
					}
				}
			}
		}
	}
	add(a, -1)
	add(b, 1)
	g := &JudgementGap{}
	for _, name := range order {
		if p := parts[name]; len(p.Judgement) > 0 && p.Contribution != 0 {
			g.Lines = append(g.Lines, p.GapLine)
			g.FromJudgement += p.Contribution
		}
	}
	if len(g.Lines) == 0 {
		return nil
	}
	sort.SliceStable(g.Lines, func(i, j int) bool { return math.Abs(g.Lines[i].Contribution) > math.Abs(g.Lines[j].Contribution) })
	if diff != 0 {
		g.LargestShare = math.Abs(g.Lines[0].Contribution) / math.Abs(diff)
	}
	g.Drives = g.LargestShare >= DrivesShare
	return g
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
		c.Options = append(c.Options, OptionSummary{names[i], sources[i], s.NPV, s.OneOffCost, s.SteadyStateSaving, s.PaybackYears, s.PNPVPositive, s.PNPVPositiveMCSE})
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
			p.Judgement = judgementGap(runs[i], runs[j], st.Mean)
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
