package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/devolve-lgr/devolve/internal/inputfile"
	"github.com/devolve-lgr/devolve/model/engine"
	"github.com/devolve-lgr/devolve/render/htmlreport"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

type reportOptions struct {
	commonFlags
}

func (o *reportOptions) verify() error {
	errs := []error{o.commonFlags.verify()}
	if o.out == "" {
		errs = append(errs, usagef("--out: name the HTML file to write (e.g. --out report.html)"))
	} else if st, err := os.Stat(filepath.Dir(o.out)); err != nil || !st.IsDir() {
		errs = append(errs, usagef("--out %s: directory %s does not exist", o.out, filepath.Dir(o.out)))
	}
	return errors.Join(errs...)
}

// cmdReport writes the self-contained HTML report of one or more scenarios
// (several are compared on common random numbers).
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o reportOptions
	fs := newFlagSet("report", "devolve report [SCENARIO ...] --out report.html [options]", stderr)
	o.outFiles = "(required) the HTML report, as this file name;"
	o.register(fs, withIterations|withSeed|withWorkers|withQuiet|withOut|withData|withSampling, engine.DefaultIterations, nil)
	files, err := parseFlags(fs, args, 0, -1)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		files = []string{defaultScenario}
	}
	if err := o.verify(); err != nil {
		return err
	}
	if err := inputfile.CheckWritable(o.out); err != nil {
		return usagef("--out: %s: %v", o.out, err)
	}
	var scs []htmlreport.Scenario
	var errs []error
	var names []string
	for _, f := range files {
		ld, err := scenarios.LoadContext(ctx, o.findScenario(f))
		if err == nil {
			c, cerr := ld.CompileContext(ctx)
			if cerr == nil {
				name := uniqueName(names, ld.Scenario.Name)
				names = append(names, name)
				scs = append(scs, htmlreport.Scenario{Name: name, Description: ld.Scenario.Description, Source: ld.Source, SHA256: ld.SHA256, Compiled: c})
				continue
			}
			err = cerr
		}
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	rep, err := htmlreport.Build(ctx, scs, htmlreport.Options{Run: o.engineDefaults(), Version: version})
	if err != nil {
		return memoryUsage(err, fmt.Sprintf("%d scenarios of %d iterations, every input kept", len(files), o.iterations))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := writeFileAtomic(o.out, func(w io.Writer) error { return htmlreport.Write(w, rep) }); err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "wrote %s\n", report.Sanitize(o.out))
	return err
}
