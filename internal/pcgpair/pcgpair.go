// Package pcgpair reads the words of a math/rand/v2 PCG two at a time:
// two copies of its state one step apart, each jumped two steps at once
// (leapfrog), give exactly the words successive Uint64 calls would, in the
// same order. A single state is one long chain of dependent 128-bit
// multiplications, each waiting for the last; two chains halve the wait.
//
// The generator is PCG-DXSM with a 128-bit LCG state s, s' = a s + c mod
// 2^128 (math/rand/v2's constants), so two steps give a^2 s + (a+1) c
// (L'Ecuyer 1990, "Random numbers for simulation", on jumping an LCG).
// TestMatchesUint64 checks every word against rand.PCG itself.
package pcgpair

import (
	"math/bits"
	"math/rand/v2"
)

// The LCG's multiplier and increment (math/rand/v2's PCG.next).
const (
	mulHi = 2549297995355413924
	mulLo = 4865540595714422341
	incHi = 6364136223846793005
	incLo = 1442695040888963407
)

// mul2 and inc2 are a^2 and (a+1) c mod 2^128: two steps at once
// (TestTwoStepConstants recomputes them).
const (
	mul2Hi = 0x17bce35bdf69743c
	mul2Lo = 0x529ed9eb20e0ae99
	inc2Hi = 0x4871bec9994273f8
	inc2Lo = 0xac1f8a1c3883459a
)

func mul128(ah, al, bh, bl uint64) (hi, lo uint64) {
	hi, lo = bits.Mul64(al, bl)
	hi += ah*bl + al*bh
	return
}

func add128(ah, al, bh, bl uint64) (hi, lo uint64) {
	lo, c := bits.Add64(al, bl, 0)
	hi, _ = bits.Add64(ah, bh, c)
	return
}

// State returns src's state (the one its next Uint64 steps from).
func State(src *rand.PCG) (hi, lo uint64) {
	var buf [20]byte
	b, _ := src.AppendBinary(buf[:0]) // "pcg:", hi, lo big-endian
	for _, x := range b[4:12] {
		hi = hi<<8 | uint64(x)
	}
	for _, x := range b[12:20] {
		lo = lo<<8 | uint64(x)
	}
	return hi, lo
}

// SetState sets src's state.
func SetState(src *rand.PCG, hi, lo uint64) {
	var buf [20]byte
	copy(buf[:], "pcg:")
	for i := range 8 {
		buf[4+i] = byte(hi >> (56 - 8*i))
		buf[12+i] = byte(lo >> (56 - 8*i))
	}
	if err := src.UnmarshalBinary(buf[:]); err != nil {
		panic("pcgpair: " + err.Error()) // cannot happen: the encoding is PCG's own
	}
}

// Step is one step of the LCG: the state after s.
func Step(hi, lo uint64) (uint64, uint64) {
	hi, lo = mul128(hi, lo, mulHi, mulLo)
	return add128(hi, lo, incHi, incLo)
}

// Step2 is two steps of the LCG at once.
func Step2(hi, lo uint64) (uint64, uint64) {
	hi, lo = mul128(hi, lo, mul2Hi, mul2Lo)
	return add128(hi, lo, inc2Hi, inc2Lo)
}

// Out is the word PCG-DXSM outputs at state (hi, lo): PCG.Uint64 returns
// Out of the state it has just stepped to.
func Out(hi, lo uint64) uint64 {
	const cheapMul = 0xda942042e4dd58b5
	hi ^= hi >> 32
	hi *= cheapMul
	hi ^= hi >> 48
	hi *= lo | 1
	return hi
}

// Float64s sets dst[i] to what successive rand.New(src).Float64() calls
// would return (the low 53 bits of each word over 2^53), and leaves src as
// they would.
func Float64s(src *rand.PCG, dst []float64) {
	n := len(dst)
	if n < 2 {
		for i := range dst {
			dst[i] = float64(src.Uint64()<<11>>11) / (1 << 53)
		}
		return
	}
	h, l := State(src)
	ah, al := Step(h, l)   // word 0's state
	bh, bl := Step(ah, al) // word 1's
	i := 0
	for {
		dst[i] = float64(Out(ah, al)<<11>>11) / (1 << 53)
		dst[i+1] = float64(Out(bh, bl)<<11>>11) / (1 << 53)
		i += 2
		if i+1 >= n {
			break
		}
		ah, al = Step2(ah, al)
		bh, bl = Step2(bh, bl)
	}
	SetState(src, bh, bl) // word i-1's state
	if i < n {
		dst[i] = float64(src.Uint64()<<11>>11) / (1 << 53)
	}
}
