"""An independent check of every row of `averages.csv` (`make crosscheck`;
`python3 avgcheck.py OUT REGISTER`, OUT the folder of a `kompass run` with
CSV outputs in the plain dialect, REGISTER the register file or folder it
was given), recomputed from `evaluations.csv`, `linked_scores.csv`,
`linking.csv`, `concordance.csv`, the register and the run's basis and
link target in `manifest.json`, as the README defines them ("Scales",
"Basis", "Statistics", "Uncertainty of an average", "Groupings"). Exits 1
on any difference. `crosscheck.py` compares only the national averages of
the native scales, latest basis, with a peer's.

- Points: per scale, each municipality's latest year on it (basis
  `latest`) or every year (`all`); the `linked` scale's native target
  scores, else the linked score with the smaller SE.
- Groups: `national`, `eval_year`, and for Swedish municipalities the 2011
  and 2017 groups (code and name) and the population band from the
  register.
- Every group of points has a row (of the run's basis) and every row a
  group: n, mean, SD, SE,
  min, quartiles (R type 7), max, the population-weighted mean and its n,
  to the 4 written decimals (5e-5; 1e-4 on the `linked` scale, whose
  linked scores are read as written).
- The interval: native, mean +- t(0.975, n - 1) * se (no `se_link`); linked, with
  Welch-Satterthwaite's nu of n - 1 and p - 1 (p the fewest pairs, by
  municipality, behind the group's linked scores), or each error its own t
  below 5 pairs, or the native one where the group has no linked scores
  (`se_link` 0 there, and only there); empty for n = 1, SD 0, an empty
  `se_link`, and with basis
  `all` but in `eval_year`. A native interval is checked to 5e-5 from
  the scores; a linked interval is taken from the written
  mean, `se` and `se_link`, at either end of their rounding (the t of a
  2-pair link, 12.7, multiplies it); the written `se` and `se_link` are
  checked against the recomputed ones.
- `se_link` of the linked scale from the links' own SEs (`output.py`;
  through an `equipercentile` link or one that dropped resamples not
  recomputed, and counted; a mean or linear link whose SEs are not its
  quadratic fails; through a linear link of 5-8 municipalities from its
  jackknife replicates, `jackknife.py`).
Needs scipy (t quantiles; installed with pip when missing).
"""
import math
import sys
from collections import defaultdict

import jackknife
from intervals import fewest_df, half_width, mean_sd, t975
from links import Run
from output import (LINK_ERROR_TOLERANCE, ROUNDING, config, differs, link_error, link_variances, num,
                    pairs_spans, read_register, rows, scale_points)

out, register = sys.argv[1], sys.argv[2]
options = config(out)
TARGET, BASIS = options["link_to"], options["basis"]


munis = read_register(register)


def band(pop):
    if pop is None or pop <= 0:  # a population of 0 is no size (README)
        return None
    if pop < 15000:
        return "under 15000"
    if pop < 50000:
        return "15000-50000"
    return "50000-200000" if pop <= 200000 else "over 200000"


# --- points ----------------------------------------------------------------
points = scale_points(out, TARGET)
link_rows = {(r["from_scale"], r["item"]): r for r in rows(out, "linking")}
pairs = {k: int(r["n_municipalities"]) for k, r in link_rows.items()}

groups = defaultdict(list)  # (scale, basis, grouping, group, item) -> [(value, population, link)]
for scale, pts in points.items():
    last = defaultdict(int)
    for (muni, year, _) in pts:
        last[muni] = max(last[muni], year)
    for basis in (BASIS,):
        for (muni, year, item), (value, link) in pts.items():
            if basis == "latest" and year != last[muni]:
                continue
            g2011, g2017, pop = munis.get(muni, ("", "", None))
            keys = [("national", muni[0]), ("eval_year", str(year))]
            if muni[0] == "SE":
                keys += [(g, v) for g, v in (("kommungrupp2011", g2011), ("kommungrupp2017", g2017),
                                             ("population_band", band(pop))) if v]
            for grouping, group in keys:
                groups[(scale, basis, grouping, group, item)].append((value, pop, link))


# --- the check -------------------------------------------------------------
def quantile7(x, p):
    h = (len(x) - 1) * p
    lo = math.floor(h)
    return x[lo] + (h - lo) * (x[min(lo + 1, len(x) - 1)] - x[lo])


