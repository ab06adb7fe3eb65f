package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// Every command that draws charts writes them with --out.
func TestChartsOut(t *testing.T) {
	bg := context.Background()
	for _, tc := range []struct {
		args  []string
		files []string
	}{
		{[]string{"compare", "suffolk", "suffolk-two", "--iterations", "2000"}, []string{"fan.png", "fan.svg", "scurve.png", "scurve.svg", "diff-1.png", "diff-1.svg"}},
		{[]string{"sensitivity", "reference-r", "--method", "tornado,sobol", "--n", "256"}, []string{"tornado.png", "tornado.svg", "sobol.png", "sobol.svg"}},
		{[]string{"bridge", "suffolk-2025", "--iterations", "500"}, []string{"bridge.png", "bridge.svg"}},
	} {
		t.Run(tc.args[0], func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			code, _, stderr := runCLI(t, bg, append(tc.args, "--out", dir)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			for _, f := range tc.files {
				if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() < 1000 {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}
