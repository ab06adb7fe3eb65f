package main

import (
	"fmt"
	"math"

	"github.com/devolve-lgr/devolve/internal/rtest"
	"gonum.org/v1/gonum/stat/distuv"
)

// referenceRAtMedians computes model R (shared/bench/REFERENCE_MODEL.md) by
// hand with every input at its median: lognormal medians are sqrt(lo*hi);
// PERT medians from gonum's Beta quantile; E = 3; O the mixture median found
// by bisection on its CDF; r the triangular median; W 45k; R 30k; T sqrt(15m*45m).
func referenceRAtMedians() float64 {
	cats, err := rtest.Categories("../../scenarios/testdata/reference_r_categories.csv")
	if err != nil || len(cats) != 14 {
		panic(fmt.Sprintf("reference R table: %v", err))
	}
	z := 1.6448536269514722
	ln := func(lo, hi float64) distuv.LogNormal {
		return distuv.LogNormal{Mu: (math.Log(lo) + math.Log(hi)) / 2, Sigma: (math.Log(hi) - math.Log(lo)) / (2 * z)}
	}
	swan, body := ln(1, 4), ln(0.9, 1.6)
	cdf := func(x float64) float64 { return 0.17*swan.CDF(x-1) + 0.83*body.CDF(x) }
	lo, hi := 0.0, 20.0
	for i := 0; i < 200; i++ {
		if mid := (lo + hi) / 2; cdf(mid) < 0.5 {
			lo = mid
		} else {
			hi = mid
		}
	}
	O := (lo + hi) / 2
	// triangular(0.04, 0.08, 0.15) median: mode <= midpoint mass? F(mode) = 4/11 < 0.5.
	a, c, b := 0.04, 0.08, 0.15
	r := b - math.Sqrt(0.5*(b-a)*(b-c))
	W, R, T, F, E := 45000.0, 30000.0, math.Sqrt(15e6*45e6), 2400.0, 3
	net := make([]float64, 11)
	for _, k := range cats {
		d := k.Before - 1
		L := math.Sqrt(k.LicenceP5 * k.LicenceP95)
		span := k.MigrationMax - k.MigrationMin
		beta := distuv.Beta{Alpha: 1 + 4*(k.MigrationMode-k.MigrationMin)/span, Beta: 1 + 4*(k.MigrationMax-k.MigrationMode)/span}
		C := k.MigrationMin + span*beta.Quantile(0.5)
		for t := 1; t <= 10; t++ {
			if t >= E {
				net[t] += d * L
			}
			if t <= E {
				net[t] -= d * C * O / float64(E)
			}
		}
	}
	for t := 1; t <= 10; t++ {
		net[t] += F * r * W * math.Min(1, float64(t)/3)
	}
	net[1] -= F * r * R
	net[0] -= 0.6 * T
	net[1] -= 0.4 * T
	npv := 0.0
	for t, v := range net {
		npv += v * math.Pow(1.035, -float64(t))
	}
	return npv
}
