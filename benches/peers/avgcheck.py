"""An independent check of every row of `averages.csv` (`make crosscheck`;
`python3 avgcheck.py OUT REGISTER`, OUT the folder of a `kompass run` with
CSV outputs in the plain dialect, REGISTER the register file or folder it
was given), recomputed from `evaluations.csv`, `linked_scores.csv`,
`linking.csv` and the register as the README defines them ("Scales",
"Basis", "Statistics", "Uncertainty of an average", "Groupings"). Exits 1
on any difference. `crosscheck.py` compares only the national averages of
the native scales, latest basis, with a peer's.

- Points: per scale, each municipality's latest year on it (basis
  `latest`) or every year (`all`); the `linked` scale's native target
  scores, else the linked score with the smaller SE.
- Groups: `national`, `eval_year`, and for Swedish municipalities the 2011
  and 2017 groups (code and name) and the population band from the
  register.
- Every group of points has a row and every row a group: n, mean, SD, SE,
  min, quartiles (R type 7), max, the population-weighted mean and its n,
  to the 4 written decimals (5e-5; 1e-4 on the `linked` scale, whose
  linked scores are read as written).
- The interval: native, mean +- t(0.975, n - 1) * se (no `se_link`); linked, with
  Welch-Satterthwaite's nu of n - 1 and p - 1 (p the fewest pairs, by
  municipality, behind the group's linked scores), or each error its own t
  below 5 pairs, or the native one where `se_link` is 0 (no linked
  scores); empty for n = 1, SD 0, an empty `se_link`, and with basis
  `all` but in `eval_year`. A native interval is checked to 5e-5 from
  the scores; a linked interval is taken from the written
  mean, `se` and `se_link`, at either end of their rounding (the t of a
  2-pair link, 12.7, multiplies it); the written `se` is checked against
  the recomputed one, and `se_link` by `linkcheck.py`.
Needs scipy (t quantiles; installed with pip when missing).
"""
import csv
import glob
import math
import os
import sys
from collections import defaultdict

from common import need

t_dist = need("scipy.stats", "scipy").t
out, register = sys.argv[1], sys.argv[2]
TARGET = "new"
ROUNDING = 5e-5


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def t975(df):
    return float(t_dist.ppf(0.975, df))


def label(r, year):
    code = r.get(f"group_{year}_code") or ""
    return f"{code} {r.get(f'group_{year}_name') or ''}".strip() if code else ""


# --- the register ----------------------------------------------------------
munis = {}
paths = [register] if os.path.isfile(register) else sorted(glob.glob(os.path.join(register, "*.csv")))
for path in paths:
    for r in rows(path):
        country = r.get("country") or os.path.basename(path)[:2].upper()
        pop = r.get("population") or ""
        munis[(country, r["code"])] = (label(r, 2011), label(r, 2017), float(pop) if pop else None)


def band(pop):
    if pop is None:
        return None
    if pop < 15000:
        return "under 15000"
    if pop < 50000:
        return "15000-50000"
    return "50000-200000" if pop <= 200000 else "over 200000"


# --- points ----------------------------------------------------------------
points = defaultdict(dict)  # scale -> (muni, year, item) -> (value, link or None)
for r in rows(f"{out}/evaluations.csv"):
    key = ((r["country"], r["municipality_code"]), int(r["eval_year"]), r["item"])
    points[r["scale"]][key] = (float(r["score"]), None)
    if r["scale"] == TARGET:
        points["linked"][key] = (float(r["score"]), None)
candidates = defaultdict(list)
for r in rows(f"{out}/linked_scores.csv"):
    candidates[((r["country"], r["municipality_code"]), int(r["eval_year"]), r["to_item"])].append(r)
for key, cs in candidates.items():
    if key not in points["linked"]:
        best = min(cs, key=lambda x: math.inf if x["linked_se"] == "" else float(x["linked_se"]))
        points["linked"][key] = (float(best["linked_score"]), (best["from_scale"], best["item"]))
pairs = {(r["from_scale"], r["item"]): int(r["n_municipalities"]) for r in rows(f"{out}/linking.csv")}

groups = defaultdict(list)  # (scale, basis, grouping, group, item) -> [(value, population, link)]
for scale, pts in points.items():
    last = defaultdict(int)
    for (muni, year, _) in pts:
        last[muni] = max(last[muni], year)
    for basis in ("latest", "all"):
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


def half_width(n, se, se_link, p):
    if p is None or se_link == 0:
        return t975(n - 1) * se
    total = math.hypot(se, se_link)
    if p >= 5:
        return t975(total ** 4 / (se ** 4 / (n - 1) + se_link ** 4 / (p - 1))) * total
    return math.hypot(t975(n - 1) * se, t975(p - 1) * se_link)


def num(s):
    return None if s == "" else float(s)


def interval_differs(r, v, n, mean_exact, sd):
    """Whether the written interval is off (see the module's note)."""
    lo, hi, mean, se, se_link = (num(r[c]) for c in ("ci_low", "ci_high", "mean", "se", "se_link"))
    if r["scale"] != "linked" and se_link is not None:
        return True  # a linking error on a native scale
    empty = n < 2 or sd == 0 or (r["basis"] == "all" and r["grouping"] != "eval_year")
    links = {link for _, _, link in v if link}
    p = min(pairs[k] for k in links) if links else None
    if r["scale"] == "linked":
        if p is None and se_link != 0:
            return True  # a group without linked scores has se_link 0
        empty = empty or se_link is None
    if empty:
        return lo is not None or hi is not None
    if lo is None or hi is None:
        return True
    if r["scale"] != "linked":
        half = t975(n - 1) * sd / math.sqrt(n)
        return abs(lo - (mean_exact - half)) > ROUNDING + 1e-9 or abs(hi - (mean_exact + half)) > ROUNDING + 1e-9
    steps = (-ROUNDING, ROUNDING) if se_link else (0.0,)
    halves = [half_width(n, max(se + a, 1e-12), max((se_link or 0.0) + b, 0.0), p)
              for a in (-ROUNDING, ROUNDING) for b in steps]
    slack = 1.5e-4
    return not (mean - max(halves) - slack <= lo <= mean - min(halves) + slack
                and mean + min(halves) - slack <= hi <= mean + max(halves) + slack)


bad, checked, bases = 0, 0, set()
for r in rows(f"{out}/averages.csv"):
    bases.add(r["basis"])
    key = (r["scale"], r["basis"], r["grouping"], r["group"], r["item"])
    v = groups.pop(key, None)
    if v is None:
        bad += 1
        print("a row without points:", key)
        continue
    checked += 1
    x = sorted(value for value, _, _ in v)
    n, mean = len(x), sum(x) / len(x)
    sd = math.sqrt(sum((a - mean) ** 2 for a in x) / (n - 1)) if n > 1 else None
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
    if interval_differs(r, v, n, mean, sd):
        off.append(("interval", r["ci_low"], r["ci_high"]))
    if off:
        bad += 1
        if bad <= 10:
            print("differs:", key, off)
left = [k for k in groups if k[1] in bases]
bad += len(left)
for k in left[:10]:
    print("no row for the points of", k)
print(f"averages: {checked} rows checked ({', '.join(sorted(bases))}), "
      f"{bad} differ or missing")
print("avgcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
