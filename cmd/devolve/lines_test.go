package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/devolve-lgr/devolve/model/dist"
	"github.com/devolve-lgr/devolve/render/report"
)

type bandJSON struct {
	Mean, P5, P50, P95 float64
}

type yearLinesDoc struct {
	Seed       uint64 `json:"seed"`
	Iterations int    `json:"iterations"`
	Summary    struct {
		Years []struct {
			Year int      `json:"year"`
			Net  bandJSON `json:"net"`
		} `json:"years"`
	} `json:"summary"`
	YearLines struct {
		Prices    string `json:"prices"`
		Inflation string `json:"inflation"`
		Years     []struct {
			Year                int `json:"year"`
			CalendarYear        int `json:"calendar_year"`
			Costs, Savings, Net bandJSON
		} `json:"years"`
		Successors []struct {
			Name                string
			Costs, Savings, Net []bandJSON
		} `json:"by_successor"`
		Lines []struct {
			Name     string
			Kind     string
			Cashable bool
			Years    []bandJSON
		} `json:"by_line"`
	} `json:"year_lines"`
}

func runLines(t *testing.T, args ...string) yearLinesDoc {
	t.Helper()
	code, out, stderr := runCLI(t, context.Background(), append([]string{"run", "suffolk-two", "--lines", "--format", "json", "--quiet", "--seed", "5"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc yearLinesDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestRunLinesReconcile: run --lines gives, for every year, gross costs and
// savings whose difference is the net, and whose net is the summary's net
// cash flow (computed by the engine on its own route); the lines' means
// add up to the totals and the successors' to the totals; every band is
// ordered P5 <= P50 <= P95.
func TestRunLinesReconcile(t *testing.T) {
	doc := runLines(t, "--iterations", "4000")
	yl := doc.YearLines
	if yl.Prices != "real" || len(yl.Years) != len(doc.Summary.Years) || len(yl.Years) == 0 || len(yl.Successors) != 2 {
		t.Fatalf("year_lines: prices %q, %d years (summary %d), %d successors", yl.Prices, len(yl.Years), len(doc.Summary.Years), len(yl.Successors))
	}
	scale := 1.0
	for _, y := range yl.Years {
		scale = math.Max(scale, y.Costs.Mean+y.Savings.Mean)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-6*scale }
	for t0, y := range yl.Years {
		if !near(y.Savings.Mean-y.Costs.Mean, y.Net.Mean) || !near(y.Net.Mean, doc.Summary.Years[t0].Net.Mean) {
			t.Errorf("year %d: savings %.0f - costs %.0f = %.0f; lines' net %.0f; summary net %.0f", t0, y.Savings.Mean, y.Costs.Mean,
				y.Savings.Mean-y.Costs.Mean, y.Net.Mean, doc.Summary.Years[t0].Net.Mean)
		}
		// The fan trials' percentiles of net are the same draws as the summary's.
		if math.Abs(y.Net.P50-doc.Summary.Years[t0].Net.P50) > 1e-3*scale {
			t.Errorf("year %d: lines' net P50 %.0f, summary's %.0f", t0, y.Net.P50, doc.Summary.Years[t0].Net.P50)
		}
		var cost, save, sc, ss float64
		for _, l := range yl.Lines {
			if !l.Cashable {
				continue
			}
			if l.Kind == "saving" {
				save += l.Years[t0].Mean
			} else {
				cost += l.Years[t0].Mean
			}
		}
		for _, s := range yl.Successors {
			sc += s.Costs[t0].Mean
			ss += s.Savings[t0].Mean
		}
		if !near(cost, y.Costs.Mean) || !near(save, y.Savings.Mean) || !near(sc, y.Costs.Mean) || !near(ss, y.Savings.Mean) {
			t.Errorf("year %d: lines cost %.0f save %.0f, successors cost %.0f save %.0f, totals %.0f %.0f", t0, cost, save, sc, ss, y.Costs.Mean, y.Savings.Mean)
		}
		for _, b := range []bandJSON{y.Costs, y.Savings, y.Net} {
			if !(b.P5 <= b.P50 && b.P50 <= b.P95) {
				t.Errorf("year %d: band %+v out of order", t0, b)
			}
		}
	}
}

// TestRunLinesCash: the cash view is the real view times each year's price
// factor (1 + i)^k, k the years from the price base (2022/23) to the year,
// i ~ the default PERT(1.5%, 2%, 3.5%): each year's mean ratio cash/real is
// E[(1+i)^k], computed here by integrating the PERT's quantile function, to
// within 5 Monte Carlo standard errors of the mean of the 4,000 draws. The
// assumption is stated; the draws do not depend on the worker count.
func TestRunLinesCash(t *testing.T) {
	real := runLines(t, "--iterations", "4000")
	cash := runLines(t, "--iterations", "4000", "--prices", "cash")
	if again := runLines(t, "--iterations", "4000", "--prices", "cash", "--workers", "3"); !equalYears(again, cash) {
		t.Error("cash view differs between worker counts")
	}
	if cash.YearLines.Prices != "cash" || !strings.Contains(cash.YearLines.Inflation, "PERT(1.5%, 2.0%, 3.5%)") {
		t.Errorf("cash view states prices %q, inflation %q", cash.YearLines.Prices, cash.YearLines.Inflation)
	}
	pert, err := dist.NewPERT(0.015, 0.02, 0.035, 4)
	if err != nil {
		t.Fatal(err)
	}
	const grid = 20000
	for t0, y := range cash.YearLines.Years {
		k := float64(y.CalendarYear - 2022)
		var m, m2 float64
		for j := 0; j < grid; j++ {
			f := math.Pow(1+pert.Quantile((float64(j)+0.5)/grid), k)
			m += f / grid
			m2 += f * f / grid
		}
		se := math.Sqrt(m2-m*m) / math.Sqrt(4000)
		r := real.YearLines.Years[t0]
		if r.Costs.Mean == 0 {
			continue
		}
		if got := y.Costs.Mean / r.Costs.Mean; math.Abs(got-m) > 5*se+1e-12 {
			t.Errorf("year %d (k=%g): cash/real costs %.5f, E[(1+i)^k] %.5f (5 se %.5f)", t0, k, got, m, 5*se)
		}
	}
}

func equalYears(a, b yearLinesDoc) bool {
	x, _ := json.Marshal(a.YearLines)
	y, _ := json.Marshal(b.YearLines)
	return string(x) == string(y)
}

// TestRunLinesUsage: --prices cash needs --lines; --prices takes real or
// cash; --lines needs a Monte Carlo run.
func TestRunLinesUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--prices", "cash"}, "--prices cash: needs --lines"},
		{[]string{"--lines", "--prices", "nominal"}, "--prices: must be real or cash"},
		{[]string{"--lines", "--deterministic"}, "--lines: needs a Monte Carlo run"},
	} {
		code, _, stderr := runCLI(t, context.Background(), append([]string{"run", "suffolk", "--quiet"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, %s", c.args, code, stderr)
		}
	}
}

// TestRunLinesScenarioInflation: a scenario's own inflation: a fixed 3% a
// year makes year t's cash figures exactly 1.03^k times the real ones (k
// from the price base, 2022/23); an impossible rate is exit 2 naming the
// file and the key.
func TestRunLinesScenarioInflation(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join("..", "..", "scenarios", "suffolk.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "s.yaml")
	os.WriteFile(path, append(b, []byte("\ninflation: 3%\n")...), 0o644)
	get := func(args ...string) yearLinesDoc {
		code, out, stderr := runCLI(t, context.Background(), append([]string{"run", path, "--lines", "--format", "json", "--quiet", "--iterations", "2000"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var doc yearLinesDoc
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		return doc
	}
	real, cash := get(), get("--prices", "cash")
	if !strings.Contains(cash.YearLines.Inflation, "3%") {
		t.Errorf("cash view states %q", cash.YearLines.Inflation)
	}
	for t0, y := range cash.YearLines.Years {
		want := math.Pow(1.03, float64(y.CalendarYear-2022))
		r := real.YearLines.Years[t0]
		for _, p := range [][2]float64{{y.Costs.Mean, r.Costs.Mean}, {y.Savings.Mean, r.Savings.Mean}, {y.Savings.P95, r.Savings.P95}} {
			if p[1] != 0 && math.Abs(p[0]/p[1]-want) > 1e-6 {
				t.Errorf("year %d: cash/real %.7f, want 1.03^%d = %.7f", t0, p[0]/p[1], y.CalendarYear-2022, want)
			}
		}
	}
	os.WriteFile(path, append(b, []byte("\ninflation: 150%\n")...), 0o644)
	code, _, stderr := runCLI(t, context.Background(), "run", path, "--lines", "--quiet")
	if code != 2 || !strings.Contains(stderr, "s.yaml") || !strings.Contains(stderr, "inflation:") {
		t.Errorf("inflation 150%%: exit %d, %s", code, stderr)
	}
}

// TestRunLinesTrimmed: run's two tables by line (present value, and lines
// by year) show the report.TableRows largest lines and say how many more
// there are; --all shows every one; JSON keeps every line whatever the
// flag. The lines by year shown are the largest by the sum over years of
// their mean's size, recomputed here from the JSON.
func TestRunLinesTrimmed(t *testing.T) {
	code, out, stderr := runCLI(t, context.Background(), "run", "suffolk-two", "--lines", "--quiet", "--seed", "5", "--iterations", "2000", "--format", "json")
	if code != exitOK {
		t.Fatal(stderr)
	}
	var doc struct {
		YearLines struct {
			Lines []struct {
				Label string
				Years []bandJSON
			} `json:"by_line"`
		} `json:"year_lines"`
		Summary struct {
			ByLine []struct{ Name string } `json:"by_line"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	n := len(doc.YearLines.Lines)
	if n <= report.TableRows+2 || len(doc.Summary.ByLine) != n {
		t.Fatalf("JSON: %d lines by year, %d in the summary; want the same number, more than %d", n, len(doc.Summary.ByLine), report.TableRows+2)
	}
	// The largest lines by year, recomputed.
	type sized struct {
		label string
		size  float64
	}
	var sizes []sized
	for _, l := range doc.YearLines.Lines {
		s := 0.0
		for _, b := range l.Years {
			s += math.Abs(b.Mean)
		}
		sizes = append(sizes, sized{l.Label, s})
	}
	sort.SliceStable(sizes, func(i, j int) bool { return sizes[i].size > sizes[j].size })

	rows := func(out, title string) []string {
		_, tail, ok := strings.Cut(out, title)
		if !ok {
			t.Fatalf("no table %q in:\n%s", title, out)
		}
		tail, _, _ = strings.Cut(tail, "└")
		var got []string
		for _, l := range strings.Split(tail, "\n") {
			if f := strings.Split(l, "│"); len(f) > 2 && !strings.Contains(l, "LINE") {
				got = append(got, strings.TrimSpace(f[1]))
			}
		}
		return got
	}
	for _, all := range []bool{false, true} {
		args := []string{"run", "suffolk-two", "--lines", "--quiet", "--seed", "5", "--iterations", "2000"}
		if all {
			args = append(args, "--all")
		}
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != exitOK {
			t.Fatal(stderr)
		}
		want, note := n, ""
		if !all {
			want, note = report.TableRows, fmt.Sprintf("... and %d more lines (every line with --all", n-report.TableRows)
		}
		pv, byYear := rows(out, "Present value by line"), rows(out, "Lines by year")
		if len(pv) != want || len(byYear) != want {
			t.Errorf("--all %v: %d lines of present value, %d lines by year, want %d", all, len(pv), len(byYear), want)
		}
		if got := strings.Count(out, "more lines (every line with --all"); (note == "" && got != 0) || (note != "" && (got != 2 || !strings.Contains(out, note))) {
			t.Errorf("--all %v: the note %q appears %d times", all, note, got)
		}
		for i := 0; i < min(len(byYear), report.TableRows); i++ {
			if byYear[i] != sizes[i].label {
				t.Errorf("--all %v: line %d by year is %q, want %q (sum of |mean| %.0f)", all, i+1, byYear[i], sizes[i].label, sizes[i].size)
			}
		}
	}
}
