package main

import (
	"context"
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
