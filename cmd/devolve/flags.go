package main

import (
	"errors"
	"flag"
	"io"
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
