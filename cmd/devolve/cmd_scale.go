package main

import (
	"context"
	"io"

	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
)

// cmdScale prints the scale of the integration challenge for one area
// (devolve scale Suffolk) or for England (devolve scale --national).
func cmdScale(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return areaStudy[study.ScaleResult, report.ScaleReport]{name: "scale", what: "the scale", renderer: report.ScaleRenderer, run: study.RunScale,
		wrap: func(r *study.ScaleResult) *report.ScaleReport {
			return &report.ScaleReport{Version: version, ScaleResult: *r}
		}}.command(ctx, args, stdout, stderr)
}
