package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"

	"github.com/devolve-lgr/devolve/render/report"
)

// cmdConfig prints each of devolve's own settings as `devolve run` sees
// it (with any run flags given after config): its effective value and
// where that came from (a flag, a DEVOLVE_* variable, a devolve.yaml, or
// the built-in default), then the settings files looked for.
func cmdConfig(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o runOptions
	fs := newFlagSet("config", "devolve config [run options]\n"+
		"prints each setting as `devolve run` with those options sees it, and where it came from", stderr)
	o.addFlags(fs, withData)
	if _, err := parseFlags(fs, args, 0, 0); err != nil {
		return err
	}
	if err := o.commonFlags.verify(); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "setting\tvalue\tfrom\tenvironment variable")
	for _, s := range settings {
		f := fs.Lookup(s.Key)
		if f == nil {
			continue
		}
		v := f.Value.String()
		if v == "" {
			v = "(none)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Key, report.Sanitize(v), report.Sanitize(o.origins[s.Key].String()), envName(s.Key))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nsettings files, highest first (flags and DEVOLVE_* variables come before them):")
	p := places()
	for _, dir := range []string{p.workDir, p.configDir} {
		if dir == "" {
			continue
		}
		path := filepath.Join(dir, settingsFile)
		state := "not present"
		if _, err := readSettingsFile(path); err == nil {
			state = "read"
		}
		fmt.Fprintf(stdout, "  %s (%s)\n", report.Sanitize(path), state)
	}
	return nil
}
