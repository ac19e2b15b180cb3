"""Shared by the check scripts `linkcheck.py`, `avgcheck.py` and
`benchcheck.py`: reading a `kompass run` output folder (plain CSV
dialect) and a register, every scale's points, and the linking error of a
summary from the links' own SEs.

A `mean` or `linear` link's bootstrap replicate moves every linked score x
by db*x + da, so the SD over replicates of a sum of linked scores with
signs s_i (+1, or -1 for a change's start), S0 = sum(s_i) and S1 =
sum(s_i * x_i), is sqrt(A*S1^2 + 2B*S1*S0 + C*S0^2), where A x^2 + 2B x + C is
the link's `linked_se`^2 at x: a quadratic, read off `concordance.csv` by
least squares. Links are drawn independently, so their variances add. A
link whose SEs are not that quadratic (one of `equipercentile`, or held to
the normal-theory floor where resamples were dropped or, in a linear link
of few municipalities, a replicate was held within the band) has no such
formula.
"""
import csv
import glob
import json
import math
import os
import tomllib
from collections import defaultdict

# Half a unit of the 4th decimal: a figure recomputed from exact inputs is
# at most this far from the one written.
ROUNDING = 5e-5


def rows(out, name):
    with open(f"{out}/{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def config(out):
    """The run's options as `manifest.json` records them."""
    with open(f"{out}/manifest.json", encoding="utf-8") as f:
        return json.load(f)["config"]


def num(s):
    return None if s == "" else float(s)


def differs(a, b, tol=1e-4):
    """Whether a and b differ by more than tol (or one is missing)."""
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > tol


def best(candidates):
    """Of a municipality-year's linked scores of one item, the one with the
    smaller SE (an empty SE last; between equals the first)."""
    return min(candidates, key=lambda x: math.inf if x["linked_se"] == "" else float(x["linked_se"]))


def linked_candidates(out):
    """(municipality, year, target item) -> its rows of `linked_scores.csv`."""
    found = defaultdict(list)
    for r in rows(out, "linked_scores"):
        found[((r["country"], r["municipality_code"]), int(r["eval_year"]), r["to_item"])].append(r)
    return found


def instruments(options):
    """The instrument definitions the run used (its `instruments` folder,
    else the shipped `data/instrument/`): id -> the parsed file."""
    folder = options.get("instruments") or os.path.join(os.path.dirname(__file__), "..", "..", "data", "instrument")
    found = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                inst = tomllib.load(f)
            found[inst["id"]] = inst
    return found


def scale_points(out, target, evaluations=None):
    """Every score on every scale, and on the `linked` one (README,
    "Scales"): scale -> (municipality, year, item) -> (value, the
    linked_scores row it came from, or None for a native score), from
    `evaluations` (its rows, where the caller has read them)."""
    points = defaultdict(dict)
    for r in evaluations if evaluations is not None else rows(out, "evaluations"):
        key = ((r["country"], r["municipality_code"]), int(r["eval_year"]), r["item"])
        points[r["scale"]][key] = (float(r["score"]), None)
        if r["scale"] == target:
            points["linked"][key] = (float(r["score"]), None)
    for key, cs in linked_candidates(out).items():
        if key not in points["linked"]:
            c = best(cs)
            points["linked"][key] = (float(c["linked_score"]), c)
    return points


def read_register(path):
    """(country, code) -> (2011 group, 2017 group, population) from a
    register file or folder: a group as `code name`, "" where none; the
    country from a `country` column or the file's name (`se_...`)."""
    def label(r, year):
        code = r.get(f"group_{year}_code") or ""
        return f"{code} {r.get(f'group_{year}_name') or ''}".strip() if code else ""

    found = {}
    paths = [path] if os.path.isfile(path) else sorted(glob.glob(os.path.join(path, "*.csv")))
    for p in paths:
        with open(p, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                country = r.get("country") or os.path.basename(p)[:2].upper()
                pop = r.get("population") or ""
                found[(country, r["code"])] = (label(r, 2011), label(r, 2017), float(pop) if pop else None)
    return found


def quadratic(points):
    """Least-squares c = (A, 2B, C) of v = A x^2 + 2B x + C over (x, v), and
    the largest misfit relative to the largest v."""
    if len(points) < 3:
        return None, math.inf
    s = [sum(x ** k for x, _ in points) for k in range(5)]
    t = [sum(v * x ** k for x, v in points) for k in range(3)]
    m = [[s[4], s[3], s[2], t[2]], [s[3], s[2], s[1], t[1]], [s[2], s[1], s[0], t[0]]]
    for i in range(3):
        for j in range(i + 1, 3):
            f = m[j][i] / m[i][i]
            m[j] = [a - f * b for a, b in zip(m[j], m[i])]
    c = [0.0, 0.0, 0.0]
    for i in (2, 1, 0):
        c[i] = (m[i][3] - sum(m[i][j] * c[j] for j in range(i + 1, 3))) / m[i][i]
    peak = max(v for _, v in points)
    misfit = max(abs(c[0] * x * x + c[1] * x + c[2] - v) for x, v in points) / peak if peak else 0.0
    return c, misfit


# A link's SEs within this share of their largest square of a quadratic.
QUADRATIC = 1e-3


# A linear link of fewer municipalities may have had a replicate held
# within the band [−max, 2·max] (README, "Clamping": a resample of two
# municipalities of 7 gave a slope of 4.6), and its SEs raised to the
# normal-theory floor: not a quadratic, and no failure. With more, a
# replicate that far out does not happen.
FEW_FOR_THE_BAND = 20
# The linear links whose replicates are a jackknife's (README,
# "Uncertainty"): 5 to 8 municipalities.
JACKKNIFE = range(5, 9)


def link_variances(out):
    """Per link with SEs, its quadratic, or why there is none: "skip" for a
    method other than `mean` and `linear`, a link that dropped resamples
    (`boot_dropped`: the normal-theory floor may hold), or a linear one of
    fewer than FEW_FOR_THE_BAND municipalities whose SEs are not the
    quadratic; "unfit" for one whose SEs should be the quadratic and are
    not; "jackknife" for a linear one of JACKKNIFE municipalities (its
    replicates raised to the normal-theory floor where they are below it,
    so not lines where it holds), which `jackknife.attach` replaces with
    its replicates."""
    grid = defaultdict(list)
    for r in rows(out, "concordance"):
        if r["linked_se"] != "":
            grid[(r["from_scale"], r["item"])].append((float(r["from_score"]), float(r["linked_se"]) ** 2))
    found = {}
    for r in rows(out, "linking"):
        key = (r["from_scale"], r["item"])
        if key not in grid:
            continue
        c, misfit = quadratic(grid[key])
        few = r["method"] == "linear" and int(r["n_municipalities"]) < FEW_FOR_THE_BAND
        if r["method"] == "linear" and int(r["n_municipalities"]) in JACKKNIFE:
            found[key] = "jackknife"
        elif r["method"] not in ("mean", "linear") or int(r["boot_dropped"] or 0) > 0:
            found[key] = "skip"
        elif misfit <= QUADRATIC:
            found[key] = c
        else:
            found[key] = "skip" if few else "unfit"
    return found


# README, "Summaries through the tails": a summary's scores in
# an equipercentile link's tails (no SE of their own) may be at most 50 %
# of its n, those outside the link's pairs at most 2 %.
TAIL_SHARE, OUTSIDE_SHARE = 0.5, 0.02


def pairs_spans(out, run):
    """Per `equipercentile` link in `linking.csv` with an SE somewhere in
    `concordance.csv` (replicates: without them no score has one, tails
    or not), the lowest and highest of its pairs' scores on the scale
    linked from, each at its nearest score point (half-way: the one
    above), widened by a millionth of the step (scores a step of 0.1 or
    0.3 puts between floats); `run` the folder's `links.Run`."""
    with_se = {(r["from_scale"], r["item"]) for r in rows(out, "concordance") if r["linked_se"] != ""}
    spans = {}
    for r in rows(out, "linking"):
        key = (r["from_scale"], r["item"])
        h = run.resolution[key[0]]
        xs = [math.floor(x / h + 0.5) * h for v in run.pairs[key].values() for x, _ in v]
        if r["method"] == "equipercentile" and xs and key in with_se:
            spans[key] = (min(xs) - 1e-6 * h, max(xs) + 1e-6 * h)
    return spans


def in_tails(terms, n, spans):
    """Whether the terms [(linked_scores row, sign)] without an SE leave a
    mean of n values its linking error: each of an `equipercentile` link
    (`spans`, from `pairs_spans`), and by their summed weights per link
    and score, at most TAIL_SHARE of n in all and OUTSIDE_SHARE outside
    the pairs."""
    weights = defaultdict(float)
    for c, sign in terms:
        if c["linked_se"] == "":
            key = (c["from_scale"], c["item"])
            if key not in spans:
                return False
            weights[(key, float(c["score"]))] += sign
    tails = sum(abs(w) for w in weights.values())
    outside = sum(abs(w) for (key, x), w in weights.items() if not spans[key][0] <= x <= spans[key][1])
    return tails <= TAIL_SHARE * n and outside <= OUTSIDE_SHARE * n


def link_error(terms, n, variances, spans, weight=None):
    """The SD over the links' replicates of a mean of n values, from its
    linked terms [(linked_scores row, sign)]: None where terms have no SE
    beyond what `in_tails` allows (`spans` from `pairs_spans`), else
    "unfit" or "skip" where a link has no quadratic (see
    `link_variances`; "unfit" first; a "jackknife" not replaced by its
    replicates is a "skip"). The tails' shares are of `weight`, the
    statistic's values' summed weight (n for a mean). Terms that cancel (a link's S0 and S1
    both 0) do not enter; a jackknife link's replicates take the terms
    themselves (`jackknife.Replicates.variance`)."""
    if not in_tails(terms, n if weight is None else weight, spans):
        return None
    sums = defaultdict(lambda: [0.0, 0.0, []])
    for c, sign in terms:
        s = sums[(c["from_scale"], c["item"])]
        s[0] += sign
        s[1] += sign * float(c["score"])
        s[2].append((float(c["score"]), sign))
    var, why = 0.0, None
    for key, (s0, s1, each) in sums.items():
        if abs(s0) < 1e-9 and abs(s1) < 1e-9:
            continue
        c = variances.get(key, "unfit")
        if isinstance(c, str):
            c = "skip" if c == "jackknife" else c
            why = "unfit" if "unfit" in (c, why) else c
            continue
        if hasattr(c, "variance"):
            var += c.variance(each)
            continue
        var += c[0] * s1 * s1 + c[1] * s1 * s0 + c[2] * s0 * s0
    return why or math.sqrt(max(var, 0.0)) / n


# The tolerance of a linking error: the quadratic is read off SEs written
# to 4 decimals (the largest difference on the crosscheck sets and the
# sample is below 1e-4).
LINK_ERROR_TOLERANCE = 1e-4
