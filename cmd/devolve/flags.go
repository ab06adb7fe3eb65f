package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/devolve-lgr/devolve/model/engine"
)

// parseArgs is parseFlags for a command: on failure it returns ok false and
// the exit code (0 after -h, which prints the usage; 2 for bad flags).
func parseArgs(fs *flag.FlagSet, args []string, stderr io.Writer) (pos []string, code int, ok bool) {
	pos, err := parseFlags(fs, args, stderr)
	switch {
	case err == nil:
		return pos, exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return nil, exitOK, false
	}
	return nil, exitUsage, false
}

// parseFlags parses args with fs, allowing flags after positional arguments
// (devolve run FILE --iterations N), and returns the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// samplingFlag registers --sampling (mc, lhs or sobol), shared by run, area
// and compare; s holds the default on entry.
func samplingFlag(fs *flag.FlagSet, s *engine.Sampling) {
	fs.Func("sampling", fmt.Sprintf("how each block of 1,024 trials is drawn: mc (plain Monte Carlo), lhs (Latin hypercube) or sobol (Owen-scrambled Sobol'); default %s (docs/MODEL.md section 1)", *s),
		func(v string) error {
			x, err := engine.ParseSampling(v)
			if err != nil {
				return err
			}
			*s = x
			return nil
		})
}
