package qmc

import (
	_ "embed"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/devolve-lgr/devolve/internal/pcgpair"
)

// DesignBits is the number of binary digits of a Sobol' design: a design
// has at most 2^DesignBits = 1,024 points (one engine block).
const DesignBits = 10

// DesignSize is 2^DesignBits.
const DesignSize = 1 << DesignBits

//go:embed new-joe-kuo-6.21201.first2048.txt
var joeKuo string

// MaxSobolDims is the number of Sobol' dimensions with shipped direction
// numbers (dimension 1 is van der Corput's; 2..2048 come from the table).
const MaxSobolDims = 2048

var (
	dirMu   sync.Mutex
	dirs    [][DesignBits]uint32 // dirs[d][k]: direction number v_{k+1} of dimension d+1, in the top DesignBits bits of a uint32; parsed as far as asked
	dirRest string               // the table's lines not parsed yet
	dirErr  error
)

// direction returns the direction numbers of dimension dim (0-based, below
// MaxSobolDims), parsing the Joe-Kuo table only as far as dim: a run asks
// for its inputs' dimensions, tens of the 2,048 (parsing all of them took
// some 5 ms of every Sobol' run).
func direction(dim int) ([DesignBits]uint32, error) {
	dirMu.Lock()
	defer dirMu.Unlock()
	if dirs == nil {
		dirs = make([][DesignBits]uint32, 1, MaxSobolDims)
		for k := 0; k < DesignBits; k++ {
			dirs[0][k] = 1 << (31 - k)
		}
		_, dirRest, _ = strings.Cut(joeKuo, "\n") // the header
	}
	for len(dirs) <= dim && dirErr == nil {
		if dirRest == "" {
			dirErr = fmt.Errorf("qmc: direction table holds %d dimensions, want %d", len(dirs), MaxSobolDims)
			break
		}
		var line string
		line, dirRest, _ = strings.Cut(dirRest, "\n")
		dirErr = parseDirections(line)
	}
	if dirErr != nil {
		return [DesignBits]uint32{}, dirErr
	}
	return dirs[dim], nil
}

// parseDirections appends the dimension of one line of the Joe-Kuo table,
// "d s a m_1 .. m_s": the degree s of dimension d's primitive polynomial,
// its interior coefficients a (binary) and its initial direction integers
// m_k; then v_k = m_k / 2^k for k <= s and, for k > s,
// v_k = v_{k-s} XOR (v_{k-s} >> s) XOR sum_{i=1}^{s-1} a_i v_{k-i}
// (Joe and Kuo 2008, eq. 2; Bratley and Fox 1988), for the first
// DesignBits k (v_k depends on v_1 .. v_k only). A blank line adds nothing.
func parseDirections(line string) error {
	f := strings.Fields(line)
	if len(f) < 4 {
		return nil
	}
	num := make([]uint64, len(f))
	for i, s := range f {
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			return fmt.Errorf("qmc: direction table: %v", err)
		}
		num[i] = v
	}
	d, s, a, m := int(num[0]), int(num[1]), uint32(num[2]), num[3:]
	if d != len(dirs)+1 || len(m) != s {
		return fmt.Errorf("qmc: direction table: bad line for dimension %d", d)
	}
	var v [DesignBits + 1]uint32 // v[k], k = 1..DesignBits, as 32-bit fractions
	for k := 1; k <= DesignBits; k++ {
		if k <= s {
			v[k] = uint32(m[k-1]) << (32 - k)
			continue
		}
		v[k] = v[k-s] ^ (v[k-s] >> s)
		for i := 1; i <= s-1; i++ {
			if (a>>(s-1-i))&1 == 1 {
				v[k] ^= v[k-i]
			}
		}
	}
	var row [DesignBits]uint32
	copy(row[:], v[1:])
	dirs = append(dirs, row)
	return nil
}

