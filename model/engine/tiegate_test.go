package engine

import "testing"

// TestScaleIntervalTieGate pins the tie gate (nearLevel): the between-block
// factor r is measured at the counting point x_(k), where the pooled
// empirical CDF F is k/N unless values tie there (an atom at the
// percentile). Where F is more than one independent-draws standard error
// sqrt(p (1 - p) / N) from p, r belongs to another point of the
// distribution, and the order-statistic interval must stand unchanged;
// within it, the interval is scaled by r about the estimate.
//
// 48 blocks of 1,024: each block counts c values below the point, with
// counts alternating c0 - 4 and c0 + 4, so r is well below 1 (the counts
// vary much less than binomially) and the same at any c0.
func TestScaleIntervalTieGate(t *testing.T) {
	const p, nb, blocks = 0.5, 1024, 48
	acc := func(c0 int) blockCDF {
		var a blockCDF
		for b := range blocks {
			a.add(c0-4+8*(b%2), nb)
		}
		return a
	}
	q, lo, hi := 10.0, 9.0, 12.0
	// At the level: F = 0.5 exactly.
	near := acc(512)
	r, ok := near.ratio()
	if !ok || !(r > 0 && r < 0.5) {
		t.Fatalf("the test's counts give r = %g (ok %v), want a factor well below 1", r, ok)
	}
	gotLo, gotHi := scaleInterval(q, lo, hi, p, near)
	if wantLo, wantHi := q-r*(q-lo), q+r*(hi-q); gotLo != wantLo || gotHi != wantHi {
		t.Errorf("F at the level: interval [%g, %g], want [%g, %g] (scaled by r = %g)", gotLo, gotHi, wantLo, wantHi, r)
	}
	// A tie: F = 0.3 (values tied at x_(k) from F = 0.3 up), 90 standard
	// errors (0.0023) below p.
	tied := acc(307)
	if _, ok := tied.ratio(); !ok {
		t.Fatal("the tied counts give no ratio: the test would not reach the gate")
	}
	if gotLo, gotHi := scaleInterval(q, lo, hi, p, tied); gotLo != lo || gotHi != hi {
		t.Errorf("F = 0.3 at a tie: interval [%g, %g], want the order-statistic interval [%g, %g] unchanged", gotLo, gotHi, lo, hi)
	}
	// The gate's edge, one standard error sqrt(0.25/49152) = 0.00226 from p:
	// F = 510/1024 (0.0020 below) is scaled, F = 509/1024 (0.0029) is not.
	in, out := acc(510), acc(509)
	rin, _ := in.ratio()
	if gotLo, gotHi := scaleInterval(q, lo, hi, p, in); gotLo != q-rin*(q-lo) || gotHi != q+rin*(hi-q) {
		t.Errorf("F = 510/1024, inside one standard error: interval [%g, %g], want it scaled by %g", gotLo, gotHi, rin)
	}
	if gotLo, gotHi := scaleInterval(q, lo, hi, p, out); gotLo != lo || gotHi != hi {
		t.Errorf("F = 509/1024, outside one standard error: interval [%g, %g], want it unchanged", gotLo, gotHi)
	}
}
