package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/report"
)

// precisionOutputs are the outputs --precision-output accepts (the
// headline outputs whose every draw a run counts or keeps).
var precisionOutputs = append(headlinesBut(lgr.PaybackYears), lgr.PaybackYears.String())

// headlinesBut returns the headline output names in model order, less
// those given.
func headlinesBut(skip ...lgr.Headline) []string {
	var names []string
	for _, h := range lgr.Headlines {
		if !slices.Contains(skip, h) {
			names = append(names, h.String())
		}
	}
	return names
}

// precisionStats maps --precision-stat to the engine's statistic and a
// percentile level.
var precisionStats = map[string]struct {
	stat  engine.Statistic
	level float64
}{
	"mean": {engine.StatMean, 0}, "p5": {engine.StatQuantile, 0.05}, "p10": {engine.StatQuantile, 0.10},
	"p50": {engine.StatQuantile, 0.50}, "p90": {engine.StatQuantile, 0.90}, "p95": {engine.StatQuantile, 0.95},
	"prob-positive": {engine.StatProbAbove, 0},
}

// flagSet reports whether the named flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// parsePrecision reads a --precision target: "0.5%" is relative (0.005 of
// the statistic), anything else absolute in the output's units, with an
// optional leading £ and a k, m or bn multiplier ("£1m", "250k", "0.01").
func parsePrecision(s string) (abs, rel float64, err error) {
	t := strings.TrimSpace(s)
	if v, ok := strings.CutSuffix(t, "%"); ok {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(f > 0) || math.IsInf(f, 0) {
			return 0, 0, fmt.Errorf("must be a positive percentage such as 0.5%% (got %q)", s)
		}
		return 0, f / 100, nil
	}
	t = strings.TrimPrefix(t, "£")
	mult := 1.0
	lower := strings.ToLower(t)
	for _, m := range []struct {
		suffix string
		mult   float64
	}{{"bn", 1e9}, {"m", 1e6}, {"k", 1e3}} {
		if v, ok := strings.CutSuffix(lower, m.suffix); ok {
			lower, mult = v, m.mult
			break
		}
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(lower), 64)
	if err != nil || !(f > 0) || math.IsInf(f, 0) {
		return 0, 0, fmt.Errorf("must be a positive amount such as £1m, 250k or 0.01, or a percentage such as 0.5%% (got %q)", s)
	}
	return f * mult, 0, nil
}

// verifyPrecision checks the precision and percentile-method flags.
func (o *runOptions) verifyPrecision() []error {
	var errs []error
	switch o.percentiles {
	case "auto", "kept", "second-pass":
	default:
		errs = append(errs, fmt.Errorf("--exact-percentiles: must be auto, kept or second-pass (got %q)", o.percentiles))
	}
	if o.percentiles == "second-pass" && o.draws {
		errs = append(errs, errors.New("--draws writes every trial, so it needs the kept draws; drop --exact-percentiles=second-pass"))
	}
	if _, ok := precisionStats[o.precisionStat]; !ok {
		errs = append(errs, fmt.Errorf("--precision-stat: must be mean, p5, p10, p50, p90, p95 or prob-positive (got %q)", o.precisionStat))
	}
	if !containsString(precisionOutputs, o.precisionOutput) {
		errs = append(errs, fmt.Errorf("--precision-output: must be one of %s (got %q)", strings.Join(precisionOutputs, ", "), o.precisionOutput))
	}
	if o.maxIterations <= 0 || o.maxIterations > maxIterations {
		errs = append(errs, fmt.Errorf("--max-iterations: must be between 1 and %d (got %d)", maxIterations, o.maxIterations))
	}
	if o.precision == "" {
		return errs
	}
	if _, _, err := parsePrecision(o.precision); err != nil {
		errs = append(errs, fmt.Errorf("--precision: %w", err))
	}
	if o.iterationsSet {
		errs = append(errs, errors.New("--iterations: with --precision the run decides how many trials to do; bound them with --max-iterations"))
	}
	if o.deterministic {
		errs = append(errs, errors.New("--precision: a deterministic run has no Monte Carlo error"))
	}
	if ps := precisionStats[o.precisionStat]; ps.stat == engine.StatQuantile && o.percentiles == "second-pass" {
		errs = append(errs, fmt.Errorf("--precision-stat %s: a percentile target is checked on the kept draws; use --exact-percentiles=kept or auto", o.precisionStat))
	}
	return errs
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// engineOptions sets the precision rule and the percentile method.
func (o *runOptions) engineOptions(c *lgr.Compiled, opt *engine.Options) error {
	keptBytes := float64(opt.Iterations) * 48
	switch o.percentiles {
	case "second-pass":
		opt.Percentiles = engine.SecondPass
	case "auto":
		switch {
		case o.draws:
		case o.precision != "":
			// The stop is not known in advance: keep draws up to the
			// threshold, counting for a second pass in case the run goes
			// past it (a percentile rule keeps them all).
			opt.Percentiles, opt.KeepLimit = engine.Auto, keptThreshold/48
		case keptBytes > keptThreshold:
			opt.Percentiles = engine.SecondPass
		}
	}
	if o.precision == "" {
		return nil
	}
	abs, rel, _ := parsePrecision(o.precision)
	_, out := c.HeadlineIndex(o.precisionOutput)
	ps := precisionStats[o.precisionStat]
	if limit, why := memoryBudget(); ps.stat == engine.StatQuantile && keptBytes > float64(limit) {
		return fmt.Errorf("--max-iterations: a percentile target keeps every draw, %s for %d trials (limit %s: %s); lower --max-iterations or target the mean",
			engine.FormatBytes(int64(keptBytes)), opt.Iterations, engine.FormatBytes(limit), why)
	}
	opt.Precision = &engine.Precision{Output: out, Stat: ps.stat, Level: ps.level, Abs: abs, Rel: rel}
	return nil
}

// describeRun records how the run stopped and how its percentiles were found.
func (o *runOptions) describeRun(rep *report.RunReport, res *lgr.Result) {
	raw := res.Raw
	rep.StoppedBy = string(raw.Stop.Rule)
	rep.PercentileMethod = "kept"
	if raw.Kept == nil {
		rep.PercentileMethod = "second-pass"
	}
	rep.Passes = raw.Passes
	if o.precision == "" {
		return
	}
	st := raw.Stop
	rep.Precision = &report.PrecisionReport{Target: o.precision, Statistic: o.precisionStat, Output: o.precisionOutput,
		MaxIterations: o.maxIterations, Estimate: st.Estimate, Lo: st.Lo, Hi: st.Hi, HalfWidth: st.HalfWidth,
		TargetHalfWidth: st.Target, Reached: st.Rule == engine.StopPrecision, Checks: st.Checks,
		Trials: raw.Iterations, Finite: st.Finite}
}
