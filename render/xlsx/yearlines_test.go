package xlsx

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

// TestYearLinesSheetIndependentReader: the workbook of a run with lines
// has a "By year" sheet that openpyxl (sharing no code with excelize) reads
// as numbers, whose rows reconcile: each year's net is gross savings less
// gross costs, the cashable lines add up to the totals, the successors too,
// and the net equals the summary's net cash flow by year.
func TestYearLinesSheetIndependentReader(t *testing.T) {
	py := python(t)
	ld, err := scenarios.Load("suffolk-two")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ld.Compile()
	if err != nil {
		t.Fatal(err)
	}
	c = c.WithLineYears()
	res, err := c.Run(context.Background(), engine.Options{Iterations: 3000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	yl, err := res.YearLines(lgr.Real, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	rep := &report.RunReport{Scenario: ld.Scenario.Name, Source: ld.Source, Version: "test", Seed: 3, Iterations: 3000,
		ScenarioSHA256: ld.SHA256, PriceBase: ld.Scenario.PriceBase, Horizon: c.Years - 1, Summary: res.Summarize(), YearLines: yl}
	var buf bytes.Buffer
	if err := WriteRun(&buf, rep, res, Options{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Sheets []string
		Panes  map[string]*string
		Rows   []struct {
			Section, Name, Measure string
			Year                   float64
			Values                 []float64
			Types                  []string
			Prices                 string
		} `json:"by_year"`
	}
	openpyxl(t, py, buf.Bytes(), &got)
	if p := got.Panes["By year"]; p == nil || *p != "A2" {
		t.Errorf("By year: frozen pane %v", p)
	}
	type key struct {
		year    int
		measure string
	}
	total, lines, succ := map[key]float64{}, map[key]float64{}, map[key]float64{}
	for _, r := range got.Rows {
		for i, ty := range r.Types {
			if ty != "n" {
				t.Fatalf("%s %s %s year %v: column %d has type %q", r.Section, r.Name, r.Measure, r.Year, i, ty)
			}
		}
		k := key{int(r.Year), r.Measure}
		switch r.Section {
		case "Total":
			total[k] = r.Values[0]
		case "Successor":
			succ[k] += r.Values[0]
		case "Line":
			switch r.Measure {
			case "cost":
				lines[key{k.year, "gross costs"}] += r.Values[0]
			case "saving":
				lines[key{k.year, "gross savings"}] += r.Values[0]
			}
		}
	}
	scale := 1.0
	for _, v := range total {
		scale = math.Max(scale, math.Abs(v))
	}
	if len(rep.Summary.Years) != c.Years {
		t.Fatal("summary years")
	}
	for y := 0; y < c.Years; y++ {
		cost, save, net := total[key{y, "gross costs"}], total[key{y, "gross savings"}], total[key{y, "net"}]
		for _, chk := range []struct {
			what      string
			got, want float64
		}{
			{"savings - costs", save - cost, net},
			{"summary net", rep.Summary.Years[y].Net.Mean, net},
			{"lines' costs", lines[key{y, "gross costs"}], cost},
			{"lines' savings", lines[key{y, "gross savings"}], save},
			{"successors' costs", succ[key{y, "gross costs"}], cost},
			{"successors' net", succ[key{y, "net"}], net},
		} {
			if math.Abs(chk.got-chk.want) > 1e-6*scale {
				t.Errorf("year %d: %s %.2f, want %.2f", y, chk.what, chk.got, chk.want)
			}
		}
	}
}

// TestCompareYearLinesSheet: a comparison with lines has a "By year" sheet
// holding each option's rows under its own name, read back by openpyxl,
// each option's net the savings less the costs.
func TestCompareYearLinesSheet(t *testing.T) {
	py := python(t)
	var names, sources []string
	var runs []*lgr.Result
	var yls []*lgr.YearLines
	for _, name := range []string{"suffolk", "suffolk-two"} {
		ld, err := scenarios.Load(name)
		if err != nil {
			t.Fatal(err)
		}
		c, err := ld.Compile()
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.WithLineYears().Run(context.Background(), engine.Options{Iterations: 1500, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		yl, err := res.YearLines(lgr.Real, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		names, sources = append(names, ld.Scenario.Name), append(sources, ld.Source)
		runs, yls = append(runs, res), append(yls, yl)
	}
	rep := &report.CompareReport{Version: "test", Seed: 3, Iterations: 1500, ScenarioSHA256: []string{"a", "b"},
		Comparison: lgr.Compare(names, sources, runs), YearLines: yls}
	var buf bytes.Buffer
	if err := WriteCompare(&buf, rep); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows []struct {
			Section, Measure string
			Year             float64
			Values           []float64
		} `json:"by_year"`
	}
	openpyxl(t, py, buf.Bytes(), &got)
	for i, name := range names {
		tot := map[string]map[int]float64{}
		for _, r := range got.Rows {
			if r.Section == name+": Total" {
				if tot[r.Measure] == nil {
					tot[r.Measure] = map[int]float64{}
				}
				tot[r.Measure][int(r.Year)] = r.Values[0]
			}
		}
		if len(tot["net"]) != len(yls[i].Years) {
			t.Fatalf("%s: %d net rows, want %d", name, len(tot["net"]), len(yls[i].Years))
		}
		for y, net := range tot["net"] {
			if d := tot["gross savings"][y] - tot["gross costs"][y] - net; math.Abs(d) > 1e-6*math.Max(1, math.Abs(net)) || math.Abs(net-yls[i].Years[y].Net.Mean) > 1e-9*math.Max(1, math.Abs(net)) {
				t.Errorf("%s year %d: savings - costs - net = %g; net %g, run %g", name, y, d, net, yls[i].Years[y].Net.Mean)
			}
		}
	}
}
