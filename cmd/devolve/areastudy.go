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

// areaStudy is a command that studies one generated area (devolve NAME
// Suffolk) or every two-tier area (devolve NAME --national): scale and
// outcomes. name is the command and its output files' stem, what names
// its result in messages ("the scale"), renderer its report's renderer by
// format, run the study and wrap the result as the report.
type areaStudy[R, Rep any] struct {
	name, what string
	renderer   func(format string) (func(io.Writer, *Rep) error, bool)
	run        func(context.Context, study.ScaleConfig, lgr.NationalOptions) (*R, error)
	wrap       func(*R) *Rep
}

// command parses args, runs the study and writes its report to stdout
// (and, with --out, NAME.json, NAME.csv and NAME.md).
func (s areaStudy[R, Rep]) command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet(s.name, "devolve "+s.name+" AREA | --national [--unitaries K] [--integration contract|connected|federated] [options]", stderr)
	national := fs.Bool("national", false, "every two-tier area (as devolve national)")
	k := fs.Int("unitaries", 1, "unitaries per area: 1 to 5 (capped at an area's districts)")
	integration := fs.String("integration", "contract", "core systems strategy: contract, connected or federated")
	c.outFiles = fmt.Sprintf("%[1]s.json, %[1]s.csv, %[1]s.md", s.name)
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
	render, ok := s.renderer(c.format)
	if !ok && contains(report.Formats, c.format) {
		errs = append(errs, usagef("--format: %q cannot render %s", c.format, s.what))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cfg, err := areaStudyConfig(*national, pos, *k, *integration)
	if err != nil {
		return err
	}
	res, err := s.run(ctx, cfg, lgr.NationalOptions{Options: c.engineDefaults()})
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
	rep := s.wrap(res)
	if c.out != "" {
		files := map[string]chart.FileWriter{}
		for ext, format := range map[string]string{"json": "json", "csv": "csv", "md": "markdown"} {
			w, _ := s.renderer(format)
			files[s.name+"."+ext] = func(out io.Writer) error { return w(out, rep) }
		}
		if err := writeSet(ctx, c.out, files, newManifest(ctx, s.name, c.seed, c.iterations)); err != nil {
			return err
		}
	}
	return render(stdout, rep)
}

// areaStudyConfig is the study of England (national) or of the one area
// named in pos, as k unitaries under the integration strategy.
func areaStudyConfig(national bool, pos []string, k int, integration string) (study.ScaleConfig, error) {
	cfg := study.ScaleConfig{National: study.NationalConfig{Unitaries: k, Integration: integration}}
	if national {
		return cfg, cfg.National.Check()
	}
	a, err := area.FindArea(pos[0])
	if err != nil {
		return cfg, &usageError{err}
	}
	if k > len(a.Districts) {
		return cfg, usagef("--unitaries: %s has %d districts (got %d)", a.Name, len(a.Districts), k)
	}
	cfg.Area, cfg.AreaOptions = a.Name, area.AreaOptions{Unitaries: k, Integration: integration}
	return cfg, nil
}
