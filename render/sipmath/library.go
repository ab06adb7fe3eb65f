package sipmath

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/devolve-lgr/devolve/model/engine"
	"gonum.org/v1/gonum/stat/distuv"
)

// Library is a SIPmath 3.0 library ("sipModel"), in the standard's JSON
// field names.
type Library struct {
	Name            string           `json:"name"`
	ObjectType      string           `json:"objectType"`
	LibraryType     string           `json:"libraryType"`
	DateCreated     string           `json:"dateCreated"`
	Provenance      string           `json:"provenance"`
	GlobalVariables []GlobalVariable `json:"globalVariables"`
	U01             U01              `json:"U01"`
	SIPs            []SIP            `json:"sips"`
	Version         string           `json:"version"`
}

// GlobalVariable is a named value shared by the library; here the
// copula's correlation matrix.
type GlobalVariable struct {
	Name  string            `json:"name"`
	Value CorrelationMatrix `json:"value"`
}

// CorrelationMatrix lists the lower triangle (with the diagonal) of a
// correlation matrix, entry by entry.
type CorrelationMatrix struct {
	Columns []string      `json:"columns"`
	Rows    []string      `json:"rows"`
	Matrix  []MatrixEntry `json:"matrix"`
}

// MatrixEntry is one correlation.
type MatrixEntry struct {
	Row   string  `json:"row"`
	Col   string  `json:"col"`
	Value float64 `json:"value"`
}

// U01 holds the uniform generators and the copula built on them.
type U01 struct {
	RNG    []RNG    `json:"rng"`
	Copula []Copula `json:"copula"`
}

// RNG is one HDR_2_0 stream: trial PM_Index of stream (entity, varId,
// seed3, seed4).
type RNG struct {
	Name      string  `json:"name"`
	Function  string  `json:"function"`
	Arguments HDRArgs `json:"arguments"`
}

// HDRArgs are the HDR generator's seeds.
type HDRArgs struct {
	Counter string `json:"counter"`
	Entity  int64  `json:"entity"`
	VarID   int64  `json:"varId"`
	Seed3   int64  `json:"seed3"`
	Seed4   int64  `json:"seed4"`
}

// Copula couples the RNG streams; layer i of CopulaLayer drives SIP i.
type Copula struct {
	Name        string     `json:"name"`
	Function    string     `json:"function"`
	Arguments   CopulaArgs `json:"arguments"`
	CopulaLayer []string   `json:"copulaLayer"`
}

// CopulaArgs name the correlation matrix (a global variable) and the
// streams the copula transforms, in layer order.
type CopulaArgs struct {
	CorrelationMatrix ValueRef `json:"correlationMatrix"`
	RNG               []string `json:"rng"`
}

// ValueRef refers to a value elsewhere in the library.
type ValueRef struct {
	Type  string `json:"type"`
	Value string `json:"value"`
}

// SIP is one virtual SIP: a metalog (Metalog_1_0) of a copula layer.
type SIP struct {
	Name      string      `json:"name"`
	Ref       SIPRef      `json:"ref"`
	Function  string      `json:"function"`
	Arguments MetalogArgs `json:"arguments"`
	Metadata  Metadata    `json:"metadata"`
}

// SIPRef names the uniform stream driving a SIP.
type SIPRef struct {
	Source      string `json:"source"`
	Name        string `json:"name"`
	CopulaLayer string `json:"copulaLayer,omitempty"`
}

// MetalogArgs are a metalog's a-coefficients and, for a log metalog, its
// lower bound (the quantile is lowerBound + exp(M(y))).
type MetalogArgs struct {
	LowerBound    *float64  `json:"lowerBound,omitempty"`
	ACoefficients []float64 `json:"aCoefficients"`
}

