package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/devolve-lgr/devolve/render/chart"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/devolve-lgr/devolve/study"
)

// cmdBridge prints the waterfall from a published case to devolve's
// projection (study.RunBridge, docs/MODEL.md §14).
func cmdBridge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("bridge", "devolve bridge CASE [options]\nCASE: "+strings.Join(study.BridgeCases(), ", ")+", or a case file", stderr)
	c.outFiles = "the bridge chart (bridge.png, bridge.svg)"
	c.register(fs, simulation|withOut|withSampling|withLines, 5000, []string{"table", "json", "markdown"})
	det := fs.Bool("deterministic", false, "every devolve input at its median (no intervals)")
	all := fs.Bool("all", false, fmt.Sprintf("with --lines: print every line by year (default: the %d largest; JSON always holds every line)", report.TableRows))
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := c.verify(); err != nil {
		return err
	}
	lines, err := c.linesView()
	if err != nil {
		return usagef("--prices: %v", err)
	}
	if lines != nil && *det {
		return usagef("--lines: needs a simulation (not with --deterministic)")
	}
	write, ok := report.BridgeRenderer(c.format)
	if !ok {
		return usagef("--format: %q cannot render a bridge", c.format)
	}
	if _, _, err := study.LoadBridgeCase(pos[0]); err != nil {
		return &usageError{err}
	}
	b, err := study.RunBridge(ctx, pos[0], c.engineDefaults(), *det, lines)
	if err != nil {
		return memoryUsage(err, fmt.Sprintf("%d iterations per area, every input kept", c.iterations))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.out != "" {
		m := newManifest(ctx, "bridge", c.seed, c.iterations, scenID{Name: pos[0]})
		if err := writeSet(ctx, c.out, chart.Files([]chart.Figure{chart.BridgeFigure(b)}, chart.Formats...), m); err != nil {
			return err
		}
	}
	return write(stdout, &report.BridgeReport{Version: version, Seed: c.seed, Deterministic: *det, Bridge: *b, AllRows: *all})
}
