package calibration

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// SimplexLS returns the weights w on the simplex (w ≥ 0, Σw = 1) that
// minimise
//
//	(1/T) Σ_t (y_t − Σ_j w_j X[j][t])² + ridge Σ_j w_j²,
//
// where X[j] is donor j's series of T values and y the treated series: the
// synthetic-control weights of Abadie, Diamond & Hainmueller (2010) with a
// small ridge term that makes the minimiser unique when several donor
// mixtures fit exactly (few pre-vesting years). It also returns the
// objective at w. The solver is accelerated projected gradient (FISTA,
// Beck & Teboulle 2009) with adaptive restart (O'Donoghue & Candès 2015)
// and Euclidean projection onto the simplex (Duchi et al. 2008), stopped
// when the Frank-Wolfe duality gap, an upper bound on the distance to the
// optimum's objective, falls below 1e-13 times the objective's scale, or
// after 200,000 iterations. Deterministic. It panics if X is empty or a
// series is not of y's length.
func SimplexLS(X [][]float64, y []float64, ridge float64) (w []float64, obj float64) {
	checkSLS(X, y)
	if w, ok := simplexLSNewton(X, y, ridge); ok {
		return w, slsObjective(X, y, ridge, w, make([]float64, len(y)))
	}
	return simplexLSFISTA(X, y, ridge)
}

func checkSLS(X [][]float64, y []float64) {
	n, T := len(X), len(y)
	if n == 0 || T == 0 {
		panic("calibration: SimplexLS needs donors and periods")
	}
	for _, x := range X {
		if len(x) != T {
			panic("calibration: SimplexLS donor series of the wrong length")
		}
	}
}

// simplexLSFISTA is SimplexLS by accelerated projected gradient: the
// fallback when the Newton iteration does not converge, and its check in
// tests.
func simplexLSFISTA(X [][]float64, y []float64, ridge float64) (w []float64, obj float64) {
	n, T := len(X), len(y)
	if n == 0 || T == 0 {
		panic("calibration: SimplexLS needs donors and periods")
	}
	for _, x := range X {
		if len(x) != T {
			panic("calibration: SimplexLS donor series of the wrong length")
		}
	}
	if n == 1 {
		return []float64{1}, slsObjective(X, y, ridge, []float64{1}, make([]float64, T))
	}
	// Lipschitz constant of the gradient: 2(λmax(X Xᵀ)/T + ridge), where
	// X Xᵀ here is the T×T matrix Σ_j x_j x_jᵀ.
	g := mat.NewSymDense(T, nil)
	for _, x := range X {
		for a := 0; a < T; a++ {
			for b := a; b < T; b++ {
				g.SetSym(a, b, g.At(a, b)+x[a]*x[b])
			}
		}
	}
	var es mat.EigenSym
	lmax := 0.0
	if es.Factorize(g, false) {
		for _, v := range es.Values(nil) {
			lmax = math.Max(lmax, v)
		}
	} else {
		lmax = mat.Trace(g)
	}
	L := 2 * (lmax/float64(T) + ridge)
	scale := 0.0
	for _, v := range y {
		scale += v * v
	}
	scale = scale/float64(T) + lmax/float64(T)/float64(n) + 1e-300
	step := 1 / L

	w = make([]float64, n)
	for j := range w {
		w[j] = 1 / float64(n)
	}
	z := append([]float64(nil), w...)
	prev := append([]float64(nil), w...)
	grad := make([]float64, n)
	resid := make([]float64, T)
	buf := make([]float64, n)
	tk := 1.0
	fPrev := math.Inf(1)
	for it := 0; it < 200_000; it++ {
		slsGradient(X, y, ridge, z, resid, grad)
		copy(prev, w)
		for j := range w {
			w[j] = z[j] - step*grad[j]
		}
		projectSimplex(w, buf)
		f := slsObjective(X, y, ridge, w, resid)
		if f > fPrev { // adaptive restart
			tk = 1
			copy(z, w)
		} else {
			tn := (1 + math.Sqrt(1+4*tk*tk)) / 2
			for j := range z {
				z[j] = w[j] + (tk-1)/tn*(w[j]-prev[j])
			}
			tk = tn
		}
		fPrev = f
		if it%25 == 0 {
			slsGradient(X, y, ridge, w, resid, grad)
			gmin, dot := math.Inf(1), 0.0
			for j := range w {
				gmin = math.Min(gmin, grad[j])
				dot += w[j] * grad[j]
			}
			if dot-gmin <= 1e-13*scale {
				break
			}
		}
	}
	return w, slsObjective(X, y, ridge, w, resid)
}

