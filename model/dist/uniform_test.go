package dist

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// TestFromUniformDistribution checks, by the Kolmogorov-Smirnov distance
// against each family's CDF, that FromUniform of uniform draws has the
// family's distribution, mixtures (composition) included. 20,000 draws: the
// 1% critical value of the KS statistic is 1.63/sqrt(n) = 0.0115.
func TestFromUniformDistribution(t *testing.T) {
	ln, _ := NewLogNormal(0, 0.5)
	ln2, _ := NewLogNormal(1, 0.3)
	pert, _ := NewPERT(1, 2, 5, 4)
	nrm, _ := NewNormal(3, 2)
	mix, _ := NewMixture([]Distribution{Shifted{ln, 1}, ln2, pert}, []float64{0.17, 0.5, 0.33})
	tri, _ := NewTriangular(0, 1, 4)
	for name, d := range map[string]Distribution{"lognormal": ln, "pert": pert, "normal": nrm, "mixture": mix, "triangular": tri, "shifted": Shifted{ln, 2}} {
		const n = 20000
		r := rand.New(rand.NewPCG(11, 12))
		x := make([]float64, n)
		for i := range x {
			x[i] = r.Float64()
		}
		FillFromUniform(d, x)
		sort.Float64s(x)
		ks := 0.0
		for i, v := range x {
			F := d.CDF(v)
			ks = math.Max(ks, math.Max(math.Abs(F-float64(i)/n), math.Abs(F-float64(i+1)/n)))
		}
		if ks > 1.63/math.Sqrt(n) {
			t.Errorf("%s: KS distance %.4f > %.4f", name, ks, 1.63/math.Sqrt(n))
		}
	}
}

// TestFromUniformIsSample checks that for the lognormal and PERT,
// FromUniform(U) is the draw Sample makes from the same uniform.
func TestFromUniformIsSample(t *testing.T) {
	ln, _ := NewLogNormal(0, 0.5)
	pert, _ := NewPERT(1, 2, 5, 4)
	for _, d := range []Distribution{ln, pert} {
		r1 := rand.New(rand.NewPCG(1, 2))
		r2 := rand.New(rand.NewPCG(1, 2))
		for i := 0; i < 1000; i++ {
			if a, b := d.Sample(r1), FromUniform(d, r2.Float64()); a != b {
				t.Fatalf("%T draw %d: Sample %v, FromUniform %v", d, i, a, b)
			}
		}
	}
}

// TestFillFromUniformClampsOutsideTable checks insideClamp's guard: for a
// table whose range of uniforms starts at 0 (below FromUniform's clamp,
// 2^-60; no shipped table does: each starts near 1e-13), FillFromUniform
// must still clamp, so that its draws equal FromUniform's. The table is
// made by hand, one steep interval on [0, 1): unclamped, u = 0 gives 0;
// clamped, 1e20 * 2^-60 (about 87).
func TestFillFromUniformClampsOutsideTable(t *testing.T) {
	steep := func() *inverse {
		return &inverse{
			guide: []int32{0, 0, 0, 0},
			seg:   []invSeg{{u0: 0, inv: 1, c: [6]float64{0, 1e20}}, {u0: 1}},
			xlo:   0, xhi: 1e20,
		}
	}
	if steep().insideClamp() {
		t.Fatal("a table starting at u = 0 must not count as inside the clamp")
	}
	ln, _ := NewLogNormal(0, 1)
	ln.inv = lazy(steep)
	pert, _ := NewPERT(0, 0.5, 1, 4)
	pert.inv = lazy(steep)
	us := []float64{0, 1e-30, 0x1p-61, 0x1p-60, 0.25, 1 - 0x1p-54}
	for name, d := range map[string]Distribution{"lognormal": ln, "pert": pert} {
		// One uniform a call: the ScaledBeta branch sends a whole column
		// to its exact inverse when any uniform lies past the table's end
		// (1 - 2^-54 rounds to 1), which would hide the table's path.
		for _, u := range us {
			got := []float64{u}
			FillFromUniform(d, got)
			if want := FromUniform(d, u); got[0] != want {
				t.Errorf("%s: FillFromUniform at u = %g gives %g, FromUniform %g", name, u, got[0], want)
			}
		}
	}
}
