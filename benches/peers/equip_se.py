"""An independent check of an `equipercentile` link's bootstrap standard
errors (`make crosscheck`; `python3 equip_se.py OUT`, OUT the folder of a
`kompass run --link-method equipercentile`), the `linked_se` column of
`concordance.csv` that `linkcheck.py` leaves out. Written from the
README ("Scale linking": "Uncertainty", "Clamping", the tail rules), not
from kompass's code:

- per scale, B replicates each draw the scale's dual-scored
  municipalities with replacement, each with all its dual-scored
  evaluations, one draw for every item of the scale; each item refits its
  equipercentile link (`equip.py`'s continuization, vectorised with
  numpy over replicates in exact integer counts) on the pairs drawn;
- every replicate's deviation from the fitted link at a score point is
  scaled by sqrt(n / (n - 1)), n the link's municipalities, and the
  replicate held within [-max, 2 max] of the target item; the SE is the
  root of the replicates' variances (n - 1) pooled over neighbouring
  score points (`pooled`; README, "Pooled over neighbouring scores");
- a point has an SE exactly where `equip.py`'s tail rules give one.

kompass draws its own B_k replicates (`bootstrap` in `manifest.json`),
so the comparison is statistical. The SD of B draws of a statistic with
kurtosis k has a relative error of about sqrt((k - 1) / (4 B)) (1 /
sqrt(2 B) for a normal one; an equipercentile replicate moves in jumps,
and k, taken from our replicates at each point and at least 3, is often
5-20), so the log of kompass / ours at a point has a Monte-Carlo SD
s = sqrt((k - 1) / 4 * (1 / B_k + 1 / B)), and z = log(ratio) / s.
Calibrated on the crosscheck data with kompass's `--link-seed` 1-10
(18 links, 15,920 points), before kompass pooled an equipercentile
link's variances over neighbouring score points: z had SD 0.96, the
largest |z| 4.8 (a point whose replicates have kurtosis 21); a link's
median ratio 0.981-1.020 (SD 0.007); a link's mean z^2 0.32-1.45. With
the pooling (seeds 1-5, 90 links): median ratios 0.984-1.018, mean z^2
0.06-0.53, largest |z| 2.6 (s above is the error of one point's SD, and
a pooled SD has less, so z errs small; SEs taken point by point, unpooled,
give 812 disagreements). Disagreements:

- a point with an SE where the tail rules give none, or the reverse;
- a point with |z| > POINT_Z (5.5; an SE off by 30 %, or taken at
  the next score point, trips most points);
- a link whose median ratio kompass / ours is off 1 by more than
  MEDIAN_TOL (4 %: an SE off by 10 %, a scaling off by 10 %, fails);
- a link whose mean z^2 over its points exceeds MEAN_Z2 (2.0: SEs off
  by 5 % give 2.3 or more, by 10 % 8 or more, taken at the next score
  point 36 or more; figures from before the pooling);
- a link where the median ratio of any LOCAL_POINTS (8) neighbouring
  points with an SE is off 1 by more than LOCAL_TOL (10 %): z errs small
  on pooled SEs, and an error in one stretch of the scale would pass the
  checks above (seeds 1-5: at most 7.0 %; SEs at 10 neighbouring points
  of one link scaled by 0.88 or 1.12 fail);
- at a score between score points (`linked_scores.csv`), an SE not the
  linear interpolation of the concordance's at the two points (1e-4), or
  an SE where one of the two has none.

A draw of pairs (municipality-years) instead of municipalities differs
only where a municipality is scored on both scales in several years; on
the crosscheck data each gives one pair per item (`n_pairs` =
`n_municipalities`), and the two cannot be told apart there. With half
the municipalities given a second dual-scored year, SEs from a draw of
pairs were 0.71-0.79 of these (median per link) and fail.
sqrt(n / (n - 1)) itself is 1.002-1.005 at the 112-238 municipalities
of these links, below any Monte-Carlo check. Needs numpy (installed with
pip when missing); about 15 s with B = 2000 on 2 cores.
"""
import math
import sys
import time
from collections import defaultdict

from common import need
from equip import _index
from links import Run
from output import config, num, rows

np = need("numpy")

B = 2000
SEED = 20261203
POINT_Z = 5.5
MEDIAN_TOL = 0.04
MEAN_Z2 = 2.0
LOCAL_POINTS = 8
LOCAL_TOL = 0.10
POOL_TARGET_POINTS = 3.0
POOL_PAIRS = 15.0