// slsObjective is SimplexLS's objective at w (resid is scratch of length T).
func slsObjective(X [][]float64, y []float64, ridge float64, w, resid []float64) float64 {
	T := len(y)
	copy(resid, y)
	for j, x := range X {
		if w[j] == 0 {
			continue
		}
		for t := range resid {
			resid[t] -= w[j] * x[t]
		}
	}
	f := 0.0
	for _, r := range resid {
		f += r * r
	}
	f /= float64(T)
	for _, v := range w {
		f += ridge * v * v
	}
	return f
}

// slsGradient writes the objective's gradient at w into grad.
func slsGradient(X [][]float64, y []float64, ridge float64, w, resid, grad []float64) {
	T := len(y)
	for t := range resid {
		resid[t] = -y[t]
	}
	for j, x := range X {
		if w[j] == 0 {
			continue
		}
		for t := range resid {
			resid[t] += w[j] * x[t]
		}
	}
	for j, x := range X {
		s := 0.0
		for t, r := range resid {
			s += x[t] * r
		}
		grad[j] = 2*s/float64(T) + 2*ridge*w[j]
	}
}

// projectSimplex replaces v by its Euclidean projection onto the simplex
// (Duchi, Shalev-Shwartz, Singer & Chandra 2008, figure 1); buf is
// scratch of v's length. Only values above max(v) - 1 can be in the
// support (for a value u at descending position i, cum >= max + i u, so
// (cum - 1)/(i+1) >= u once u <= max - 1): those alone are sorted, with a
// margin far beyond rounding, which gives the same threshold from the same
// sums in the same order as sorting all of v.
func projectSimplex(v, buf []float64) {
	mx := math.Inf(-1)
	for _, x := range v {
		mx = math.Max(mx, x)
	}
	cut := mx - 1 - 1e-6*(1+math.Abs(mx))
	buf = buf[:0]
	for _, x := range v {
		if x > cut {
			buf = append(buf, x)
		}
	}
	slices.Sort(buf)
	cum, theta := 0.0, 0.0
	for i := range buf {
		u := buf[len(buf)-1-i] // largest first
		cum += u
		if t := (cum - 1) / float64(i+1); u-t > 0 {
			theta = t
		}
	}
	for i := range v {
		v[i] = math.Max(v[i]-theta, 0)
	}
}

