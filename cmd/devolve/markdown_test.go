package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestMarkdownTablesHaveHeaders: every table in a command's Markdown output
// has a header row and its separator, without which a Markdown renderer
// shows the rows as plain text (the run's Probabilities table had none).
func TestMarkdownTablesHaveHeaders(t *testing.T) {
	sep := regexp.MustCompile(`^\|( *:?-+:? *\|)+$`)
	for _, args := range [][]string{
		{"run", "--deterministic", "--format", "markdown"},
		{"run", "--iterations", "2000", "--quiet", "--format", "markdown"},
		{"compare", "suffolk", "suffolk-two", "--iterations", "2000", "--quiet", "--format", "markdown"},
		{"bridge", "suffolk-2025", "--deterministic", "--format", "markdown"},
	} {
		code, out, stderr := runCLI(t, context.Background(), args...)
		if code != exitOK {
			t.Fatalf("devolve %s: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		lines := strings.Split(out, "\n")
		tables := 0
		for i := 0; i < len(lines); i++ {
			if !strings.HasPrefix(lines[i], "|") || (i > 0 && strings.HasPrefix(lines[i-1], "|")) {
				continue
			}
			tables++
			if i+1 >= len(lines) || !sep.MatchString(strings.ReplaceAll(lines[i+1], " ", "")) {
				t.Errorf("devolve %s: table without a header at %q", strings.Join(args, " "), lines[i])
			}
		}
		if tables == 0 {
			t.Errorf("devolve %s: no Markdown table found, so the test cannot fail", strings.Join(args, " "))
		}
	}
}

// TestAreaWriteYAMLOnly: `area --write` writes YAML, so it refuses a name
// devolve would then read as JSON or TOML (the file it wrote could not be
// run: "JSON syntax error: invalid character '#'"), and still refuses a
// .yaml name that is not a regular file.
func TestAreaWriteYAMLOnly(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"s.json", "s.toml", "s.JSON", "s"} {
		code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", filepath.Join(dir, name))
		if code != exitUsage || !strings.Contains(stderr, "--write") || !strings.Contains(stderr, ".yaml") {
			t.Errorf("--write %s: exit %d: %s", name, code, stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("--write %s: the file was written", name)
		}
	}
	for _, name := range []string{"s.yaml", "s.YML"} {
		code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", filepath.Join(dir, name))
		if code != exitOK {
			t.Errorf("--write %s: exit %d: %s", name, code, stderr)
		}
		code, _, stderr = runCLI(t, context.Background(), "validate", filepath.Join(dir, name))
		if code != exitOK {
			t.Errorf("validate %s: exit %d: %s", name, code, stderr)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "d.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", filepath.Join(dir, "d.yaml")); code != exitUsage || !strings.Contains(stderr, "is a directory") {
		t.Errorf("--write to a directory: exit %d: %s", code, stderr)
	}
}

// TestAreaWriteNoDirectory: --write into a directory that does not exist is
// exit 2 naming the user's file, not the temporary file devolve writes first.
func TestAreaWriteNoDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "s.yaml")
	code, _, stderr := runCLI(t, context.Background(), "area", "suffolk", "--write", path)
	if code != exitUsage || !strings.Contains(stderr, path+": no directory") || strings.Contains(stderr, ".tmp") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestDeterministicRunTables: a deterministic run prints its one value per
// figure, not the percentiles, MCSEs and probabilities of a single
// evaluation (as the deterministic bridge prints no interval); a Monte
// Carlo run prints them all.
func TestDeterministicRunTables(t *testing.T) {
	spread := []string{"P5", "P95", "± MCSE", "Probabilities", "PV SD", "PV sd", "percentiles from"}
	for _, format := range []string{"table", "markdown"} {
		_, det, _ := runCLI(t, context.Background(), "run", "--deterministic", "--format", format)
		_, mc, _ := runCLI(t, context.Background(), "run", "--iterations", "2000", "--quiet", "--format", format)
		for _, s := range spread {
			if strings.Contains(det, s) {
				t.Errorf("%s: deterministic run prints %q", format, s)
			}
		}
		if !strings.Contains(mc, "P95") || !strings.Contains(mc, "Probabilities") || !strings.Contains(mc, "± MCSE") {
			t.Errorf("%s: Monte Carlo run lacks its percentiles", format)
		}
		if !strings.Contains(strings.ToLower(det), "value") || !strings.Contains(det, "£") {
			t.Errorf("%s: deterministic run lacks its values:\n%s", format, det)
		}
	}
}
