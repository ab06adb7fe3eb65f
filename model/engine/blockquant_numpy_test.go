package engine

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// TestBlockPercentileNumpy (opt-in, DEVOLVE_NUMPY=1; needs numpy in
// /usr/bin/python3): scripts/percentile_interval_check.py recomputes, from
// the kept draws alone, every between-block percentile interval of
// gaussModel's output and of the same plus 3000 under Sobol' (20 seeds
// each, 48 blocks and a partial 49th), and they agree with the engine's to
// 1e-9 of the interval's width (measured: 2.2e-11, rounding at 3000).
func TestBlockPercentileNumpy(t *testing.T) {
	if os.Getenv("DEVOLVE_NUMPY") == "" {
		t.Skip("opt-in: DEVOLVE_NUMPY=1")
	}
	dir := t.TempDir()
	sc := new(Scratch)
	for _, c := range []float64{0, 3000} {
		m, _ := gaussModelAt(c)
		for s := range uint64(20) {
			res, err := Run(context.Background(), m, Options{Iterations: 48*BlockSize + 300, Seed: 9000 + s, Sampling: Sobol, Keep: []int{0}})
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("%g_%d", c, s)
			f, err := os.Create(filepath.Join(dir, "x_"+name+".bin"))
			if err != nil {
				t.Fatal(err)
			}
			if err := binary.Write(f, binary.LittleEndian, res.Kept[0]); err != nil {
				t.Fatal(err)
			}
			f.Close()
			sm := res.KeptSummary(sc, 0)
			txt := ""
			for i := range Levels {
				txt += fmt.Sprintf("%.17g %.17g %.17g\n", sm.Percentile(i), sm.PLo[i], sm.PHi[i])
			}
			if err := os.WriteFile(filepath.Join(dir, "s_"+name+".txt"), []byte(txt), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	out, err := exec.Command("/usr/bin/python3", "../../scripts/percentile_interval_check.py", dir).CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	t.Logf("%s", out)
	m := regexp.MustCompile(`^(\d+) intervals; largest difference (\S+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("unexpected output %q", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	d, _ := strconv.ParseFloat(string(m[2]), 64)
	if n != 200 || !(d <= 1e-9) {
		t.Errorf("%d intervals, largest difference %g of the width; want 200 and at most 1e-9", n, d)
	}
}