// SobolDesign writes the 10-digit Sobol' design of dimension dim (0-based:
// dim 0 is the first dimension) into dst, point i of the first len(dst)
// points in Gray-code order (Antonov and Saleev 1979), as integers
// 0..1023 (the point is dst[i]/1024). For len(dst) a power of two the points are the
// first len(dst) points of the sequence, in another order. dim must be
// below MaxSobolDims and len(dst) at most DesignSize.
func SobolDesign(dim int, dst []uint16) error {
	if dim < 0 || dim >= MaxSobolDims {
		return fmt.Errorf("qmc: Sobol dimension %d out of range (0..%d)", dim, MaxSobolDims-1)
	}
	if len(dst) > DesignSize {
		return fmt.Errorf("qmc: a Sobol design has at most %d points (got %d)", DesignSize, len(dst))
	}
	v, err := direction(dim)
	if err != nil {
		return err
	}
	var x uint32
	for i := range dst {
		if i > 0 {
			c := 0 // the lowest zero bit of i-1 (the Gray code's changed bit)
			for j := i - 1; j&1 == 1; j >>= 1 {
				c++
			}
			x ^= v[c]
		}
		dst[i] = uint16(x >> (32 - DesignBits))
	}
	return nil
}

// OwenTree is the random flip bits of one nested uniform scrambling of
// DesignBits digits: bit (node) for node 1..1023 of the binary tree whose
// node at depth k is 1 followed by the point's first k digits.
type OwenTree [DesignSize / 64]uint64

// Draw fills t from r.
func (t *OwenTree) Draw(r *rand.Rand) {
	for i := range t {
		t[i] = r.Uint64()
	}
}

// Scramble returns the Owen scrambling by t of the 10-digit fraction x/1024:
// digit k is flipped by the bit of the node its first k-1 digits reach.
func (t *OwenTree) Scramble(x uint16) uint16 {
	node := uint32(1)
	var y uint32
	for k := DesignBits - 1; k >= 0; k-- {
		d := uint32(x>>k) & 1
		y = y<<1 | (d ^ uint32(t[node>>6]>>(node&63))&1)
		node = node<<1 | d
	}
	return uint16(y)
}

// ScrambledSobol sets u[i] to the Owen-scrambled point i of one dimension's
// design: (Scramble(design[i]) + V_i)/1024 with the flips and the V_i
// (the digits beyond the tenth, uniform under nested scrambling) drawn
// from r. Each u[i] is uniform on [0, 1), and with the designs of several
// dimensions scrambled independently the points form a randomised
// (t, 10, s)-net. It does not allocate.
func ScrambledSobol(r *rand.Rand, design []uint16, u []float64) {
	var t OwenTree
	t.Draw(r)
	var img [DesignSize]uint16
	t.table(&img)
	for i, x := range design[:len(u)] {
		u[i] = (float64(img[x]) + r.Float64()) * (1.0 / DesignSize)
	}
}

// ScrambledSobolPCG sets u to exactly what ScrambledSobol(rand.New(src),
// design, u) would, reading the concrete generator directly (no interface
// call per point; the engine's Sobol' path). It does not allocate.
func ScrambledSobolPCG(src *rand.PCG, design []uint16, u []float64) {
	var t OwenTree
	for i := range t {
		t[i] = src.Uint64()
	}
	var img [DesignSize]uint16
	t.table(&img)
	design = design[:len(u)]
	n := len(u)
	if n == 0 {
		return
	}
	// ScrambledSobol's (img[x] + m/2^53)/2^10 for the 53 low bits m of
	// the word (rand.Rand.Float64's), as the one integer img[x] 2^53 + m
	// (below 2^63) converted and scaled by 2^-63: both round the same
	// real number to the nearest float64 once (the scalings by powers of
	// two are exact).
	point := func(x uint16, w uint64) float64 {
		return float64(int64(uint64(img[x])<<53|w<<11>>11)) * 0x1p-63
	}
	// The words two at a time, point i from chain a and i+1 from chain
	// b (pcgpair).
	ah, al := pcgpair.Step(pcgpair.State(src))
	bh, bl := pcgpair.Step(ah, al)
	i := 0
	for ; i+1 < n; i += 2 {
		if i > 0 {
			ah, al = pcgpair.Step2(ah, al)
			bh, bl = pcgpair.Step2(bh, bl)
		}
		u[i] = point(design[i], pcgpair.Out(ah, al))
		u[i+1] = point(design[i+1], pcgpair.Out(bh, bl))
	}
	if i == 0 { // one point
		u[0] = point(design[0], src.Uint64())
		return
	}
	pcgpair.SetState(src, bh, bl)
	if i < n {
		u[i] = point(design[i], src.Uint64())
	}
}

