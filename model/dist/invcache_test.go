package dist

import (
	"reflect"
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
	d := a.d
	fresh := newInverse(d.CDF, d.Prob, func(x float64) float64 {
		return d.Prob(x) * ((d.Alpha-1)/x - (d.Beta-1)/(1-x))
	}, 0, 1)
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
