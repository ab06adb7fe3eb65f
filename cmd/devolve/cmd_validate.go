package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/scenarios"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("validate", "devolve validate FILE...", stderr)
	files, err := parseFlags(fs, args, 1, -1)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		ld, err := scenarios.LoadContext(ctx, f)
		if err == nil {
			var c *lgr.Compiled
			if c, err = ld.CompileContext(ctx); err == nil {
				s := ld.Scenario
				fmt.Fprintf(stdout, "%s: ok (%d predecessors, %d successors, %d system categories, %d uncertain inputs)\n",
					report.Sanitize(ld.Source), len(s.Predecessors), len(s.Successors), len(s.Systems), len(c.Model.Inputs))
				continue
			}
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
