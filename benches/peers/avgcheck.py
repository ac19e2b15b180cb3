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
- Groups: `national`, `eval_year` (country and year, `SE 2012`), and for Swedish municipalities the 2011
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
- `group_differences.csv`: every Swedish group (2011 and 2017 groups,
  population bands) has a row and every row a group: n, Sweden's n, the
  difference of the means, the sampling SE (n_r/N) sqrt(s_g^2/n_g +
  s_r^2/n_r) from the group's points and the rest of Sweden's, the
  linking SE from the links' own SEs (the group's linked scores weighted
  n_r, the rest's -n_g, over n_g N; the tails' shares of 2 n_g n_r), and
  the interval (Welch's nu of the two samples; with a linking error as
  `diff_half` says; none where the group's or the rest's scores are all
  equal), README "A group against its country".
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
who = defaultdict(list)  # the same keys -> the municipality of each point, in the same order
for scale, pts in points.items():
    last = defaultdict(int)
    for (muni, year, _) in pts:
        last[muni] = max(last[muni], year)
    for basis in (BASIS,):
        for (muni, year, item), (value, link) in pts.items():
            if basis == "latest" and year != last[muni]:
                continue
            g2011, g2017, pop = munis.get(muni, ("", "", None))
            keys = [("national", muni[0]), ("eval_year", f"{muni[0]} {year}")]
            if muni[0] == "SE":
                keys += [(g, v) for g, v in (("kommungrupp2011", g2011), ("kommungrupp2017", g2017),
                                             ("population_band", band(pop))) if v]
            for grouping, group in keys:
                groups[(scale, basis, grouping, group, item)].append((value, pop, link))
                who[(scale, basis, grouping, group, item)].append(muni)


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


all_groups = dict(groups)
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


# --- group differences -----------------------------------------------------
def diff_half(se, nu, link):
    """Half the 95 % interval of a group's difference from Sweden (README,
    "A group against its country"): t(nu) * se natively or without a
    linking error; each error its own t through fewer than 5 pairs or
    where nu < 2; else one t of Welch-Satterthwaite's nu of both."""
    if link is None or link[0] == 0:
        return t975(nu) * se
    sl, dl, p = link
    if p < 5 or nu < 2:
        return math.hypot(t975(nu) * se, t975(dl) * sl)
    total = math.hypot(se, sl)
    return t975(max(total ** 4 / (se ** 4 / nu + sl ** 4 / dl), 1.0)) * total


SWEDISH = ("kommungrupp2011", "kommungrupp2017", "population_band")
wanted = {k for k in all_groups if k[2] in SWEDISH}
dbad, dchecked = 0, 0
for r in rows(out, "group_differences"):
    key = (r["scale"], r["basis"], r["grouping"], r["group"], r["item"])
    g = all_groups.get(key)
    national = all_groups.get((key[0], key[1], "national", "SE", key[4]))
    wanted.discard(key)
    if g is None or national is None or key[2] not in SWEDISH:
        dbad += 1
        print("a difference without its points:", key)
        continue
    dchecked += 1
    members = set(who[key])
    rest = [p for p, m in zip(national, who[(key[0], key[1], "national", "SE", key[4])]) if m not in members]
    ng, nr = len(g), len(rest)
    big_n = ng + nr
    d = mean_sd([v for v, _, _ in g])[0] - mean_sd([v for v, _, _ in national])[0]
    se = nu = None
    spread = False
    if ng >= 2 and nr >= 2:
        sg, sr = mean_sd([v for v, _, _ in g])[1], mean_sd([v for v, _, _ in rest])[1]
        spread = sg > 0 and sr > 0
        a, b = sg * sg / ng, sr * sr / nr
        se = nr / big_n * math.sqrt(a + b)
        nu = (a + b) ** 2 / (a * a / (ng - 1) + b * b / (nr - 1)) if a + b > 0 else 1.0
    tol = ROUNDING * (2 if key[0] == "linked" else 1) + 1e-9
    off = []
    if (int(r["n"]), int(r["national_n"])) != (ng, big_n):
        off.append(("n", ng, big_n))
    if abs(d - float(r["difference"])) > tol:
        off.append(("difference", d))
    if (se is None) != (r["se_sampling"] == "") or (se is not None and abs(se - float(r["se_sampling"])) > tol):
        off.append(("se_sampling", se))
    link = None
    if key[0] == "linked":
        terms = [(c, nr) for _, _, c in g if c] + [(c, -ng) for _, _, c in rest if c]
        sl = link_error(terms, ng * big_n, variances, spans, weight=2 * ng * nr)
        if sl in ("skip", "unfit"):
            unfit += 1
            sl = num(r["se_link"])
        elif differs(sl, num(r["se_link"]), LINK_ERROR_TOLERANCE):
            off.append(("se_link", sl, r["se_link"]))
        used = [(c["from_scale"], c["item"]) for c, w in terms if w]
        if sl is not None and sl > 0:
            p = min(pairs[k] for k in used)
            dl = fewest_df(link_rows, [((c["from_scale"], c["item"]), float(c["score"]), w) for c, w in terms])
            link = (sl, max(p - 1, 1) if dl is None else dl, p)
        elif sl is not None:
            link = (0.0, 1.0, 0)
    elif r["se_link"] != "":
        off.append(("se_link on a native scale", r["se_link"]))
    lo, hi = num(r["ci_low"]), num(r["ci_high"])
    empty = (se is None or not spread or (key[0] == "linked" and link is None)
             or (r["basis"] == "all"))
    if empty:
        if lo is not None or hi is not None:
            off.append(("an interval where none is due", lo, hi))
    elif lo is None or hi is None:
        off.append(("no interval", d))
    else:
        h = diff_half(se, nu, link)
        slack = tol if key[0] != "linked" else 5e-4
        if abs(lo - (d - h)) > slack or abs(hi - (d + h)) > slack:
            off.append(("interval", d - h, d + h, lo, hi))
    if off:
        dbad += 1
        if dbad <= 10:
            print("differs:", key, off)
dbad += len(wanted)
for k in list(wanted)[:10]:
    print("no difference for the group", k)
print(f"group differences: {dchecked} rows checked, {dbad} differ or missing")
bad += dbad
print("avgcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