// Metadata summarises the draws a SIP was fitted to (statistics of the
// draws themselves, not of the metalog), with the fit's size and error.
type Metadata struct {
	Description string  `json:"description"`
	Units       string  `json:"units"`
	Count       int     `json:"count"`
	Mean        float64 `json:"mean"`
	Std         float64 `json:"std"`
	Min         float64 `json:"min"`
	P5          float64 `json:"P5"`
	P25         float64 `json:"P25"`
	P50         float64 `json:"P50"`
	P75         float64 `json:"P75"`
	P95         float64 `json:"P95"`
	Max         float64 `json:"max"`
	// Density is the metalog's density at 25 equally spaced values from
	// its 0.1th to its 99.9th percentile (DensityFrom to DensityTo).
	Density     []float64 `json:"density"`
	DensityFrom float64   `json:"densityFrom"`
	DensityTo   float64   `json:"densityTo"`
	// Boundedness is "u" (unbounded) or "sl" (bounded below), as in
	// PySIPmath; Terms the number of metalog terms; FitMaxError the
	// largest gap between the fitted and the draws' quantiles on the
	// fitting grid (percentiles 0.5 to 99.5), in Units.
	Boundedness string  `json:"boundedness"`
	Terms       int     `json:"terms"`
	FitMaxError float64 `json:"fitMaxError"`
}

// Output is one output's draws to export.
type Output struct {
	Name, Description, Units string
	// Positive marks an output positive by construction (a cost, a ratio):
	// it gets a log metalog bounded below at 0 where that fits its draws
	// better than an unbounded one.
	Positive bool
	// Draws are every trial's values, in trial order; every Output must
	// have the same number of trials.
	Draws []float64
}

// Manifest identifies the run a library comes from.
type Manifest struct {
	Scenario, ScenarioSHA256, Version string
	Seed                              uint64
	Iterations                        int
	Created                           time.Time
}

// MinTrials is the fewest trials a library is made from.
const MinTrials = 100

// Fitting grid: the draws' quantiles at 0.5%, 1%, ..., 99.5%.
const gridSteps = 200

// HDREntity is the HDR entity of devolve's libraries; stream i (1-based,
// in output order) has varId i, seed3 and seed4 0.
const HDREntity = 1

// New fits a library to outputs. Trials in which any output is not finite
// (a payback that never happens, an undefined ratio) are left out of the
// fit and of the correlations; an error is returned when fewer than
// MinTrials remain or no metalog of up to MaxTerms terms fits an output.
func New(m Manifest, outs []Output) (*Library, error) {
	if len(outs) == 0 {
		return nil, fmt.Errorf("sipmath: no outputs")
	}
	n := len(outs[0].Draws)
	for _, o := range outs {
		if len(o.Draws) != n {
			return nil, fmt.Errorf("sipmath: output %s has %d trials, want %d", o.Name, len(o.Draws), n)
		}
	}
	// Trials where every output is finite.
	var keep []int
	for t := 0; t < n; t++ {
		ok := true
		for _, o := range outs {
			if v := o.Draws[t]; math.IsNaN(v) || math.IsInf(v, 0) {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, t)
		}
	}
	if len(keep) < MinTrials {
		return nil, fmt.Errorf("sipmath: %d trials with every output finite; a library needs at least %d", len(keep), MinTrials)
	}
	cols := make([][]float64, len(outs))
	for i, o := range outs {
		c := make([]float64, len(keep))
		for j, t := range keep {
			c[j] = o.Draws[t]
		}
		cols[i] = c
	}

	lib := &Library{
		Name: m.Scenario, ObjectType: "sipModel", LibraryType: "SIPmath_3_0",
		DateCreated: m.Created.UTC().Format("2006-01-02"),
		Provenance: fmt.Sprintf("devolve %s: scenario %q (sha256 %s), seed %d, %d iterations; metalogs fitted to the draws' percentiles 0.5%%-99.5%%, Gaussian copula on their normal scores",
			m.Version, m.Scenario, m.ScenarioSHA256, m.Seed, m.Iterations),
		Version: "1",
	}
	names := make([]string, len(outs))
	rngs := make([]string, len(outs))
	layers := make([]string, len(outs))
	for i, o := range outs {
		names[i], rngs[i], layers[i] = o.Name, "hdr"+strconv.Itoa(i+1), "c"+strconv.Itoa(i+1)
		lib.U01.RNG = append(lib.U01.RNG, RNG{Name: rngs[i], Function: "HDR_2_0",
			Arguments: HDRArgs{Counter: "PM_Index", Entity: HDREntity, VarID: int64(i + 1)}})
	}
	lib.U01.Copula = []Copula{{Name: "Gaussian", Function: "GaussianCopula",
		Arguments:   CopulaArgs{CorrelationMatrix: ValueRef{Type: "globalVariables", Value: "correlationMatrix"}, RNG: rngs},
		CopulaLayer: layers}}
	corr := normalScoreCorrelation(cols)
	cm := CorrelationMatrix{Columns: names, Rows: names}
	for i := range names {
		for j := 0; j <= i; j++ {
			cm.Matrix = append(cm.Matrix, MatrixEntry{Row: names[i], Col: names[j], Value: corr[i][j]})
		}
	}
	lib.GlobalVariables = []GlobalVariable{{Name: "correlationMatrix", Value: cm}}

	p := make([]float64, gridSteps-1)
	for i := range p {
		p[i] = float64(i+1) / gridSteps
	}
	sc := new(engine.Scratch)
	for i, o := range outs {
		x := cols[i]
		q := sc.Quantiles(x, p)
		fit := Fit{A: []float64{x[0]}} // a constant output: a one-term metalog
		if slices.Min(x) < slices.Max(x) {
			var err error
			if fit, err = fitBest(p, q, o.Positive); err != nil {
				return nil, fmt.Errorf("%s: %w", o.Name, err)
			}
		}
		st := sc.Summarize(x)
		qs := sc.Quantiles(x, []float64{0.25, 0.75})
		md := Metadata{Description: o.Description, Units: o.Units, Count: len(x), Mean: st.Mean, Std: st.SD,
			Min: slices.Min(x), P5: st.P5, P25: qs[0], P50: st.P50, P75: qs[1], P95: st.P95, Max: slices.Max(x),
			Boundedness: "u", Terms: len(fit.A), FitMaxError: fit.MaxError}
		args := MetalogArgs{ACoefficients: fit.A}
		if fit.Log {
			zero := 0.0
			args.LowerBound, md.Boundedness = &zero, "sl"
		}
		md.DensityFrom, md.DensityTo = fit.Quantile(0.001), fit.Quantile(0.999)
		for k := 0; k < 25 && len(fit.A) > 1; k++ {
			v := md.DensityFrom + (md.DensityTo-md.DensityFrom)*float64(k)/24
			md.Density = append(md.Density, 1/fit.Slope(fit.cdfAt(v)))
		}
		lib.SIPs = append(lib.SIPs, SIP{Name: o.Name, Ref: SIPRef{Source: "copula", Name: "Gaussian", CopulaLayer: layers[i]},
			Function: "Metalog_1_0", Arguments: args, Metadata: md})
	}
	return lib, nil
}

