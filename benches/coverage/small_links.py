"""A linear link of 5 to 30 municipalities: the bootstrap rule kompass
took for all of them until 2026-12-06 against the alternatives, the
jackknife among them (README, "What a weak link's interval leaves out"
and "Uncertainty"; `src/linking/dof.rs`, `src/linking/jackknife.rs`).

usage: small_links.py [SETS]

For N = 5, 7, 9, 12, 19 and 30 municipalities, one pair each, SETS
samples (default 2000) of pairs with correlation 0.9 (x ~ N(50, 10); y =
52 + 11.5 (0.9 u + 0.436 v), u and v standard normal, or both divided by
the same sqrt(chi2(5)/3): heavy-tailed, t-like pairs) are linked by the
mean-sigma line. At 0, 1, 2 and 3 population SDs from the pairs' mean the
interval's coverage of the true line and its mean width are counted for:

- `kompass`: SD of 400 bootstrap resamples of municipalities, t(nu) with
  nu = 2 (N - 1) / (kappa - 1) from the sample's r and z (as `dof.rs`):
  kompass's rule from 9 municipalities on, and at 5 to 8 before
  2026-12-06;
- `boot t(N-1)`: the same SE, t(N - 1);
- `quartiles nu`, `quartiles t(N-1)`: the replicates' interquartile range
  / 1.349 as the SE (less swayed by resamples of few distinct municipalities);
- `normal t(N-3)`: Kolen & Brennan's normal-theory SE
  sqrt(s_y^2 (1 - r) (2 + (1 + r) z^2) / N), t(N - 3);
- `jackknife nu`, `jackknife t(N-2)`: the jackknife SE over municipalities
  (sqrt((N - 1)/N sum (e_-i - mean)^2), each fit leaving one out), the
  estimate of the influence values' variance that `dof.rs`'s nu is
  derived for, with that nu and with t(N - 2).

(`kompass` is the bootstrap SD as drawn: kompass scales it by
sqrt(N / (N - 1)) and floors it where resamples were dropped, about 12 %
wider at 5.)

Measured 2026-12-06 (2,000 sets): the bootstrap's rule (`kompass`) covers
94.3-100 % everywhere, 97-100 % away from the mean below 12
municipalities, its widths at 5 up to 1,845 points at z = 3 (the
bootstrap SE of 5 is on average about 6 times the normal-theory one at
the mean, its median 1.7: resamples of 2 or 3 distinct municipalities
give wild slopes). t(N - 1) with the same SE falls to 92-93 % at 19 to
30 with heavy tails; the quartiles' SE with t(N - 1) to 87.8-92.5 %; the
normal-theory SE to 86-92 % away from the mean with heavy tails from 7
on. The jackknife with nu is as wide as kompass's rule from 9 on and
4.5-5.8 times narrower at 5 with normal pairs, 3.7-4.0 with heavy-tailed
ones (336-354 points at z = 3), still 97.5-99.9 % there; the jackknife
with t(N - 2) covers 94.0-96.9 % at 5 and 7 (widths 11-91 points) but
92.8-93.5 % from 9 on with heavy tails. kompass takes
the jackknife with nu for linear links of 5 to 8 municipalities since
2026-12-06 (`src/linking/jackknife.rs`; each link's replicates enter a
summary on their own, so they need not be the other items' draws).
Needs numpy and scipy;
about 25 s.
"""
import sys

import numpy as np
from scipy.stats import t as student

ZS = np.array([0.0, 1.0, 2.0, 3.0])
RULES = ["kompass", "boot t(N-1)", "quartiles nu", "quartiles t(N-1)", "normal t(N-3)",
         "jackknife nu", "jackknife t(N-2)"]


def pairs(rng, n, heavy):
    u, v = rng.standard_normal(n), rng.standard_normal(n)
    if heavy:
        w = np.sqrt(rng.chisquare(5, n) / 3)
        u, v = u / w, v / w
    return 50 + 10 * u, 52 + 11.5 * (0.9 * u + np.sqrt(1 - 0.81) * v)


def line(x, y, at):
    slope = y.std(-1, ddof=1) / x.std(-1, ddof=1)
    return y.mean(-1)[..., None] + slope[..., None] * (at - x.mean(-1)[..., None])


def intervals(rng, x, y, at, boot):
    """Each rule's (estimate, half-width) at the scores `at`."""
    n = len(x)
    sx, sy, r = x.std(ddof=1), y.std(ddof=1), np.corrcoef(x, y)[0, 1]
    est = y.mean() + sy / sx * (at - x.mean())
    idx = rng.integers(0, n, (boot, n))
    bx, by = x[idx], y[idx]
    bsx = bx.std(1, ddof=1)
    ok = bsx > 0
    reps = (by.mean(1)[:, None] + (by.std(1, ddof=1) / np.where(ok, bsx, 1))[:, None]
            * (at[None, :] - bx.mean(1)[:, None]))[ok]
    sd = reps.std(0, ddof=1)
    q1, q3 = np.percentile(reps, [25, 75], axis=0)
    iqr = (q3 - q1) / 1.349
    z = (at - x.mean()) / sx
    s2 = (1 + r) / 2 * z ** 2
    kappa = 3 * (1 + 6 * s2 + 3 * s2 ** 2) / (1 + s2) ** 2
    nu = np.maximum(2 * (n - 1) / (kappa - 1), 1)
    normal = np.sqrt(sy ** 2 * (1 - r) * (2 + (1 + r) * z ** 2) / n)
    keep = ~np.eye(n, dtype=bool)
    loo = line(np.tile(x, (n, 1))[keep].reshape(n, n - 1),
               np.tile(y, (n, 1))[keep].reshape(n, n - 1), at)
    jack = np.sqrt((n - 1) / n * ((loo - loo.mean(0)) ** 2).sum(0))
    t = lambda df: student.ppf(0.975, df)
    return est, {
        "kompass": t(nu) * sd,
        "boot t(N-1)": t(n - 1) * sd,
        "quartiles nu": t(nu) * iqr,
        "quartiles t(N-1)": t(n - 1) * iqr,
        "normal t(N-3)": t(max(n - 3, 1)) * normal,
        "jackknife nu": t(nu) * jack,
        "jackknife t(N-2)": t(n - 2) * jack,
    }


def main(sets=2000, boot=400):
    rng = np.random.default_rng(2026)
    at = 50 + ZS * 10
    truth = 52 + 1.15 * (at - 50)
    for n in [5, 7, 9, 12, 19, 30]:
        for heavy in [False, True]:
            hits = {k: np.zeros(len(ZS)) for k in RULES}
            width = {k: np.zeros(len(ZS)) for k in RULES}
            for _ in range(sets):
                x, y = pairs(rng, n, heavy)
                est, half = intervals(rng, x, y, at, boot)
                for k in RULES:
                    hits[k] += np.abs(est - truth) <= half[k]
                    width[k] += 2 * half[k]
            print(f"N = {n}, {'heavy-tailed' if heavy else 'normal'} pairs; "
                  f"coverage % and mean width at z = 0, 1, 2, 3")
            for k in RULES:
                cover = " ".join(f"{100 * h / sets:5.1f}" for h in hits[k])
                wide = " ".join(f"{w / sets:7.1f}" for w in width[k])
                print(f"  {k:17s} {cover}   {wide}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
