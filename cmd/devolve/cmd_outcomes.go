package main

import (
	"context"
	"io"

	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
)

// cmdOutcomes prints productivity and service quality, as modelled and as measured, for one area
// (devolve outcomes Suffolk) or for England (devolve outcomes --national).
func cmdOutcomes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return areaStudy[study.OutcomesResult, report.OutcomesReport]{name: "outcomes", what: "the outcomes", renderer: report.OutcomesRenderer, run: study.RunOutcomes,
		wrap: func(r *study.OutcomesResult) *report.OutcomesReport {
			return &report.OutcomesReport{Version: version, OutcomesResult: *r}
		}}.command(ctx, args, stdout, stderr)
}
