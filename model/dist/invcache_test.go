package dist

import (
	"reflect"
	"sync/atomic"
	"testing"
)

// TestInverseShared: distributions with the same parameters share one
// inverse table, equal to one built afresh; different parameters get their
// own.
func TestInverseShared(t *testing.T) {
	a, _ := NewPERT(1, 2, 5, 4)
	b, _ := NewPERT(1, 2, 5, 4)
	c, _ := NewPERT(1, 3, 5, 4)
	if a.inv == nil || a.inv != b.inv || a.inv == c.inv {
		t.Fatalf("PERT tables: same parameters share %v, different parameters differ %v", a.inv == b.inv, a.inv != c.inv)
	}
	fresh := betaInverse(a.d.Alpha, a.d.Beta)
	if !reflect.DeepEqual(fresh, a.inv.get()) {
		t.Error("the shared PERT table differs from one built afresh")
	}
	l1, _ := NewLogNormal(0.1, 0.4)
	l2, _ := NewLogNormal(0.1, 0.4)
	l3, _ := NewLogNormal(0.1, 0.5)
	if l1.inv == nil || l1.inv != l2.inv || l1.inv == l3.inv {
		t.Error("lognormal tables are not shared by parameters")
	}
}

// TestBuildTables: BuildTables builds every table that draws from its
// distributions read (a lognormal, a PERT, a mixture's components, a
// shifted one), each exactly once however many distributions share it,
// each equal to the table a first draw would build, on several goroutines
// or one; and none that only a Truncated reaches (a truncated lognormal
// draws through its quantile function).
func TestBuildTables(t *testing.T) {
	for _, workers := range []int{1, 3, 64} {
		// Parameters no other test uses: tables are shared by parameters
		// across the process.
		o := 1e-7 * float64(workers)
		var l [4]LogNormal
		for i := range l {
			l[i], _ = NewLogNormal(3+o, 0.3+0.1*float64(i))
		}
		p1, _ := NewPERT(1, 2+o, 7, 4)
		mix, err := NewMixture([]Distribution{l[1], Shifted{D: l[2], Shift: 2}, p1}, []float64{0.2, 0.3, 0.5})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTruncated(l[3], 10, 30)
		if err != nil {
			t.Fatal(err)
		}
		ds := []Distribution{l[0], p1, mix, l[0], Fixed{V: 1}, tr}
		drawn := []*lazyInverse{l[0].inv, p1.inv, l[1].inv, l[2].inv}
		want := make([]*inverse, len(drawn))
		builds := make([]atomic.Int32, len(drawn))
		for i, lz := range drawn {
			want[i] = lz.build() // what the first draw would build
			b := lz.build
			lz.build = func() *inverse { builds[i].Add(1); return b() }
		}
		BuildTables(ds, workers)
		for i, lz := range drawn {
			if n := builds[i].Load(); n != 1 {
				t.Errorf("workers=%d: table %d built %d times, want once", workers, i, n)
			}
			if got := lz.built(); got == nil || !reflect.DeepEqual(got, want[i]) {
				t.Errorf("workers=%d: table %d not built, or not the table a draw builds", workers, i)
			}
		}
		if l[3].inv.built() != nil {
			t.Errorf("workers=%d: the table under a Truncated was built", workers)
		}
		BuildTables(ds, workers) // all built: nothing to do
		for i := range drawn {
			if n := builds[i].Load(); n != 1 {
				t.Errorf("workers=%d: table %d built again (%d builds)", workers, i, n)
			}
		}
	}
}

// TestBuildQuantileTables: BuildQuantileTables builds exactly the tables
// that Quantile at 1e-6 and 1 - 1e-6 builds (a PERT's, also inside a
// mixture or a shift; not a lognormal's), for two sets of the same shapes
// with different parameters (tables are shared by parameters). A truncated
// PERT is not in the sets: NewTruncated reads its quantiles for the mean,
// which builds its table at once.
func TestBuildQuantileTables(t *testing.T) {
	set := func(o float64) ([]Distribution, []*lazyInverse) {
		l, _ := NewLogNormal(2+o, 0.45)
		p1, _ := NewPERT(1, 2+o, 9, 4)
		p2, _ := NewPERT(1, 3+o, 9, 4)
		p3, _ := NewPERT(1, 4+o, 9, 4)
		l2, _ := NewLogNormal(3+o, 0.45)
		mix, err := NewMixture([]Distribution{l2, p2}, []float64{0.5, 0.5})
		if err != nil {
			t.Fatal(err)
		}
		return []Distribution{l, p1, mix, Shifted{D: p3, Shift: 1}, Fixed{V: 2}},
			[]*lazyInverse{l.inv, p1.inv, l2.inv, p2.inv, p3.inv}
	}
	ds, quantiled := set(0.3e-7)
	for _, d := range ds {
		d.Quantile(1e-6)
		d.Quantile(1 - 1e-6)
	}
	ds2, prebuilt := set(0.4e-7)
	BuildQuantileTables(ds2, 3)
	for i := range quantiled {
		if q, b := quantiled[i].built() != nil, prebuilt[i].built() != nil; q != b {
			t.Errorf("table %d: built by Quantile %v, by BuildQuantileTables %v", i, q, b)
		}
	}
	if prebuilt[0].built() != nil || prebuilt[1].built() == nil {
		t.Error("a lognormal's table built, or a PERT's not")
	}
}