def interval_differs(r, v, n, mean_exact, sd):
    """Whether the written interval is off (see the module's note)."""
    lo, hi, mean, se, se_link = (num(r[c]) for c in ("ci_low", "ci_high", "mean", "se", "se_link"))
    if r["scale"] != "linked" and se_link is not None:
        return True  # a linking error on a native scale
    empty = n < 2 or sd == 0 or (r["basis"] == "all" and r["grouping"] != "eval_year")
    links = {(c["from_scale"], c["item"]) for _, _, c in v if c}
    p = min(pairs[k] for k in links) if links else None
    df = fewest_df(link_rows, [((c["from_scale"], c["item"]), float(c["score"]), 1.0) for _, _, c in v if c])
    if r["scale"] == "linked":
        if (p is None) != (se_link == 0):
            return True  # se_link 0 for a group without linked scores, and only there
        empty = empty or se_link is None
    if empty:
        return lo is not None or hi is not None
    if lo is None or hi is None:
        return True
    if r["scale"] != "linked":
        half = t975(n - 1) * sd / math.sqrt(n)
        return abs(lo - (mean_exact - half)) > ROUNDING + 1e-9 or abs(hi - (mean_exact + half)) > ROUNDING + 1e-9
    steps = (-ROUNDING, ROUNDING) if se_link else (0.0,)
    halves = [half_width(n, max(se + a, 1e-12), max((se_link or 0.0) + b, 0.0), p, df)
              for a in (-ROUNDING, ROUNDING) for b in steps]
    slack = 1.5e-4
    return not (mean - max(halves) - slack <= lo <= mean - min(halves) + slack
                and mean + min(halves) - slack <= hi <= mean + max(halves) + slack)


variances = jackknife.attach(out, link_variances(out))
spans = pairs_spans(out, Run(out, options))
bad, checked, unfit = 0, 0, 0
for r in rows(out, "averages"):
    key = (r["scale"], r["basis"], r["grouping"], r["group"], r["item"])
    v = groups.pop(key, None)
    if v is None:
        bad += 1
        print("a row without points:", key)
        continue
    checked += 1
    x = sorted(value for value, _, _ in v)
    n, (mean, sd) = len(x), mean_sd(x)
    weighted = [(value, pop) for value, pop, _ in v if pop and pop > 0]
    want = {
        "n": n, "mean": mean, "sd": sd, "se": None if sd is None else sd / math.sqrt(n),
        "min": x[0], "p25": quantile7(x, 0.25), "median": quantile7(x, 0.5),
        "p75": quantile7(x, 0.75), "max": x[-1], "n_pop_weighted": len(weighted),
        "mean_pop_weighted": (sum(a * w for a, w in weighted) / sum(w for _, w in weighted)
                              if weighted else None),
    }
    # Linked scores are read as written, to 4 decimals: twice the rounding.
    tol = ROUNDING * (2 if r["scale"] == "linked" else 1) + 1e-9
    off = [(c, w, r[c]) for c, w in want.items()
           if (w is None) != (r[c] == "") or (w is not None and abs(w - float(r[c])) > tol)]
    if r["scale"] == "linked":
        se_link = link_error([(c, 1) for _, _, c in v if c], n, variances, spans)
        if se_link == "skip" and r["se_link"] == "":
            off.append(("se_link", "none where the tail rules give one"))
        elif se_link == "skip":
            unfit += 1
        elif se_link == "unfit":
            off.append(("se_link", "a link's SEs are not its quadratic"))
        elif differs(se_link, num(r["se_link"]), LINK_ERROR_TOLERANCE):
            off.append(("se_link", se_link, r["se_link"]))
    if interval_differs(r, v, n, mean, sd):
        off.append(("interval", r["ci_low"], r["ci_high"]))
    if off:
        bad += 1
        if bad <= 10:
            print("differs:", key, off)
left = list(groups)
bad += len(left)
for k in left[:10]:
    print("no row for the points of", k)
print(f"averages: {checked} rows checked (basis {BASIS}), {bad} differ or missing; "
      f"{unfit} linking errors not recomputed (a link of another method, one that dropped resamples, or a linear one of few municipalities whose SEs are not a quadratic)")
print("avgcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
