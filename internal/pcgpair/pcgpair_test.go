package pcgpair

import (
	"math/rand/v2"
	"testing"
)

// TestMatchesUint64: Float64s gives exactly what successive Float64 calls
// on the same generator give, and leaves the generator where they do, for
// lengths 0 to 9 and 1,024 and 1,025 and 40 seeds.
func TestMatchesUint64(t *testing.T) {
	for seed := range uint64(40) {
		for _, n := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 1024, 1025} {
			want, got := make([]float64, n), make([]float64, n)
			r := rand.New(rand.NewPCG(seed, seed*7+1))
			for i := range want {
				want[i] = r.Float64()
			}
			src := rand.NewPCG(seed, seed*7+1)
			Float64s(src, got)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("seed %d n %d: word %d %v, want %v", seed, n, i, got[i], want[i])
				}
			}
			if a, b := r.Uint64(), src.Uint64(); a != b {
				t.Fatalf("seed %d n %d: next word %x, want %x", seed, n, b, a)
			}
		}
	}
}

// TestTwoStepConstants recomputes a^2 and (a+1) c mod 2^128.
func TestTwoStepConstants(t *testing.T) {
	mh, ml := mul128(mulHi, mulLo, mulHi, mulLo)
	ah, al := add128(mulHi, mulLo, 0, 1)
	ih, il := mul128(ah, al, incHi, incLo)
	if mh != mul2Hi || ml != mul2Lo || ih != inc2Hi || il != inc2Lo {
		t.Fatalf("a^2 = %#x %#x, (a+1)c = %#x %#x", mh, ml, ih, il)
	}
	// And two steps are Step twice.
	h, l := uint64(3), uint64(5)
	h1, l1 := Step(Step(h, l))
	if h2, l2 := Step2(h, l); h1 != h2 || l1 != l2 {
		t.Fatal("Step2 is not Step twice")
	}
}

func BenchmarkFloat64s(b *testing.B) {
	dst := make([]float64, 1024)
	src := rand.NewPCG(1, 2)
	b.Run("pair", func(b *testing.B) {
		for b.Loop() {
			Float64s(src, dst)
		}
	})
	b.Run("one", func(b *testing.B) {
		for b.Loop() {
			for i := range dst {
				dst[i] = float64(src.Uint64()<<11>>11) / (1 << 53)
			}
		}
	})
}
