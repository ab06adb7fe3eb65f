package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// failWriter fails every write, as a closed pipe does.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

// TestCalibrateJSONWriteError: a failure to write the JSON document is
// reported with exit status 1 and a message, on every calibrate path that
// writes JSON (fit, expert quantiles, --list, --update).
func TestCalibrateJSONWriteError(t *testing.T) {
	dir := t.TempDir()
	good := dir + "/good.csv"
	os.WriteFile(good, []byte("ratio\n1.1\n1.3\n0.9\n2.5\n1.05\n1.2\n1.6\n0.95\n"), 0o644)
	for _, args := range [][]string{
		{"calibrate", good, "--column", "ratio", "--bootstrap", "5", "--format", "json"},
		{"calibrate", "--quantiles", "10:6m,50:9m,90:25m", "--format", "json"},
		{"calibrate", "--list", "--format", "json"},
		{"calibrate", "--update", "savings", "--format", "json"},
	} {
		var stderr bytes.Buffer
		code := run(context.Background(), args, failWriter{}, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "writing JSON") {
			t.Errorf("%v: exit %d, stderr %q; want 1 and a message", args[1:], code, stderr.String())
		}
	}
}
