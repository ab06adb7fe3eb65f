#!/usr/bin/env python3
"""Independent recomputation of devolve's savings posterior (numpy only).

Reads calibration/testdata/measured_rows.csv (written by
`go test ./calibration -run TestSavingsPosteriorNumpy -update`: for each
measured row its mean measured saving over the claim x and standard error
over the claim sd, its years after vesting, the saving over the claim in
each year and their covariance) and writes two files that
TestSavingsPosteriorNumpy compares with calibration's fits:

calibration/testdata/measured_posterior_numpy.json, the shipped model
(docs/MODEL.md, "Calibration on outturns"):
    x_i = R_i S_i(T_i) + e_i,  e_i ~ N(0, sd_i^2),  S_i(T) = mean_y C(y/T)
    ln R_i ~ N(mu_R, s_R^2),   ln T_i ~ N(mu_T, s_T^2)
    priors mu_R, mu_T ~ N(0, 0.5^2); ln s_R, ln s_T ~ N(ln 0.3, 0.7^2)
    grid: 13 points a side over +-4 prior sds
    here: Gauss-Hermite quadrature over ln R and ln T (40 x 20 nodes); the
    Go code uses 16 x 8 equal-probability midpoints.

calibration/testdata/measured_posterior_numpy_years.json, the year-by-year
fit with one ramp for every case (FitPriors{YearByYear, CommonRamp};
docs/MODEL.md, "The ramp, measured"):
    x_iy = R_i C(y/T) + e_iy,  e_i ~ N(0, V_i)  (the years y of case i)
    ln R_i ~ N(mu_R, s_R^2),   T = exp(mu_T)
    grid: 13 points for mu_R and s_R, 49 for mu_T
    here: the trapezoid rule over ln R on [-10, 10] sds (2001 points) and
    numpy's inverse and log-determinant; the Go code uses the midpoint rule
    on [-8, 8] (160 points) and a Cholesky factor.

C is the linear four-year ramp: C(u) = min(u, 4) / 4 for u >= 0. Everything
is written afresh from the equations.

Run from the repository root with a Python that has numpy (Debian's /usr/bin/python3 with python3-numpy): /usr/bin/python3 scripts/measured_posterior.py
"""
import csv
import json
import math

import numpy as np

WIDTH = 4.0
Z95 = 1.6448536269514722


def axis(mean, sd, n):
    i = np.arange(n)
    return mean + sd * WIDTH * (2 * i / (n - 1) - 1)


def lp1(v, m, s):
    return -0.5 * ((v - m) / s) ** 2


def ramp(u):
    return np.minimum(u, 4.0) / 4.0


def match(w, mu, s):
    """Lognormal with the 5% and 95% quantiles of sum_ab w[a,b] N(mu[a], s[b]^2)."""
    comps = [(w[a, b], mu[a], s[b]) for a in range(len(mu)) for b in range(len(s)) if w[a, b] > 0]

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


def moments(post, values, ax):
    keep = tuple(i for i in range(post.ndim) if i != ax)
    p = post.sum(axis=keep)
    m = float((p * values).sum())
    return [m, math.sqrt(max(0.0, float((p * values ** 2).sum()) - m * m))]


def normalise(lp):
    p = np.exp(lp - lp.max())
    return p / p.sum()


