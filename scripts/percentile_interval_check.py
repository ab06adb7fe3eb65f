#!/usr/bin/env python3
"""Independent recomputation (numpy only) of devolve's between-block
percentile intervals (docs/MODEL.md §8a), from the engine's kept draws.

Usage: percentile_interval_check.py DIR

DIR holds, for each run, x_NAME.bin (the kept draws of one output, float64
little-endian, in trial order, blocks of 1,024) and s_NAME.txt (the engine's
estimate, interval low and high at P5, P10, P50, P90, P95, one level a
line), as written by TestBlockPercentileNumpy. For each level this script
computes, from the draws alone:
    q        the type-7 quantile (numpy.quantile's default, linear)
    lo, hi   the order statistics of 0-based ranks l, u: l the largest k
             with P(B <= k) <= 0.025, u the smallest with P(B <= k) >=
             0.975, B ~ Binomial(N, p) (log-gamma sums of the pmf)
    e        the order statistic x_(k), k = floor(p (N - 1))
    c_b      block b's count of values strictly below e; F = sum c_b / N
    V        B/(B-1) sum_b (c_b - n_b F)^2 / N^2
    r        sqrt(V / (F (1 - F) / N))
and, where |F - p| <= sqrt(p (1 - p) / N), the interval
[q - r (q - lo), q + r (hi - q)], else [lo, hi]. It prints the number of
intervals and the largest difference from the engine's, as a fraction of
the interval's width.
"""
import glob
import math
import sys

import numpy as np

LEVELS = [0.05, 0.1, 0.5, 0.9, 0.95]
BLOCK = 1024


def binom_cdf(n, p, _cache={}):
    if (n, p) not in _cache:
        k = np.arange(n + 1, dtype=float)
        lg = np.vectorize(math.lgamma)
        logpmf = lg(n + 1) - lg(k + 1) - lg(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)
        _cache[(n, p)] = np.cumsum(np.exp(logpmf))
    return _cache[(n, p)]


def main(d):
    worst, count = 0.0, 0
    for f in sorted(glob.glob(d + "/x_*.bin")):
        x = np.fromfile(f, dtype="<f8")
        eng = np.loadtxt(f.replace("/x_", "/s_").replace(".bin", ".txt"))
        n = len(x)
        xs = np.sort(x)
        blocks = [x[s:s + BLOCK] for s in range(0, n, BLOCK)]
        nb = np.array([len(b) for b in blocks], dtype=float)
        B = len(blocks)
        for i, p in enumerate(LEVELS):
            q = np.quantile(x, p)
            F = binom_cdf(n, p)
            lo = max(int(np.nonzero(F <= 0.025)[0].max(initial=0)), 0)
            hi = min(int(np.nonzero(F >= 0.975)[0].min()), n - 1)
            lov, hiv = xs[lo], xs[hi]
            e = xs[int(math.floor(p * (n - 1)))]
            c = np.array([np.count_nonzero(b < e) for b in blocks], dtype=float)
            Fe = c.sum() / n
            V = B / (B - 1) * np.sum((c - nb * Fe) ** 2) / n**2
            if 0 < Fe < 1 and abs(Fe - p) <= math.sqrt(p * (1 - p) / n):
                r = math.sqrt(V / (Fe * (1 - Fe) / n))
                lov, hiv = q - r * (q - lov), q + r * (hiv - q)
            d_ = max(abs(q - eng[i, 0]), abs(lov - eng[i, 1]), abs(hiv - eng[i, 2])) / (hiv - lov)
            worst = max(worst, d_)
            count += 1
    print(f"{count} intervals; largest difference {worst:.3e} of the interval's width")


if __name__ == "__main__":
    main(sys.argv[1])
