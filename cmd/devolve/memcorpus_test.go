package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// manyInputs writes the corpus base scenario with n items, each of its own
// lognormal range (no two inputs share a distribution).
func manyInputs(t *testing.T, dir string, n int) string {
	t.Helper()
	base, err := os.ReadFile("testdata/bad/base.yaml.src")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("items:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {name: i%d, amount: %dk to %dk}\n", i, 1000+i, 3000+i)
	}
	text := strings.Replace(string(base), "items:\n  - {name: programme, amount: 5m, profile: [0.5, 0.5]}\n", b.String(), 1)
	p := filepath.Join(dir, fmt.Sprintf("inputs_%d.yaml", n))
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestMemoryCorpus: the memory cases of issue 19 under a 512 MB budget (a
// process limit of 1 GB: the budget is half of it), each within the corpus
// limits (20 s, 512 MiB allocated): what does not fit is exit 2 with the
// figure and the limit, before anything large is allocated; what fits runs.
// Before: `bridge --iterations 1000000`, `--workers 4096` on a 3,000-input
// file and a 10 MiB panel ran out of memory, and so did `scale` and
// `outcomes` at 1e10 trials (they allocated their sums by trial unchecked); 20,000 distinct lognormals
// took 1.9 GB to validate (each built its inverse table, some 30 kB, on
// reading) and a run counted none of them.
func TestMemoryCorpus(t *testing.T) {
	old := memoryBudget
	memoryBudget = func() (int64, string) { return 512e6, "a test's budget" }
	defer func() { memoryBudget = old }()
	dir := t.TempDir()
	distinct := manyInputs(t, dir, 20_000)
	inputs3000 := manyInputs(t, dir, 3_000)
	var panel strings.Builder
	panel.WriteString("expert,quantity,percentile,value\n")
	for i := 0; panel.Len() < 10<<20; i++ {
		fmt.Fprintf(&panel, "e%d,q%d,%d,%d\n", i/3, i/3%7, []int{10, 50, 90}[i%3], []int{1, 2, 5}[i%3])
	}
	panelFile := filepath.Join(dir, "panel_10MiB.csv")
	if err := os.WriteFile(panelFile, []byte(panel.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	const limit = "(limit 512 MB: a test's budget)"
	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"bridge 1e6", []string{"bridge", "suffolk-2025", "--iterations", "1000000", "--quiet"}, exitUsage, []string{"would need 2.2 GB of memory " + limit}},
		{"report 3e6", []string{"report", "suffolk", "--iterations", "3000000", "--out", filepath.Join(dir, "r.html"), "--quiet"}, exitUsage, []string{"GB of memory " + limit}},
		{"scale 1e10", []string{"scale", "kent", "--iterations", "10000000000", "--quiet"}, exitUsage, []string{"GB of memory " + limit}},
		{"outcomes --national 1e10", []string{"outcomes", "--national", "--iterations", "10000000000", "--quiet"}, exitUsage, []string{"GB of memory " + limit}},
		{"panel 10 MiB", []string{"calibrate", "--panel", panelFile}, exitUsage, []string{panelFile, "the limit is 1048576 bytes"}},
		{"3000 inputs, 4096 workers", []string{"run", inputs3000, "--workers", "4096", "--iterations", "2048", "--quiet"}, exitOK, nil},
		{"20000 distinct: validate", []string{"validate", distinct}, exitOK, nil},
		{"20000 distinct: run", []string{"run", distinct, "--iterations", "2048", "--workers", "1", "--quiet"}, exitUsage,
			[]string{"of memory " + limit, "whatever the trials: the scenario's inputs (their inverse tables"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stderr := guarded(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d: %.500s", code, c.code, stderr)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("message does not contain %q: %.500s", w, stderr)
				}
			}
		})
	}
}
