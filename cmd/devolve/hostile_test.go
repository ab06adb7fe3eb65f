package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileInputs: malformed savings, ramps, bridge cases and national
// configurations exit 2 with a message naming the file (or flag) and the
// user's key path; never a panic, a hang, or NaN with exit 0. The full
// messages are pinned in scenarios/testdata/invalid.golden and
// invalid_bridge.golden; this checks the exit codes through the CLI.
func TestHostileInputs(t *testing.T) {
	bg := context.Background()
	inv := "../../scenarios/testdata/invalid/"
	bad := "../../study/testdata/invalid_bridge/"
	fifo := filepath.Join(t.TempDir(), "case.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		want []string // each must appear in stderr
	}{
		{"savings", []string{"validate", inv + "savings.yaml"}, []string{"savings.yaml: savings[0].base[0]: unknown cost base", "savings[5].reduction: must be a fraction"}},
		{"savings run", []string{"run", inv + "savings.yaml", "--iterations", "100"}, []string{"savings[1].amount: give base or amount, not both"}},
		{"scale", []string{"validate", inv + "savings_scale.yaml"}, []string{"savings[0].scale: no scale for 1 successor(s)", "savings[2].scale.1: must be a positive factor"}},
		{"ramp forms", []string{"validate", inv + "ramp_forms.yaml"}, []string{"savings[1].ramp.increments: yearly increments sum to 0.9", "savings[5].ramp.increments[1]"}},
		{"stretch and slip", []string{"run", inv + "stretch_slip.yaml", "--iterations", "100"}, []string{"ramp_stretch: must be a positive factor", "migration_slip: must be a positive factor"}},
		{"huge cost base", []string{"run", inv + "huge_cost_base.yaml", "--iterations", "100"}, []string{"cost_bases[0].amount: its values reach 1e+300"}},
		{"bridge unknown keys", []string{"bridge", bad + "unknown_keys.yaml"}, []string{"unknown_keys.yaml: colour: unknown key", "devolve.extra: unknown key"}},
		{"bridge numbers", []string{"bridge", bad + "numbers.yaml"}, []string{"numbers.yaml: horizon: must be 1 to 100", "discount_rate: must be a rate", "overrun: must be a finite number"}},
		{"bridge no devolve", []string{"bridge", bad + "no_devolve.yaml"}, []string{"no_devolve.yaml: devolve: missing", "ramp[2]: must be a share"}},
		{"bridge unknown area", []string{"bridge", bad + "area_amounts.yaml"}, []string{`devolve.area: no two-tier area "Narnia"`}},
		{"bridge not reproduced", []string{"bridge", bad + "not_reproduced.yaml"}, []string{"published: the case's own assumptions give"}},
		{"bridge FIFO", []string{"bridge", fifo}, []string{"case.yaml: no shipped case of that name", "a named pipe"}},
		{"bridge /dev/zero", []string{"bridge", "/dev/zero"}, []string{"/dev/zero: no shipped case", "a character device"}},
		{"national unknown area", []string{"national", "--area", "Unknown=2"}, []string{"--area Unknown: no two-tier area"}},
		{"national K out of range", []string{"national", "--area", "Kent=9"}, []string{`--area "Kent=9"`}},
		{"national same area twice", []string{"national", "--area", "kent=2", "--area", "Kent=3"}, []string{"--area"}},
		{"national negative residents", []string{"national", "--min-residents", "-1"}, []string{"--min-residents"}},
		{"national residents beyond any area", []string{"national", "--min-residents", "1e12"}, []string{"--min-residents"}},
		{"national zero unitaries", []string{"national", "--unitaries", "0"}, []string{"--unitaries: must be between 1 and 5"}},
		{"national integration", []string{"national", "--integration", "bogus"}, []string{"--integration"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, bg, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stdout, "NaN") {
				t.Errorf("panic or NaN: %s %s", stderr, stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
		})
	}
	if _, err := os.Stat(fifo); err != nil {
		t.Fatal(err)
	}
}
