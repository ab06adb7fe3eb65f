package main

import (
	"context"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/jedib0t/go-pretty/v6/table"
)

func cmdList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("list", "devolve list", stderr)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"name", "scenario", "predecessors", "successors"})
	for _, name := range scenarios.Embedded() {
		ld, err := scenarios.LoadContext(ctx, name)
		if err != nil {
			return fmt.Errorf("embedded scenario %s: %w (a bug)", name, err)
		}
		s := ld.Scenario
		def := ""
		if name == defaultScenario {
			def = " (default)"
		}
		t.AppendRow(table.Row{name + def, s.Name, len(s.Predecessors), len(s.Successors)})
	}
	_, err := fmt.Fprintln(stdout, t.Render())
	return err
}