// simplexLSNewton solves SimplexLS's problem (ridge > 0) through its
// dual, a smooth concave problem in T dimensions (T = pre-vesting years):
//
//	D(u) = −uᵀy − (T/4)‖u‖² + min_{w∈Δ} [ Σ_j w_j x_j·u + ridge‖w‖² ],
//
// whose inner minimiser is w(u) = P_Δ(−Xu/(2·ridge)), the Euclidean
// projection onto the simplex. D is piecewise quadratic; it is maximised by
// Newton's method with backtracking on D (the Hessian on the active set A of
// w(u) is −(T/2)I − X_Aᵀ(I − 11ᵀ/|A|)X_A/(2·ridge)), and by strong duality
// w(u*) is the primal minimiser. It reports false if the gradient of D does
// stops improving and w fails the Frank-Wolfe optimality check (gap above
// 1e-9 of the largest gradient component);
// SimplexLS then falls back to FISTA.
func simplexLSNewton(X [][]float64, y []float64, ridge float64) ([]float64, bool) {
	n, T := len(X), len(y)
	if ridge <= 0 {
		return nil, false
	}
	w := make([]float64, n)
	buf := make([]float64, n)
	// eval sets w = w(u) and returns D(u) and its gradient in grad.
	eval := func(u, w, grad []float64) float64 {
		for j, x := range X {
			s := 0.0
			for t := range u {
				s += x[t] * u[t]
			}
			w[j] = -s / (2 * ridge)
		}
		projectSimplex(w, buf)
		d := 0.0
		for t := range u {
			d -= u[t]*y[t] + float64(T)/4*u[t]*u[t]
			grad[t] = -y[t] - float64(T)/2*u[t]
		}
		for j, x := range X {
			if w[j] == 0 {
				continue
			}
			s := 0.0
			for t := range u {
				s += x[t] * u[t]
				grad[t] += w[j] * x[t]
			}
			d += w[j]*s + ridge*w[j]*w[j]
		}
		return d
	}
	u := make([]float64, T)
	grad := make([]float64, T)
	D := eval(u, w, grad)
	H := mat.NewSymDense(T, nil)
	var step mat.VecDense
	un := make([]float64, T)
	wn := make([]float64, n)
	gn := make([]float64, T)
	sum := make([]float64, T)
	for it := 0; it < 500; it++ {
		gmax := 0.0
		for _, g := range grad {
			gmax = math.Max(gmax, math.Abs(g))
		}
		if gmax < 1e-15 {
			break
		}
		// −H = (T/2)I + (Σ_A x xᵀ − (Σ_A x)(Σ_A x)ᵀ/|A|)/(2·ridge), positive definite.
		for r := 0; r < T; r++ {
			sum[r] = 0
			for c := r; c < T; c++ {
				H.SetSym(r, c, 0)
			}
		}
		cnt := 0.0
		for j, x := range X {
			if w[j] <= 0 {
				continue
			}
			cnt++
			for r := 0; r < T; r++ {
				sum[r] += x[r]
				for c := r; c < T; c++ {
					H.SetSym(r, c, H.At(r, c)+x[r]*x[c])
				}
			}
		}
		for r := 0; r < T; r++ {
			for c := r; c < T; c++ {
				v := (H.At(r, c) - sum[r]*sum[c]/cnt) / (2 * ridge)
				if r == c {
					v += float64(T) / 2
				}
				H.SetSym(r, c, v)
			}
		}
		var ch mat.Cholesky
		if !ch.Factorize(H) {
			return nil, false
		}
		if err := ch.SolveVecTo(&step, mat.NewVecDense(T, append([]float64(nil), grad...))); err != nil {
			return nil, false
		}
		slope, smax, umax := 0.0, 0.0, 1.0
		for t := range grad {
			slope += grad[t] * step.AtVec(t)
			smax = math.Max(smax, math.Abs(step.AtVec(t)))
			umax = math.Max(umax, math.Abs(u[t]))
		}
		if smax <= 1e-14*umax { // converged to rounding
			break
		}
		alpha, ok := 1.0, false
		for range 60 {
			for t := range un {
				un[t] = u[t] + alpha*step.AtVec(t)
			}
			Dn := eval(un, wn, gn)
			if Dn >= D+1e-4*alpha*slope || (Dn >= D && alpha < 1e-6) {
				copy(u, un)
				copy(w, wn)
				copy(grad, gn)
				ok = Dn > D || alpha == 1
				D = Dn
				break
			}
			alpha /= 2
		}
		if !ok {
			break
		}
	}
	// Optimality of w in the primal (Frank-Wolfe gap), whatever the
	// dual's stopping reason.
	pg := make([]float64, n)
	slsGradient(X, y, ridge, w, make([]float64, T), pg)
	gmin, dot, gabs := math.Inf(1), 0.0, 0.0
	for j := range w {
		gmin = math.Min(gmin, pg[j])
		dot += w[j] * pg[j]
		gabs = math.Max(gabs, math.Abs(pg[j]))
	}
	if dot-gmin > 1e-9*(gabs+ridge) {
		return nil, false
	}
	return w, true
}
