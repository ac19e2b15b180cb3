"""An independent check of how well the links fit (`make crosscheck`;
`python3 qualitycheck.py OUT`, OUT the folder of a `kompass run` or
`kompass link` with CSV outputs in the plain dialect), recomputed from
`evaluations.csv` and the instrument definitions as the README's "Scale
linking" defines it (links refitted by `links.py`). Exits 1 on any
difference.

- `linking.csv`: `r`, the pairs' Pearson correlation (empty under 3
  pairs); `resid_rms`, the root mean square of the pairs' y less their x
  linked, cut at [0, max] (from 3 pairs on); `n_extrapolated`,
  the evaluation scores linked whose source score lies outside the range
  of the pairs' source scores; `clamped`, those whose link leaves [0, max]
  of the target item; `loo_mae`, leave-one-out: each pair's x linked by
  the link of the same method fitted without its municipality (all its
  pairs), cut at [0, max], the mean absolute difference from its y (for
  `identity` the plain error; a municipality without which no link can
  be fitted left out, empty when every one is);
- `link_invariance.csv`: its rows are the countries with at least 5
  pairs, where two or more have them (an `equipercentile` link's, those
  with the 100 pairs the method needs; a country whose own link cannot be
  fitted has none); `n_pairs`; `rmsd`, the root mean squared difference
  of the country's own link from the pooled one, both cut at [0, max],
  over every score point of the source scale (an `equipercentile` link:
  those within the country's pairs' range); `rmsd_sampling`, the root of
  the mean over the same points of SE^2 (1 - n/N), SE the normal-theory
  SE of a link of the country's n pairs (`mean`: s(y - x)/sqrt(n);
  `linear`: Var = s_y^2 (1 - r)[2 + (1 + r) z^2] / n, z = (x - mean x)/s_x,
  the country's pairs), N the pooled pairs; empty for `equipercentile`
  and where the country's pairs have no correlation.

Figures are compared to kompass's 4 written decimals (5e-5, 1e-4 for the
root of a mean); counts exactly.
"""
import math
import sys
from collections import defaultdict

from intervals import mean_sd
from links import Run
from output import ROUNDING, config, differs, num, rows

out = sys.argv[1]
run = Run(out, config(out))
HALF = ROUNDING + 1e-9
bad = 0


def report(what, n_checked, diffs):
    global bad
    bad += len(diffs)
    print(f"{what}: {n_checked} checked, {len(diffs)} differ")
    for d in diffs[:8]:
        print("   ", d)


def pearson(ps):
    if len(ps) < 2:
        return None
    (mx, sx), (my, sy) = mean_sd([x for x, _ in ps]), mean_sd([y for _, y in ps])
    if not sx or not sy:
        return None
    return sum((x - mx) * (y - my) for x, y in ps) / ((len(ps) - 1) * sx * sy)


def loo_mae(key, method, by_muni):
    errors = []
    for muni, own in by_muni.items():
        if method == "identity":
            f = run.fit(key, method, [])
        else:
            rest = [p for m, v in by_muni.items() if m != muni for p in v]
            f = run.fit(key, method, rest) if rest else None
        if f is not None:
            errors += [abs(run.cut(key, f[0](x)) - y) for x, y in own]
    return sum(errors) / len(errors) if errors else None


diffs = []
for key, link in sorted(run.links.items()):
    by_muni = run.pairs[key]
    ps = [p for v in by_muni.values() for p in v]
    f = run.fit(key, link["method"], ps)[0]
    lo, hi = (min(x for x, _ in ps), max(x for x, _ in ps)) if ps else (math.inf, -math.inf)
    native = [x for (_, _, s, i), x in run.scores.items() if (s, i) == key]
    top_y = run.top[(run.target, run.defined[key])]
    # r under 3 pairs is empty (two pairs always lie on a line).
    want = {"r": pearson(ps) if len(ps) >= 3 else None, "n_extrapolated": sum(1 for x in native if x < lo or x > hi),
            "clamped": sum(1 for x in native if not 0.0 <= f(x) <= top_y),
            "loo_mae": loo_mae(key, link["method"], by_muni),
            # The pairs' root mean square residual around the link as
            # applied (within 0 and the item's max), from 3 pairs on.
            "resid_rms": math.sqrt(sum((y - min(max(f(x), 0.0), top_y)) ** 2 for x, y in ps) / len(ps))
            if len(ps) >= 3 else None}
    diffs += [(key, c, w, link[c]) for c, w in want.items() if differs(w, num(link[c]), HALF)]
report("linking.csv quality", len(run.links), diffs)


def sampling_se(method, ps, n_pooled, points):
    """rmsd_sampling of a country's pairs ps over the score points."""
    n = len(ps)
    (mx, sx), (_, sy) = mean_sd([x for x, _ in ps]), mean_sd([y for _, y in ps])
    r = pearson(ps)
    if method == "equipercentile" or r is None:
        return None
    if method == "mean":
        var = [mean_sd([y - x for x, y in ps])[1] ** 2 / n] * len(points)
    else:
        var = [sy ** 2 * (1 - r) * (2 + (1 + r) * ((x - mx) / sx) ** 2) / n for x in points]
    return math.sqrt(sum(v * (1 - n / n_pooled) for v in var) / len(points))


expected = {}
for key, link in sorted(run.links.items()):
    method = link["method"]
    countries = defaultdict(list)
    for (country, _), v in run.pairs[key].items():
        countries[country] += v
    fewest = 100 if method == "equipercentile" else 5
    enough = {c: ps for c, ps in countries.items() if len(ps) >= fewest}
    if len(enough) < 2:
        continue
    n_pooled = sum(len(ps) for ps in countries.values())
    pooled = run.fit(key, method, [p for ps in countries.values() for p in ps])[0]
    h = run.resolution[key[0]]
    every = [i * h for i in range(round(run.top[key] / h) + 1)]
    for country, ps in sorted(enough.items()):
        own = run.fit(key, method, ps)
        if own is None:
            continue
        points = every
        if method == "equipercentile":
            lo, hi = min(p[0] for p in ps), max(p[0] for p in ps)
            points = [x for x in every if lo <= x <= hi]
        rmsd = math.sqrt(sum((run.cut(key, own[0](x)) - run.cut(key, pooled(x))) ** 2 for x in points)
                         / len(points))
        expected[(*key, country)] = (len(ps), rmsd, sampling_se(method, ps, n_pooled, points))

diffs, got = [], rows(out, "link_invariance")
for r in got:
    key = (r["from_scale"], r["item"], r["country"])
    want = expected.pop(key, None)
    if want is None:
        diffs.append(("no such row expected", key))
        continue
    have = (int(r["n_pairs"]), num(r["rmsd"]), num(r["rmsd_sampling"]))
    if want[0] != have[0] or any(differs(w, g, 1e-4) for w, g in zip(want[1:], have[1:])):
        diffs.append((key, want, have))
diffs += [("no row", k) for k in expected]
report("link_invariance.csv", len(got), diffs)

print("qualitycheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
