#!/usr/bin/env python3
"""Independent recomputation of devolve's savings posterior (numpy only).

Reads calibration/testdata/measured_rows.csv (written by
`go test ./calibration -run TestSavingsPosteriorNumpy -update`: each measured
row's measured saving over its claim x, its standard error over the claim sd,
and the years after vesting it averages) and writes
calibration/testdata/measured_posterior_numpy.json, which
TestSavingsPosteriorNumpy compares with calibration.FitDefaults.

The model (docs/MODEL.md, "Calibration on outturns"):
    x_i = R_i S_i(T_i) + e_i,  e_i ~ N(0, sd_i^2),  S_i(T) = mean_y C(y/T)
    ln R_i ~ N(mu_R, s_R^2),   ln T_i ~ N(mu_T, s_T^2)
C is the linear four-year ramp: C(u) = min(u, 4) / 4 for u >= 0.
Priors: mu_R, mu_T ~ N(0, 0.5^2); ln s_R, ln s_T ~ N(ln 0.3, 0.7^2), on the
same 13-point grid over +-4 prior sds (the grid is part of the prior).
What differs from the Go code: each row's integral over R_i and T_i uses
Gauss-Hermite quadrature (40 x 20 nodes) instead of equal-probability
midpoints (16 x 8), and everything is written afresh from the equations.

Run from the repository root: python3 scripts/measured_posterior.py
"""
import csv
import json
import math

import numpy as np

N = 13
WIDTH = 4.0
Z95 = 1.6448536269514722


def axis(mean, sd):
    i = np.arange(N)
    return mean + sd * WIDTH * (2 * i / (N - 1) - 1)


mu_r = axis(0.0, 0.5)
log_sr = axis(math.log(0.3), 0.7)
mu_t = axis(0.0, 0.5)
log_st = axis(math.log(0.3), 0.7)
s_r, s_t = np.exp(log_sr), np.exp(log_st)


def lp1(v, m, s):
    return -0.5 * ((v - m) / s) ** 2


log_prior = (lp1(mu_r, 0, 0.5)[:, None, None, None] + lp1(log_sr, math.log(0.3), 0.7)[None, :, None, None]
             + lp1(mu_t, 0, 0.5)[None, None, :, None] + lp1(log_st, math.log(0.3), 0.7)[None, None, None, :])

ur, wr = np.polynomial.hermite.hermgauss(40)
ut, wt = np.polynomial.hermite.hermgauss(20)
wr, wt = wr / math.sqrt(math.pi), wt / math.sqrt(math.pi)
zr, zt = math.sqrt(2) * ur, math.sqrt(2) * ut


def ramp(u):
    return np.minimum(u, 4.0) / 4.0


rows = list(csv.DictReader(open("calibration/testdata/measured_rows.csv")))
log_post = log_prior.copy()
for row in rows:
    x, sd = float(row["x"]), float(row["sd"])
    years = np.array([float(y) for y in row["years"].split()])
    # S at every (mu_T, s_T, T node): shape (N, N, 20)
    T = np.exp(mu_t[:, None, None] + s_t[None, :, None] * zt[None, None, :])
    S = ramp(years[None, None, None, :] / T[..., None]).mean(axis=-1)
    like = np.zeros((N, N, N, N))
    for a in range(N):
        R = np.exp(mu_r[a] + s_r[:, None] * zr[None, :])  # (N s_R, 40)
        # residual over (b, k, c, d, j)
        u = (x - R[:, :, None, None, None] * S[None, None, :, :, :]) / sd
        dens = np.exp(-0.5 * u * u) / (sd * math.sqrt(2 * math.pi))
        like[a] = np.einsum("bkcdj,k,j->bcd", dens, wr, wt)
    log_post += np.log(np.maximum(like, 1e-300))

post = np.exp(log_post - log_post.max())
post /= post.sum()


def moments(values, ax):
    keep = tuple(i for i in range(4) if i != ax)
    p = post.sum(axis=keep)
    m = float((p * values).sum())
    return [m, math.sqrt(max(0.0, float((p * values ** 2).sum()) - m * m))]


hyper = {"mu_R": moments(mu_r, 0), "s_R": moments(s_r, 1), "mu_T": moments(mu_t, 2), "s_T": moments(s_t, 3)}


def match(w, mu, s):
    """Lognormal with the 5% and 95% quantiles of sum_ab w[a,b] N(mu[a], s[b]^2)."""
    comps = [(w[a, b], mu[a], s[b]) for a in range(N) for b in range(N) if w[a, b] > 0]

    def cdf(v):
        return sum(p * 0.5 * math.erfc(-(v - m) / (sg * math.sqrt(2))) for p, m, sg in comps)

    def q(p):
        lo, hi = mu[0] - 12 * s[-1], mu[-1] + 12 * s[-1]
        for _ in range(100):
            c = 0.5 * (lo + hi)
            if cdf(c) < p:
                lo = c
            else:
                hi = c
        return 0.5 * (lo + hi)

    a, b = q(0.05), q(0.95)
    return {"mu": 0.5 * (a + b), "sigma": (b - a) / (2 * Z95)}


out = {"rows": len(rows), "hyper": hyper,
       "savings_realisation": match(post.sum(axis=(2, 3)), mu_r, s_r),
       "ramp_stretch": match(post.sum(axis=(0, 1)), mu_t, s_t)}
with open("calibration/testdata/measured_posterior_numpy.json", "w") as f:
    json.dump(out, f, indent=2)
    f.write("\n")
print(json.dumps(out, indent=2))
