package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/devolve-lgr/devolve/internal/report"
	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// multiFlag collects a repeated string flag.
type multiFlag []string

// String and Set implement flag.Value.
func (m *multiFlag) String() string { return strings.Join(*m, "; ") }

// Set appends one occurrence of the flag.
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func cmdAreas(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("areas", flag.ContinueOnError)
	format := fs.String("format", "table", "table, json or markdown")
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	areas, err := scenarios.Areas()
	if err != nil {
		fmt.Fprintf(stderr, "devolve areas: %v\n", err)
		return exitFailure
	}
	type row struct {
		Area        string   `json:"area"`
		Population  float64  `json:"population"`
		Districts   []string `json:"districts"`
		Reorganised bool     `json:"reorganised_2023"`
	}
	var rows []row
	for _, a := range areas {
		r := row{Area: a.Name, Population: a.Population, Reorganised: a.Reorganised}
		for _, d := range a.Districts {
			r.Districts = append(r.Districts, d.Name)
		}
		rows = append(rows, r)
	}
	switch *format {
	case "json":
		if err := report.WriteJSON(stdout, rows); err != nil {
			return exitFailure
		}
	case "table", "markdown":
		t := table.NewWriter()
		t.SetStyle(table.StyleLight)
		t.AppendHeader(table.Row{"area", "population (2021)", "districts", "note"})
		total, n := 0.0, 0
		for _, r := range rows {
			note := ""
			if r.Reorganised {
				note = "reorganised April 2023 (back-testing)"
			} else {
				total += r.Population
				n += len(r.Districts)
			}
			t.AppendRow(table.Row{r.Area, fmt.Sprintf("%.0f", r.Population), fmt.Sprintf("%d: %s", len(r.Districts), strings.Join(r.Districts, ", ")), note})
		}
		t.AppendFooter(table.Row{"21 areas", fmt.Sprintf("%.0f", total), fmt.Sprintf("%d districts", n), ""})
		t.SetColumnConfigs([]table.ColumnConfig{{Number: 3, WidthMax: 70, WidthMaxEnforcer: text.WrapSoft}})
		if *format == "markdown" {
			fmt.Fprintln(stdout, t.RenderMarkdown())
		} else {
			fmt.Fprintln(stdout, t.Render())
		}
	default:
		fmt.Fprintf(stderr, "devolve areas: --format: must be table, json or markdown (got %q)\n", *format)
		return exitUsage
	}
	return exitOK
}

func cmdArea(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var o runOptions
	var groups, adds multiFlag
	fs := flag.NewFlagSet("area", flag.ContinueOnError)
	unitaries := fs.Int("unitaries", 1, "number of unitaries (1-5), grouped by balanced population")
	integration := fs.String("integration", "contract", "core systems strategy: contract (migrate as contracts end), connected (consolidate early) or federated (bridge, defer)")
	fs.Var(&groups, "group", `a named successor and its councils, e.g. "North=Cambridge,South Cambridgeshire" (repeat)`)
	fs.Var(&adds, "add", "a neighbouring unitary that joins, e.g. Southend-on-Sea (repeat)")
	write := fs.String("write", "", "write the scenario to this file instead of running it")
	o.addFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devolve area NAME [--unitaries K | --group NAME=A,B ...] [--add UNITARY] [--write FILE] [run options]")
		fs.PrintDefaults()
	}
	pos, code, ok := parseArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fs.Usage()
		return exitUsage
	}
	a, err := scenarios.FindArea(pos[0])
	if err != nil {
		fmt.Fprintf(stderr, "devolve area: %v\n", err)
		return exitUsage
	}
	opt := scenarios.AreaOptions{Unitaries: *unitaries, Add: adds, Integration: *integration}
	for _, g := range groups {
		pg, err := scenarios.ParseGroup(g)
		if err != nil {
			fmt.Fprintf(stderr, "devolve area: --group: %v\n", err)
			return exitUsage
		}
		opt.Groups = append(opt.Groups, pg)
	}
	gen, err := scenarios.BuildArea(a, opt)
	if err != nil {
		fmt.Fprintf(stderr, "devolve area: %v\n", err)
		return exitUsage
	}
	if *write != "" {
		if err := writeFileAtomic(*write, gen.YAML()); err != nil {
			fmt.Fprintf(stderr, "devolve area: %v\n", err)
			return exitFailure
		}
		fmt.Fprintf(stdout, "wrote %s; run it with: devolve run %s\n", *write, *write)
		return exitOK
	}
	if err := o.verify(); err != nil {
		fmt.Fprintf(stderr, "devolve area: %v\n", err)
		return exitUsage
	}
	return runLoaded(ctx, gen.Loaded, &o, stdout, stderr)
}

// writeFileAtomic writes data to a temporary file beside path, then renames it.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
