"""How a linear link's interval covers away from the pairs' mean, with
t(N - 1) and with the degrees of freedom of its SE that kompass takes
(README, "Degrees of freedom of a linking SE"; `src/linking/dof.rs`).

usage: linear_df_sim.py [SETS]

For each setting (N pairs; correlation about 0.86 or 0.99) SETS samples
(default 3000) of bivariate normal pairs (x = theta + e, y = theta + e',
theta ~ N(55, 10)) are linked by the mean-sigma line, its SE at z = 0, 1
and 2 population SDs from the mean taken from 200 bootstrap resamples (the
plain SD, as a check of the t multiplier, not of kompass's SE), and each
interval's coverage of the true link (the identity) is counted with
t(0.975, N - 1) and with t(0.975, nu), nu = 2 (N - 1) / (kappa - 1),
kappa = 3 (1 + 6 s2 + 3 s2^2) / (1 + s2)^2, s2 = (1 + r) / 2 z^2 from the
sample's r and z. Prints also the multiplier that would have covered 95 %.
Needs numpy and scipy; about a minute.
"""
import sys

import numpy as np
from scipy import stats


def link(x, y, points):
    slope = y.std(ddof=1, axis=-1) / x.std(ddof=1, axis=-1)
    return y.mean(-1)[..., None] + slope[..., None] * (points - x.mean(-1)[..., None])


def main(sets=3000, boot=200):
    rng = np.random.default_rng(2)
    for n, noise in [(30, 4.0), (30, 1.0), (50, 4.0), (20, 1.0)]:
        zs = np.array([0.0, 1.0, 2.0])
        xs = 55 + zs * np.sqrt(100 + noise ** 2)
        err, se, nu = [], [], []
        for _ in range(sets):
            theta = rng.normal(55, 10, n)
            y, x = theta + rng.normal(0, noise, n), theta + rng.normal(0, noise, n)
            idx = rng.integers(0, n, (boot, n))
            r = np.corrcoef(x, y)[0, 1]
            z = (xs - x.mean()) / x.std(ddof=1)
            s2 = (1 + r) / 2 * z ** 2
            kappa = 3 * (1 + 6 * s2 + 3 * s2 ** 2) / (1 + s2) ** 2
            err.append(link(x, y, xs) - xs)
            se.append(link(x[idx], y[idx], xs).std(ddof=1, axis=0))
            nu.append(np.maximum(2 * (n - 1) / (kappa - 1), 1))
        err, se, nu = map(np.array, (err, se, nu))
        ratio = np.abs(err) / se
        for j, z in enumerate(zs):
            plain = (ratio[:, j] <= stats.t.ppf(0.975, n - 1)).mean()
            own = (ratio[:, j] <= stats.t.ppf(0.975, nu[:, j])).mean()
            print(f"N={n} r~{100 / (100 + noise ** 2):.2f} z={z}: t(N-1) {plain:.3f}, t(nu) {own:.3f} "
                  f"(mean nu {nu[:, j].mean():.1f}); 95 % needs {np.quantile(ratio[:, j], 0.95):.3f}, "
                  f"t(N-1) = {stats.t.ppf(0.975, n - 1):.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
