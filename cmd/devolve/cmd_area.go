package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/devolve-lgr/devolve/area"
	"github.com/devolve-lgr/devolve/render/report"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
)

// multiFlag collects a repeated string flag.
type multiFlag []string

// String and Set implement flag.Value.
func (m *multiFlag) String() string { return strings.Join(*m, "; ") }

// Set appends one occurrence of the flag.
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func cmdAreas(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c commonFlags
	fs := newFlagSet("areas", "devolve areas [--format table|json|markdown]", stderr)
	c.register(fs, withFormat, 0, []string{"table", "json", "markdown"})
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	if err := c.verify(); err != nil {
		return err
	}
	format := &c.format
	areas, err := area.Areas()
	if err != nil {
		return err
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
		return report.WriteJSON(stdout, rows)
	default:
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
			_, err = fmt.Fprintln(stdout, t.RenderMarkdown())
		} else {
			_, err = fmt.Fprintln(stdout, t.Render())
		}
	}
	return err
}

func cmdArea(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	var groups, adds multiFlag
	fs := newFlagSet("area", "devolve area NAME [--unitaries K | --group NAME=A,B ...] [--add UNITARY] [--write FILE] [run options]", stderr)
	unitaries := fs.Int("unitaries", 1, "number of unitaries (1-5), grouped by balanced population")
	integration := fs.String("integration", "contract", "core systems strategy: contract (migrate as contracts end), connected (consolidate early) or federated (bridge, defer)")
	fs.Var(&groups, "group", `a named successor and its councils, e.g. "North=Cambridge,South Cambridgeshire" (repeat)`)
	fs.Var(&adds, "add", "a neighbouring unitary that joins, e.g. Southend-on-Sea (repeat)")
	write := fs.String("write", "", "write the scenario, YAML with its sources as comments, to this .yaml or .yml file instead of running it")
	o.addFlags(fs, 0)
	pos, err := parseFlags(fs, args, 1, 1)
	if err != nil {
		return err
	}
	o.iterationsSet = flagSet(fs, "iterations")
	var errs []error
	if len(groups) > 0 && flagSet(fs, "unitaries") {
		errs = append(errs, usagef("--unitaries: give --unitaries or --group, not both (the groups fix the number of unitaries)"))
	}
	if *unitaries < 1 || *unitaries > 5 {
		errs = append(errs, usagef("--unitaries: must be between 1 and 5 (got %d)", *unitaries))
	}
	if err := noDuplicates("--add", adds); err != nil {
		errs = append(errs, err)
	}
	opt := area.AreaOptions{Unitaries: *unitaries, Add: adds, Integration: *integration}
	var groupNames []string
	for _, g := range groups {
		pg, err := area.ParseGroup(g)
		if err != nil {
			errs = append(errs, usagef("--group: %v", err))
			continue
		}
		groupNames = append(groupNames, pg.Name)
		opt.Groups = append(opt.Groups, pg)
	}
	if err := noDuplicates("--group", groupNames); err != nil {
		errs = append(errs, err)
	}
	if *write == "" {
		errs = append(errs, o.verify())
	} else if strings.TrimSpace(*write) == "" {
		errs = append(errs, usagef("--write: give a file name"))
	} else if ext := strings.ToLower(filepath.Ext(*write)); ext != ".yaml" && ext != ".yml" {
		// The scenario is YAML with its sources as comments: a .json or
		// .toml name would hold YAML that devolve run then cannot read.
		errs = append(errs, usagef("--write: %q: the scenario is written as YAML (with its sources as comments); give a .yaml or .yml file name", *write))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	a, err := area.FindArea(pos[0])
	if err != nil {
		return &usageError{err}
	}
	gen, err := area.BuildArea(a, opt)
	if err != nil {
		return &usageError{err}
	}
	if *write != "" {
		if err := ctx.Err(); err != nil {
			return err
		}
		// The written scenario is meant to be edited: never replace a file
		// that exists (it may hold the user's edits, or be read-only).
		if st, err := os.Lstat(*write); err == nil && st.Mode().IsRegular() {
			return usagef("--write: %s exists (it may hold your edits); remove it or give a new file name", *write)
		}
		if err := writeFileAtomic(*write, func(w io.Writer) error { _, err := w.Write(gen.YAML()); return err }); err != nil {
			return err
		}
		_, err := fmt.Fprintf(stdout, "wrote %s; run it with: devolve run %s\n", report.Sanitize(*write), report.Sanitize(*write))
		return err
	}
	return runLoaded(ctx, gen.Loaded, &o, stdout, stderr)
}

// noDuplicates reports a name given twice (case-insensitively) to a
// repeated flag.
func noDuplicates(flagName string, names []string) error {
	seen := map[string]bool{}
	for _, n := range names {
		k := strings.ToLower(strings.TrimSpace(n))
		if seen[k] {
			return usagef("%s: %q is given twice", flagName, n)
		}
		seen[k] = true
	}
	return nil
}