def shipped(rows):
    n = 13
    mu_r, log_sr = axis(0.0, 0.5, n), axis(math.log(0.3), 0.7, n)
    mu_t, log_st = axis(0.0, 0.5, n), axis(math.log(0.3), 0.7, n)
    s_r, s_t = np.exp(log_sr), np.exp(log_st)
    lp = (lp1(mu_r, 0, 0.5)[:, None, None, None] + lp1(log_sr, math.log(0.3), 0.7)[None, :, None, None]
          + lp1(mu_t, 0, 0.5)[None, None, :, None] + lp1(log_st, math.log(0.3), 0.7)[None, None, None, :])
    ur, wr = np.polynomial.hermite.hermgauss(40)
    ut, wt = np.polynomial.hermite.hermgauss(20)
    wr, wt = wr / math.sqrt(math.pi), wt / math.sqrt(math.pi)
    zr, zt = math.sqrt(2) * ur, math.sqrt(2) * ut
    for row in rows:
        x, sd = float(row["x"]), float(row["sd"])
        years = np.array([float(y) for y in row["years"].split()])
        T = np.exp(mu_t[:, None, None] + s_t[None, :, None] * zt[None, None, :])
        S = ramp(years[None, None, None, :] / T[..., None]).mean(axis=-1)  # (n, n, 20)
        like = np.zeros((n, n, n, n))
        for a in range(n):
            R = np.exp(mu_r[a] + s_r[:, None] * zr[None, :])  # (n s_R, 40)
            u = (x - R[:, :, None, None, None] * S[None, None, :, :, :]) / sd
            dens = np.exp(-0.5 * u * u) / (sd * math.sqrt(2 * math.pi))
            like[a] = np.einsum("bkcdj,k,j->bcd", dens, wr, wt)
        lp += np.log(np.maximum(like, 1e-300))
    post = normalise(lp)
    hyper = {"mu_R": moments(post, mu_r, 0), "s_R": moments(post, s_r, 1),
             "mu_T": moments(post, mu_t, 2), "s_T": moments(post, s_t, 3)}
    return {"rows": len(rows), "hyper": hyper,
            "savings_realisation": match(post.sum(axis=(2, 3)), mu_r, s_r),
            "ramp_stretch": match(post.sum(axis=(0, 1)), mu_t, s_t)}


def year_by_year(rows):
    n, nt = 13, 49
    mu_r, log_sr, mu_t = axis(0.0, 0.5, n), axis(math.log(0.3), 0.7, n), axis(0.0, 0.5, nt)
    s_r = np.exp(log_sr)
    lp = (lp1(mu_r, 0, 0.5)[:, None, None] + lp1(log_sr, math.log(0.3), 0.7)[None, :, None]
          + lp1(mu_t, 0, 0.5)[None, None, :])
    zr = np.linspace(-10, 10, 2001)
    wr = np.exp(-0.5 * zr ** 2) * np.where((zr == -10) | (zr == 10), 0.5, 1.0)
    wr = wr / wr.sum()
    for row in rows:
        years = np.array([float(y) for y in row["years"].split()])
        x = np.array([float(v) for v in row["year_ratios"].split()])
        m = len(x)
        V = np.array([float(v) for v in row["year_cov"].split()]).reshape(m, m)
        P = np.linalg.inv(V)
        _, logdet = np.linalg.slogdet(V)
        c = ramp(years[None, :] / np.exp(mu_t)[:, None])  # (nt, m)
        A = c @ P @ x
        B = np.einsum("ti,ij,tj->t", c, P, c)
        xPx = x @ P @ x
        R = np.exp(mu_r[:, None, None] + s_r[None, :, None] * zr[None, None, :])
        q = xPx - 2 * R[..., None] * A + R[..., None] ** 2 * B  # (n, n, 2001, nt)
        like = np.einsum("abkt,k->abt", np.exp(-0.5 * q), wr)
        lp += np.log(np.maximum(like, 1e-300)) - 0.5 * logdet - 0.5 * m * math.log(2 * math.pi)
    post = normalise(lp)
    hyper = {"mu_R": moments(post, mu_r, 0), "s_R": moments(post, s_r, 1), "mu_T": moments(post, mu_t, 2), "s_T": [0.0, 0.0]}
    # One ramp for every case: a new case's log T is mu_T (its posterior mean and sd).
    return {"rows": len(rows), "hyper": hyper,
            "savings_realisation": match(post.sum(axis=2), mu_r, s_r),
            "ramp_stretch": {"mu": hyper["mu_T"][0], "sigma": hyper["mu_T"][1]}}


rows = list(csv.DictReader(open("calibration/testdata/measured_rows.csv")))
for name, fit in (("measured_posterior_numpy.json", shipped), ("measured_posterior_numpy_years.json", year_by_year)):
    out = fit(rows)
    with open("calibration/testdata/" + name, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(name, json.dumps(out))
