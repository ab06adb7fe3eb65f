// Package qmc holds the sampling designs the engine can use instead of
// plain Monte Carlo: Latin hypercube samples and Owen-scrambled Sobol'
// points, both as designs of at most 1,024 points (one engine block) whose
// every point is uniform on the unit cube, so that an average over a design
// is an unbiased estimate and independent designs can be pooled.
//
// Sobol' direction numbers are Joe and Kuo's new-joe-kuo-6.21201 set
// (S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
// two-dimensional projections", SIAM J. Sci. Comput. 30, 2635-2654, 2008;
// https://web.maths.unsw.edu.au/~fkuo/sobol/), of which the first 2,048
// dimensions are shipped verbatim (whitespace normalised) in
// new-joe-kuo-6.21201.first2048.txt. Scrambling is Owen's nested uniform
// scrambling (A. B. Owen, "Randomly permuted (t,m,s)-nets and
// (t,s)-sequences", in Monte Carlo and Quasi-Monte Carlo Methods in
// Scientific Computing, Springer, 1995), done exactly to the design's 10
// digits with the digits beyond drawn uniformly, which is what nested
// scrambling does to them for a design of 2^10 points.
//
// Latin hypercube: McKay, Beckman and Conover, "A comparison of three
// methods for selecting values of input variables in the analysis of
// output from a computer code", Technometrics 21(2), 1979.
package qmc
