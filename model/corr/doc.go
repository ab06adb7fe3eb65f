// Package corr holds the linear algebra of correlated sampling: checking
// that a target correlation matrix is valid (positive definite), naming the
// inputs that make it invalid, finding the nearest valid correlation matrix
// (Higham 2002), the conversion between Spearman rank correlation and the
// Pearson correlation of normal scores, and the Iman-Conover reordering
// that gives independent samples a target rank correlation while leaving
// every marginal untouched (Iman and Conover 1982).
//
// References: R. L. Iman and W. J. Conover, "A distribution-free approach
// to inducing rank correlation among input variables", Communications in
// Statistics - Simulation and Computation 11(3), 311-334, 1982; N. J.
// Higham, "Computing the nearest correlation matrix - a problem from
// finance", IMA Journal of Numerical Analysis 22(3), 329-343, 2002; K.
// Pearson (1907) for rho_S = (6/pi) asin(rho/2) under normality.
package corr
