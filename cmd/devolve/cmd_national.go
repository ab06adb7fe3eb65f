package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"strconv"
	"strings"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
)

func cmdNational(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("national", "devolve national [--unitaries K | --min-residents N] [--area A=K ...] [options]", stderr)
	k := fs.Int("unitaries", 1, "unitaries per area: 1 to 5 (capped at an area's districts)")
	var perArea multiFlag
	fs.Var(&perArea, "area", `one area's own number of unitaries, e.g. "Kent=2" (repeat)`)
	minRes := fs.Float64("min-residents", 0, "instead of --unitaries: each area gets the most balanced unitaries (up to 5) of at least this many residents")
	integration := fs.String("integration", "contract", "core systems strategy of every area: contract, connected or federated")
	independent := fs.Bool("independent", false, "lower bracket: areas draw every input independently (default: realisation, ramp stretch and non-IT overrun shared in part, by the fitted common share; IT overrun and slip shared)")
	shared := fs.Bool("shared", false, "upper bracket: areas share realisation, ramp stretch, overruns and slip fully")
	all := fs.Bool("all", false, fmt.Sprintf("with --lines: print every line by year (default: the %d largest; JSON and CSV always hold every line)", report.TableRows))
	draws := fs.Bool("draws", false, "with --out: also write draws.csv, the national totals of every trial")
	c.outFiles = "summary.json, summary.csv, summary.md (and draws.csv with --draws)"
	c.register(fs, simulation|withOut|withSampling|withLines, 20_000, report.Formats)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	errs := []error{c.verify()}
	if *k < 1 || *k > 5 {
		errs = append(errs, usagef("--unitaries: must be between 1 and 5 (got %d)", *k))
	}
	if *independent && *shared {
		errs = append(errs, usagef("--shared: give --shared or --independent, not both"))
	}
	if flagSet(fs, "unitaries") && flagSet(fs, "min-residents") {
		errs = append(errs, usagef("--min-residents: give --unitaries or --min-residents, not both"))
	}
	cfg := study.NationalConfig{Unitaries: *k, MinResidents: *minRes, Integration: *integration, PerArea: map[string]int{}}
	if !(*minRes >= 0) || math.IsInf(*minRes, 0) {
		errs = append(errs, usagef("--min-residents: must be a non-negative number of residents (got %v)", *minRes))
	}
	for _, a := range perArea {
		name, v, ok := strings.Cut(a, "=")
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if !ok || err != nil || n < 1 || n > 5 {
			errs = append(errs, usagef("--area %q: expected AREA=K with K from 1 to 5", a))
			continue
		}
		for prev := range cfg.PerArea {
			if strings.EqualFold(prev, strings.TrimSpace(name)) {
				errs = append(errs, usagef("--area %q: area given twice", a))
			}
		}
		cfg.PerArea[strings.TrimSpace(name)] = n
	}
	render, ok := report.NationalRenderer(c.format)
	if !ok && contains(report.Formats, c.format) {
		errs = append(errs, usagef("--format: %q cannot render the national run", c.format))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if err := cfg.Check(); err != nil { // areas, K against districts (FieldErrors: exit 2)
		return err
	}
	if *draws && c.out == "" {
		return usagef("--draws: needs --out DIR")
	}
	sharing := lgr.SharingFitted
	switch {
	case *independent:
		sharing = lgr.SharingNone
	case *shared:
		sharing = lgr.SharingFull
	}
	lines, err := c.linesView()
	if err != nil {
		return usagef("--prices: %v", err)
	}
	n, err := study.RunNational(ctx, cfg, lgr.NationalOptions{Options: c.engineDefaults(),
		Sharing: sharing, KeepDraws: *draws, Lines: lines})
	if err != nil {
		what := fmt.Sprintf("%d iterations per area", c.iterations)
		if lines != nil {
			what += " with --lines"
		}
		return memoryUsage(err, what)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := &report.NationalReport{Version: version, National: *n, AllRows: *all}
	if c.out != "" {
		files := map[string]chart.FileWriter{}
		for name, format := range map[string]string{"summary.json": "json", "summary.csv": "csv", "summary.md": "markdown"} {
			w, _ := report.NationalRenderer(format)
			files[name] = func(out io.Writer) error { return w(out, rep) }
		}
		if *draws {
			files["draws.csv"] = func(out io.Writer) error { return report.NationalDrawsCSV(out, rep) }
		}
		maps.Copy(files, chart.Files(chart.NationalFigures(n), chart.Formats...))
		if err := writeSet(ctx, c.out, files, newManifest(ctx, "national", c.seed, c.iterations)); err != nil {
			return err
		}
	}
	return render(stdout, rep)
}
