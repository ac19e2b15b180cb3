"""The jackknife SE of a linear link of 5-8 municipalities (kompass since
2026-12-06, `src/linking/jackknife.rs`) where the source scores tie, beside
the bootstrap it replaced: old scores rounded to 0.5-30 points (as
`ties.py`), or every one at 50 or 80 (as `two_scores.py`). Each SE with
kompass's multiplier t(nu), nu = 2 (N - 1) / (kappa - 1) (`dof.rs`), the
jackknife also with the normal-theory floor at every score (as kompass
takes it) and that with t(N - 1); the bootstrap with the normal-theory
floor where resamples were dropped, as kompass took it. Only data sets with at least two
municipalities off the most common source score (kompass leaves the others
unestimated). Written independently of kompass's code (numpy); usage:
python3 benches/coverage/jack_ties.py [SETS] (default 300 per cell; about
a minute). Prints coverage over the scores checked, and the median
half-width.
"""
import sys

import numpy as np
from scipy import stats

B = 400
RULES = ("boot nu", "jack nu", "jack floored nu", "jack floored t(N-1)")


def ties(n, w, rng):
    th = rng.normal(55, 10, n)
    x = np.clip(np.round((12 + 1.1 * th + rng.normal(0, 4.4, n)) / w) * w, 0, 200)
    y = np.clip(np.round(th + rng.normal(0, 4, n)), 0, 100)
    return x, y


CUT = np.quantile(12 + 1.1 * np.random.default_rng(3).normal(55, 10, 200000)
                  + np.random.default_rng(4).normal(0, 4.4, 200000), 1 - 1 / 3)


def two(n, _, rng):
    th = rng.normal(55, 10, n)
    x = np.where(12 + 1.1 * th + rng.normal(0, 4.4, n) > CUT, 80.0, 50.0)
    y = np.clip(np.round(th + rng.normal(0, 4, n)), 0, 100)
    return x, y


def line(x, y, at):
    return y.mean(-1)[..., None] + (y.std(-1, ddof=1) / x.std(-1, ddof=1))[..., None] * (at - x.mean(-1)[..., None])


def cell(draw, w, n, at, sets, rng):
    xb, yb = draw(1_000_000, w, np.random.default_rng(7))
    truth = line(xb, yb, at)
    hits = {k: [] for k in RULES}
    half = {k: [] for k in hits}
    for _ in range(sets):
        x, y = draw(n, w, rng)
        values, counts = np.unique(x, return_counts=True)
        if n - counts.max() < 2 or y.std() == 0:
            continue
        est = line(x, y, at)
        idx = rng.integers(0, n, (B, n))
        bx, by = x[idx], y[idx]
        ok = bx.std(1, ddof=1) > 1e-9
        boot = np.sqrt(n / (n - 1)) * line(bx[ok], by[ok], at).std(0, ddof=1)
        r = np.corrcoef(x, y)[0, 1]
        z = (at - x.mean()) / x.std(ddof=1)
        normal = np.sqrt(y.var(ddof=1) * (1 - r) * (2 + (1 + r) * z ** 2) / n)
        if not ok.all():
            boot = np.maximum(boot, normal)
        keep = ~np.eye(n, dtype=bool)
        loo = line(np.tile(x, (n, 1))[keep].reshape(n, n - 1), np.tile(y, (n, 1))[keep].reshape(n, n - 1), at)
        jack = np.sqrt((n - 1) / n * ((loo - loo.mean(0)) ** 2).sum(0))
        s2 = (1 + r) / 2 * z ** 2
        kappa = 3 * (1 + 6 * s2 + 3 * s2 ** 2) / (1 + s2) ** 2
        t_nu = stats.t.ppf(0.975, np.maximum(2 * (n - 1) / (kappa - 1), 1))
        floored = np.maximum(jack, normal)
        for k, h in (("boot nu", t_nu * boot), ("jack nu", t_nu * jack),
                     ("jack floored nu", t_nu * floored),
                     ("jack floored t(N-1)", stats.t.ppf(0.975, n - 1) * floored)):
            hits[k].extend(np.abs(est - truth) <= h)
            half[k].extend(h)
    return hits, half


def main(sets=300):
    rng = np.random.default_rng(1)
    at = np.array([50.0, 60.0, 72.5, 85.0, 95.0])
    print("scores, N: coverage % / median half-width for " + ", ".join(RULES))
    for name, draw, widths in (("rounded to", ties, (0.5, 5, 10, 20, 30)), ("two scores", two, (0,))):
        for w in widths:
            for n in (5, 6, 7, 8):
                hits, half = cell(draw, w, n, at if draw is ties else np.array([50.0, 65.0, 80.0]), sets, rng)
                label = f"{name} {w:g}" if draw is ties else name
                cells = "  ".join(f"{100 * np.mean(hits[k]):5.1f} / {np.median(half[k]):6.1f}" for k in hits)
                print(f"{label:16s} N={n}: {cells}   ({len(hits['jack nu']) // len(at if draw is ties else [0, 0, 0])} sets)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
