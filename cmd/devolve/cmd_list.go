package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/scenarios"
	"github.com/jedib0t/go-pretty/v6/table"
)

func cmdList(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	if _, code, ok := parseArgs(fs, args, stderr); !ok {
		return code
	}
	t := table.NewWriter()
	t.SetStyle(table.StyleLight)
	t.AppendHeader(table.Row{"name", "scenario", "predecessors", "successors"})
	for _, name := range scenarios.Embedded() {
		ld, err := scenarios.Load(name)
		if err != nil {
			fmt.Fprintf(stderr, "devolve: embedded scenario %s: %v\n", name, err)
			return exitFailure
		}
		s := ld.Scenario
		def := ""
		if name == defaultScenario {
			def = " (default)"
		}
		t.AppendRow(table.Row{name + def, s.Name, len(s.Predecessors), len(s.Successors)})
	}
	fmt.Fprintln(stdout, t.Render())
	return exitOK
}