// normalScoreCorrelation is the Pearson correlation of the columns' normal
// scores, Phi^-1(rank/(n+1)): the correlation parameter of a Gaussian
// copula fitted by ranks (van der Waerden scores). The result is a
// correlation matrix (positive semi-definite, unit diagonal) by
// construction. A constant column is uncorrelated with the others.
func normalScoreCorrelation(cols [][]float64) [][]float64 {
	n := len(cols[0])
	std := distuv.UnitNormal
	z := make([][]float64, len(cols))
	idx := make([]int, n)
	for i, c := range cols {
		for t := range idx {
			idx[t] = t
		}
		// By value, ties in trial order.
		slices.SortFunc(idx, func(a, b int) int { return cmp.Or(cmp.Compare(c[a], c[b]), a-b) })
		z[i] = make([]float64, n)
		for r, t := range idx {
			z[i][t] = std.Quantile(float64(r+1) / float64(n+1))
		}
	}
	out := make([][]float64, len(cols))
	for i := range z {
		out[i] = make([]float64, len(cols))
		for j := 0; j <= i; j++ {
			if i == j {
				out[i][j] = 1
				continue
			}
			if constant(cols[i]) || constant(cols[j]) {
				continue
			}
			// Scores are the same multiset for every column: equal means
			// (0 by symmetry) and variances, so correlation = sum / sum of squares.
			var sxy, sxx, syy float64
			for t := 0; t < n; t++ {
				sxy += z[i][t] * z[j][t]
				sxx += z[i][t] * z[i][t]
				syy += z[j][t] * z[j][t]
			}
			out[i][j] = sxy / math.Sqrt(sxx*syy)
			out[j][i] = out[i][j]
		}
	}
	return out
}

func constant(x []float64) bool { return slices.Min(x) == slices.Max(x) }

// Write writes the library as indented JSON.
func Write(w io.Writer, lib *Library) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(lib); err != nil {
		return fmt.Errorf("sipmath: %w", err)
	}
	return nil
}
