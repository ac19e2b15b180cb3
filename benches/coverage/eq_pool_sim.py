"""The numpy simulation behind the pooling of an equipercentile link's
bootstrap variance over neighbouring score points (README, "Pooled over
neighbouring scores"; kompass's `linking/pooled.rs`), written apart from
kompass (the link is `benches/peers/equip_se.py`'s vectorised one).

usage: eq_pool_sim.py SEED PAIRS SD SETS H_FROM NOISE_NEW NOISE_OLD [TOP]

Latent θ ~ N(0.55 TOP, SD); new = θ + N(0, NOISE_NEW) in whole points;
old = 11 + 0.9 θ + N(0, NOISE_OLD) in points H_FROM apart; both held in
[0, TOP] (default 100). The truth is the link of 4,000,000 draws. Each
of SETS data sets of PAIRS pairs gets 400 bootstrap replicates (pairs
drawn with replacement); at five fixed old scores (the population's mean
and +-0.5, +-1 SD) the 95 % interval +-1.96 SE is checked with the SE
taken point by point and pooled over windows of K target points (carried
to the source by the pairs' SD ratio) or the span of M pairs, whichever
is wider; and the linking error of means of 1, 5, 20 and 200 fixed old
scores within 1.2 SD of the mean, from the replicates as they are and
scaled to the pooled SD (K = 3, M = 15). The README's figures come from
this code's drafts (2026-12-04, seeds 11-41) with the settings `150 7 400
0.5 0 1.5`, `100 7 ...`, `300 7 ...`, `150 10 400 0.5 4 4.4`, `100 5 400
1 0 1.5`, `150 7 400 0.5 1 1` and the total-like `125 70 300 0.5 8 9
800` (after the seed); another seed moves a coverage by about 1 point
(400 sets). About 2-10 minutes each on one core.
"""
import sys

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/peers")
from equip_se import links_at  # noqa: E402

WINDOWS = [(0, 0), (2, 0), (3, 0), (4, 0), (3, 15)]
B = 400


def main(seed, pairs, sd, sets, hx, noise_new, noise_old, top=100.0):
    rng = np.random.default_rng(seed)
    hy, kx, ky = 1.0, int(round(top / hx)) + 1, int(top) + 1

    def draw(n):
        lat = rng.normal(0.55 * top, sd, n)
        new = np.clip(np.round(lat + rng.normal(0, noise_new, n)), 0, top)
        old = np.clip(np.round((11 + 0.9 * lat + rng.normal(0, noise_old, n)) / hx) * hx, 0, top)
        return old, new

    def counts(v, h, k):
        return np.bincount(np.minimum(np.floor(v / h + 0.5).astype(int), k - 1), minlength=k)

    big_o, big_n = draw(4_000_000)
    truth = links_at(counts(big_o, hx, kx)[None], counts(big_n, hy, ky)[None], hy)[0]
    mo, so = big_o.mean(), big_o.std()
    fixed = np.round(np.array([mo - so, mo - so / 2, mo, mo + so / 2, mo + so]) / hx).astype(int)
    groups = {}
    for m in (1, 5, 20, 200):
        g, _ = draw(m * 3)
        groups[m] = np.round(g[np.abs(g - mo) <= 1.2 * so][:m] / hx).astype(int)
    estimates, ses = [], {w: [] for w in WINDOWS}
    means = {m: ([], [], []) for m in groups}  # error, raw SE, pooled SE
    for _ in range(sets):
        o, nw = draw(pairs)
        fit = links_at(counts(o, hx, kx)[None], counts(nw, hy, ky)[None], hy)[0]
        draws = rng.integers(0, pairs, size=(B, pairs))
        w = np.stack([np.bincount(r, minlength=pairs) for r in draws])
        ox = np.minimum(np.floor(o / hx + .5).astype(int), kx - 1)
        ax = np.zeros((pairs, kx), int)
        ax[np.arange(pairs), ox] = 1
        ay = np.zeros((pairs, ky), int)
        ay[np.arange(pairs), np.minimum(np.floor(nw / hy + .5).astype(int), ky - 1)] = 1
        reps = links_at(w @ ax, w @ ay, hy)
        var = reps.var(0, ddof=1)
        j = np.arange(kx)
        inside = (j >= ox.min()) & (j <= ox.max())
        estimates.append(fit[fixed])
        pooled_at = {}
        for k, m in WINDOWS:
            half = max(k * hy * o.std(ddof=1) / nw.std(ddof=1),
                       m * o.std(ddof=1) * np.sqrt(2 * np.pi) / pairs)
            if half <= 0:
                pooled_at[(k, m)] = var
            else:
                wt = np.clip(1 - np.abs(j[:, None] - j[None, :]) * hx / half, 0, None) * inside[None, :]
                pooled_at[(k, m)] = np.where(inside & (var > 0), (wt @ var) / np.maximum(wt.sum(1), 1e-300), var)
            ses[(k, m)].append(np.sqrt(pooled_at[(k, m)][fixed]))
        scale = np.where(var > 0, np.sqrt(pooled_at[(3, 15)] / np.where(var > 0, var, 1)), 1.0)
        dev = reps - fit
        for m, g in groups.items():
            means[m][0].append(fit[g].mean() - truth[g].mean())
            means[m][1].append(dev[:, g].mean(1).std(ddof=1))
            means[m][2].append((dev[:, g] * scale[g]).mean(1).std(ddof=1))
    estimates = np.array(estimates)
    spread = estimates.std(0, ddof=1)
    print(f"pairs {pairs}, SD {sd}, h {hx}, noise {noise_new}/{noise_old}, top {top}: "
          f"the estimates' SD at the fixed scores {spread.round(3)}")
    for k, m in WINDOWS:
        se = np.array(ses[(k, m)])
        cover = (np.abs(estimates - truth[fixed]) <= 1.96 * se).mean(0)
        print(f"  K={k} M={m:2d}: median SE/SD {(np.median(se, 0) / spread).round(2)}, "
              f"covered {cover.round(3)}, pooled over the scores {cover.mean():.3f}")
    for m, (err, raw, pooled) in means.items():
        err, raw, pooled = map(np.array, (err, raw, pooled))
        print(f"  a mean of {m:3d} scores: covered {np.mean(np.abs(err) <= 1.96 * raw):.3f} "
              f"from the replicates as they are, {np.mean(np.abs(err) <= 1.96 * pooled):.3f} scaled")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(int(a[0]), int(a[1]), float(a[2]), int(a[3]), float(a[4]), float(a[5]), float(a[6]),
         *(float(v) for v in a[7:8]))