// table sets img[x] to Scramble(x) for every 10-digit string x. Digit k
// of a string is flipped by the bit of node 2^(k-1) + (the string's first
// k-1 digits), so the image of a k-digit prefix is the image of its first
// k-1 digits followed by its last digit, flipped by that node's bit.
//
// Two levels a step: the four (k+1)-digit extensions 4q..4q+3 of a
// (k-1)-digit prefix q share q's image b in their top digits, and their
// last two digits come from three bits (node 2^(k-1) + q for digit k,
// nodes 2^k + 2q and 2^k + 2q + 1, neighbouring bits of one word, for
// digit k+1) through lowLanes, which holds the four last-two-digit images
// as one 64-bit word of 16-bit lanes: 341 steps, against 10 per string
// directly.
func (t *OwenTree) table(img *[DesignSize]uint16) {
	img[0] = 0
	// Level pair k = 1: one prefix (the empty one).
	put4(img[0:4:4], lowLanes[t[0]>>1&1<<2|t[0]>>2&3])
	for k := 3; k < DesignBits; k += 2 {
		// In place, q descending two at a time: the step for q and q+1
		// (q even) reads img[q] and img[q+1] and then writes 4q..4q+7,
		// which are past q+1 (or, for q = 0, read first), so their old
		// values were read at earlier steps. Nodes n1, n1+1 (digit k of
		// prefixes q, q+1) are neighbouring bits of one word, as are
		// n2..n2+3 (digit k+1): six bits index lowPairs.
		for q := (1 << (k - 1)) - 2; q >= 0; q -= 2 {
			n1 := 1<<(k-1) | q // even
			n2 := 1<<k | 2*q   // a multiple of 4
			f := t[n1>>6]>>(n1&63)&3<<4 | t[n2>>6]>>(n2&63)&15
			l := &lowPairs[f]
			a, b := uint64(img[q])<<2, uint64(img[q+1])<<2
			put4(img[4*q:4*q+4:4*q+4], a*0x0001000100010001|l[0])
			put4(img[4*q+4:4*q+8:4*q+8], b*0x0001000100010001|l[1])
		}
	}
}

// put4 writes w's four 16-bit lanes, lowest first, to o (one 64-bit
// store where the compiler sees it).
func put4(o []uint16, w uint64) {
	o[0], o[1], o[2], o[3] = uint16(w), uint16(w>>16), uint16(w>>32), uint16(w>>48)
}

// lowPairs[f] is lowLanes for two neighbouring prefixes q (even) and q+1
// at once: bits 0-1 of f are the flips of digit k+1 under q's two
// extensions, bits 2-3 under q+1's, bit 4 the flip of digit k of q and
// bit 5 that of q+1.
var lowPairs = func() (l [64][2]uint64) {
	for f := range l {
		l[f][0] = lowLanes[(f>>4&1)<<2|f&3]
		l[f][1] = lowLanes[(f>>5&1)<<2|f>>2&3]
	}
	return l
}()

// table goes two levels a step: a compile error if DesignBits is odd.
var _ [1 - DesignBits%2]struct{}

// lowLanes[f1<<2 | f2] holds, in 16-bit lane j of a word, the image of
// the last two digits of a string 4q + j (its digits are those of j),
// given the flip f1 of the first of them and the flips of the second, bit
// 0 of f2 for lanes 0 and 1 (j's first digit 0) and bit 1 for lanes 2 and
// 3.
var lowLanes = func() (l [8]uint64) {
	for i := range l {
		f1, f2 := uint64(i>>2), uint64(i&3)
		for j := range uint64(4) {
			d1, d2 := j>>1, j&1
			lane := (d1^f1)<<1 | (d2 ^ (f2>>d1)&1)
			l[i] |= lane << (16 * j)
		}
	}
	return l
}()
