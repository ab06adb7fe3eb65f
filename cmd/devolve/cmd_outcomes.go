package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
)

// cmdOutcomes prints productivity and service quality, as modelled and as measured, for one area
// (devolve outcomes Suffolk) or for England (devolve outcomes --national).
func cmdOutcomes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("outcomes", "devolve outcomes AREA | --national [--unitaries K] [--integration contract|connected|federated] [options]", stderr)
	national := fs.Bool("national", false, "every two-tier area (as devolve national)")
	k := fs.Int("unitaries", 1, "unitaries per area: 1 to 5 (capped at an area's districts)")
	integration := fs.String("integration", "contract", "core systems strategy: contract, connected or federated")
	c.outFiles = "outcomes.json, outcomes.csv, outcomes.md"
	c.register(fs, simulation|withOut|withSampling, 20_000, report.Formats)
	pos, err := parseFlags(fs, args, 0, 1)
	if err != nil {
		return err
	}
	errs := []error{c.verify()}
	if *national == (len(pos) == 1) {
		errs = append(errs, usagef("give an AREA or --national (one of the two)"))
	}
	if *k < 1 || *k > 5 {
		errs = append(errs, usagef("--unitaries: must be between 1 and 5 (got %d)", *k))
	}
	render, ok := report.OutcomesRenderer(c.format)
	if !ok && contains(report.Formats, c.format) {
		errs = append(errs, usagef("--format: %q cannot render the outcomes", c.format))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cfg := study.ScaleConfig{National: study.NationalConfig{Unitaries: *k, Integration: *integration}}
	if *national {
		if err := cfg.National.Check(); err != nil {
			return err
		}
	} else {
		a, err := area.FindArea(pos[0])
		if err != nil {
			return &usageError{err}
		}
		if *k > len(a.Districts) {
			return usagef("--unitaries: %s has %d districts (got %d)", a.Name, len(a.Districts), *k)
		}
		cfg.Area, cfg.AreaOptions = a.Name, area.AreaOptions{Unitaries: *k, Integration: *integration}
	}
	res, err := study.RunOutcomes(ctx, cfg, lgr.NationalOptions{Options: c.engineDefaults()})
	if err != nil {
		err = memoryUsage(err, fmt.Sprintf("%d iterations, every input kept", c.iterations))
		var ue *usageError
		if errors.As(err, &ue) {
			return err
		}
		if cfg.Area != "" {
			return &usageError{err}
		}
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := &report.OutcomesReport{Version: version, OutcomesResult: *res}
	if c.out != "" {
		files := map[string]chart.FileWriter{}
		for name, format := range map[string]string{"outcomes.json": "json", "outcomes.csv": "csv", "outcomes.md": "markdown"} {
			w, _ := report.OutcomesRenderer(format)
			files[name] = func(out io.Writer) error { return w(out, rep) }
		}
		if err := writeSet(ctx, c.out, files, newManifest(ctx, "outcomes", c.seed, c.iterations)); err != nil {
			return err
		}
	}
	return render(stdout, rep)
}
