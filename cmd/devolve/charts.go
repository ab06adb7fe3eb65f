package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
)

// sensitivityFigures are the tornado and Sobol charts of a sensitivity
// report (whichever of the two it holds).
func sensitivityFigures(rep *report.SensitivityReport) []chart.Figure {
	var sw []chart.Swing
	for _, r := range rep.Tornado {
		sw = append(sw, chart.Swing{Name: rep.Label(r.Input), Low: r.Low, High: r.High, Base: r.Base})
	}
	var idx []chart.Index
	for _, r := range rep.Sobol {
		idx = append(idx, chart.Index{Name: rep.Label(r.Input), S1: r.S1, S1Lo: r.S1Lo, S1Hi: r.S1Hi, ST: r.ST, STLo: r.STLo, STHi: r.STHi})
	}
	return chart.SensitivityFigures(rep.Output, sw, idx)
}

// fixFlag returns the parser of one --fix NAME=VALUE into *fix.
func fixFlag(fix *map[string]float64) func(string) error {
	return func(s string) error {
		name, val, ok := strings.Cut(s, "=")
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if !ok || name == "" || err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("want NAME=VALUE with a finite number (got %q)", s)
		}
		if *fix == nil {
			*fix = map[string]float64{}
		}
		(*fix)[strings.TrimSpace(name)] = v
		return nil
	}
}