def links_at(cx, cy, hy):
    """The equipercentile link at every source score point of each
    replicate, from the counts cx (R x Kx) and cy (R x Ky) of the drawn
    pairs at the source and target score points: P and G in units of
    1 / (2 N), exact."""
    f, g = np.cumsum(cx, axis=1), np.cumsum(cy, axis=1)
    p2 = f + np.concatenate([np.zeros_like(f[:, :1]), f[:, :-1]], axis=1)  # 2N P(x)
    g2 = 2 * g
    ky = g.shape[1]
    le = (g2[:, None, :] <= p2[:, :, None]).sum(axis=2)  # y_U: the first with G > P
    lt = (g2[:, None, :] < p2[:, :, None]).sum(axis=2) - 1  # y_L: the last with G < P
    pad = np.concatenate([np.zeros_like(g2[:, :1]), g2], axis=1)  # pad[:, j + 1] = 2N G(j)
    u = np.minimum(le, ky - 1)
    below, at = np.take_along_axis(pad, u, 1), np.take_along_axis(pad, u + 1, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = u * hy - hy / 2 + hy * (p2 - below) / (at - below)
        lo = np.clip(lt, 0, ky - 2)
        a, b = np.take_along_axis(pad, lo + 1, 1), np.take_along_axis(pad, lo + 2, 1)
        lower = lo * hy + hy / 2 + hy * (p2 - a) / (b - a)
    has_u, has_l = le < ky, lt >= 0
    total = np.where(has_u, upper, 0.0) + np.where(has_l, lower, 0.0)
    return total / (has_u.astype(int) + has_l)


def counts(run, key, munis):
    """Per municipality of the scale (rows, in `munis` order), its pairs'
    counts at the source and the target score points of link `key`."""
    hx, hy = run.resolution[key[0]], run.resolution[run.target]
    kx, ky = round(run.top[key] / hx) + 1, round(run.top[(run.target, run.defined[key])] / hy) + 1
    ax, ay = np.zeros((len(munis), kx), np.int64), np.zeros((len(munis), ky), np.int64)
    for m, muni in enumerate(munis):
        for x, y in run.pairs[key].get(muni, []):
            ax[m, min(_index(x, hx), kx - 1)] += 1
            ay[m, min(_index(y, hy), ky - 1)] += 1
    return ax, ay


def bootstrap(run, keys, draws):
    """Our SEs, the replicates' kurtosis and the fitted link at every score
    point of each link of one scale (keys), under `draws` (B x M: how often
    each of the scale's M municipalities is drawn)."""
    found = {}
    munis = sorted({m for key in keys for m in run.pairs[key]})
    assert draws.shape[1] == len(munis)
    for key in keys:
        ax, ay = counts(run, key, munis)
        hy, top_y = run.resolution[run.target], run.top[(run.target, run.defined[key])]
        fit = links_at(ax.sum(0)[None], ay.sum(0)[None], hy)[0]
        n = len(run.pairs[key])
        reps = []
        for chunk in np.array_split(draws, max(1, len(draws) // 250)):
            cx, cy = chunk @ ax, chunk @ ay
            ok = cx.sum(1) >= 2  # fewer than two pairs drawn: dropped (never, at 100 pairs)
            reps.append(links_at(cx[ok], cy[ok], hy))
        dev = (np.concatenate(reps) - fit) * math.sqrt(n / (n - 1))
        held = np.clip(fit + dev, -top_y, 2 * top_y)
        c = held - held.mean(0)
        m2, m4 = (c ** 2).mean(0), (c ** 4).mean(0)
        kurt = np.where(m2 > 0, m4 / np.where(m2 > 0, m2 * m2, 1), 3.0)
        xs = [x for v in run.pairs[key].values() for x, _ in v]
        ys = [y for v in run.pairs[key].values() for _, y in v]
        hx = run.resolution[key[0]]
        sds = (np.std(xs, ddof=1), np.std(ys, ddof=1))
        se = pooled(held.var(0, ddof=1), hx, [_index(x, hx) for x in xs], sds, hy)
        found[key] = (se, kurt, fit)
    return found


def pooled(var, hx, points, sds, hy):
    """The SE at every score point from the replicates' variances `var`:
    at each point within the pairs' source score points (`points`, as
    indices; outside them the variance is left as it is, and so where it
    is 0), the mean of the variances at the points within the window,
    weighted 1 - distance / half-width (README, "Pooled over neighbouring
    scores": the half-width the larger of POOL_TARGET_POINTS target points
    times the pairs' SD ratio sds and the span of POOL_PAIRS pairs,
    POOL_PAIRS * SD_x * sqrt(2 pi) / n)."""
    sd_x, sd_y = sds
    with np.errstate(divide="ignore", invalid="ignore"):
        half = max(POOL_TARGET_POINTS * hy * np.float64(sd_x) / sd_y,
                   POOL_PAIRS * sd_x * math.sqrt(2 * math.pi) / len(points))
    if not (math.isfinite(half) and half > 0):
        return np.sqrt(var)  # no spread on one side: nothing pooled
    g = np.arange(len(var)) * hx
    inside = (np.arange(len(var)) >= min(points)) & (np.arange(len(var)) <= max(points))
    w = np.clip(1 - np.abs(g[:, None] - g[None, :]) / half, 0, None) * inside[None, :]
    out = np.where(inside & (var > 0), (w @ var) / np.maximum(w.sum(1), 1e-300), var)
    return np.sqrt(out)


def local_off(ratios):
    """How far off 1 the median ratio of LOCAL_POINTS neighbouring points
    with an SE (in score order) lies, at most over the link."""
    if len(ratios) < LOCAL_POINTS:
        return 0.0
    return max(abs(np.median(ratios[i:i + LOCAL_POINTS]) - 1)
               for i in range(len(ratios) - LOCAL_POINTS + 1))


def municipality_draws(run, keys, rng, b):
    """B x M: each replicate's draw of the scale's M municipalities."""
    m = len({mu for key in keys for mu in run.pairs[key]})
    idx = rng.integers(0, m, size=(b, m))
    return np.stack([np.bincount(r, minlength=m) for r in idx]).astype(np.int64)


def off_resolution(out, run, links, kompass):
    """The disagreements of `linked_scores.csv`'s SEs at scores between
    score points with the linear interpolation of the concordance's (to
    1e-4: both written to 4 decimals); where one of the two points has no
    SE it has none (README, "Uncertainty")."""
    diffs, n = [], 0
    for r in rows(out, "linked_scores"):
        key, x = (r["from_scale"], r["item"]), float(r["score"])
        h = run.resolution[key[0]]
        if key not in links or abs(x / h - round(x / h)) < 1e-9:
            continue
        i = math.floor(x / h)
        a, b, got = kompass[key].get(i * h), kompass[key].get((i + 1) * h), num(r["linked_se"])
        n += 1
        want = None if a is None or b is None else a + (x / h - i) * (b - a)
        if (want is None) != (got is None) or (want is not None and abs(want - got) > 1e-4):
            diffs.append((key, x, a, b, got))
    print(f"  scores between score points: {n} checked, {len(diffs)} not the interpolation")
    for d in diffs[:6]:
        print("     ", *d)
    return len(diffs)


def main(out):
    start = time.time()
    options = config(out)
    run = Run(out, options)
    bk = int(options["bootstrap"])
    links = {key: r for key, r in run.links.items() if r["method"] == "equipercentile"}
    if not links or bk == 0:
        print("equip_se: no equipercentile link with replicates: nothing to check")
        return 0
    kompass = defaultdict(dict)
    for r in rows(out, "concordance"):
        key = (r["from_scale"], r["item"])
        if key in links:
            kompass[key][float(r["from_score"])] = num(r["linked_se"])
    rng = np.random.default_rng(SEED)
    ours = {}
    for scale in sorted({s for s, _ in links}):
        keys = sorted(k for k in links if k[0] == scale)
        ours.update(bootstrap(run, keys, municipality_draws(run, keys, rng, B)))
    bad = 0
    print(f"B = {B} here, {bk} in kompass; per link: points with an SE, median and 5-95 % of "
          f"kompass / ours, mean z^2, largest |z|, points with |z| > {POINT_Z}")
    for key in sorted(links):
        se, kurt, fit = ours[key]
        equip = run.fit(key, "equipercentile", [p for v in run.pairs[key].values() for p in v])[0]
        h, diffs, ratios, z2, zmax = run.resolution[key[0]], [], [], [], 0.0
        for x, k in sorted(kompass[key].items()):
            i = round(x / h)
            if abs(fit[i] - equip(x)) > 1e-9:
                diffs.append(("our link is not equip.py's", x, fit[i], equip(x)))
            if equip.has_se(x) != (k is not None):
                diffs.append(("an SE where the tail rules give none, or none where they give one", x, k))
                continue
            if k is None:
                continue
            if se[i] == 0 or k == 0:
                if max(se[i], k) > 1e-4:
                    diffs.append(("an SE of 0 on one side", x, k, round(float(se[i]), 4)))
                continue
            s = math.sqrt(max(kurt[i] - 1, 2.0) / 4 * (1 / bk + 1 / B))
            z = math.log(k / se[i]) / s
            ratios.append(k / se[i])
            z2.append(z * z)
            zmax = max(zmax, abs(z))
            if abs(z) > POINT_Z:
                diffs.append(("linked_se", x, k, round(float(se[i]), 4), f"z = {z:.1f}"))
        if ratios:
            med, (lo, hi), mz2 = np.median(ratios), np.percentile(ratios, [5, 95]), np.mean(z2)
            far = sum(1 for d in diffs if d[0] == "linked_se")
            local = local_off(ratios)
            print(f"  {key[0]:>4} {key[1]:>5}: {len(ratios):3d} points, median {med:.3f} "
                  f"({lo:.3f}-{hi:.3f}), mean z^2 {mz2:.2f}, max |z| {zmax:.1f}, {far} beyond, "
                  f"local {local:.3f}")
            if local > LOCAL_TOL:
                diffs.append((f"the median ratio of {LOCAL_POINTS} neighbouring points off 1 by",
                              round(local, 4)))
            if abs(med - 1) > MEDIAN_TOL:
                diffs.append(("median ratio kompass / ours", round(float(med), 4)))
            if mz2 > MEAN_Z2:
                diffs.append(("mean z^2", round(float(mz2), 2)))
        for d in diffs[:6]:
            print("     ", key, *d)
        bad += len(diffs)
    bad += off_resolution(out, run, links, kompass)
    print(f"({time.time() - start:.0f} s)")
    print("equip_se: agree" if not bad else f"equip_se: {bad} disagreement(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
