package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/model/lgr"
	"github.com/devolve-lgr/devolve/scenarios"
)

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprintln(stderr, "usage: devolve validate FILE...") }
	files, code, ok := parseArgs(fs, args, stderr)
	if !ok {
		return code
	}
	if len(files) == 0 {
		fs.Usage()
		return exitUsage
	}
	code = exitOK
	for _, f := range files {
		ld, err := scenarios.Load(f)
		if err == nil {
			var c *lgr.Compiled
			if c, err = ld.Compile(); err == nil {
				s := ld.Scenario
				fmt.Fprintf(stdout, "%s: ok (%d predecessors, %d successors, %d system categories, %d uncertain inputs)\n",
					ld.Source, len(s.Predecessors), len(s.Successors), len(s.Systems), len(c.Model.Inputs))
				continue
			}
		}
		fmt.Fprintln(stderr, err)
		code = exitUsage
	}
	return code
}
