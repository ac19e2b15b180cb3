"""An independent check of the figures that go through a link
(`make crosscheck`; `python3 linkcheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect), recomputed from `evaluations.csv`, `linking.csv`,
`linked_scores.csv` and `concordance.csv` as the README defines them.
Exits 1 on any difference. What `crosscheck.py` leaves out:

- links: every `mean` and `linear` link's pairs (an evaluation year scored
  on both scales: the from item and its target item), municipalities,
  means, SDs, slope and intercept; every linked score is the line at its
  score, cut at the target item's [0, max], and every native score of a
  linked item has one;
- `trends.csv` whole: rounds of each municipality's chains, native and
  `cross-scale` changes, `delta_se` = sqrt(SE_from^2 + SE_to^2);
- `trend_summary.csv`: n, mean, SD, `se_sampling`, `se_total` and the 95 %
  interval (t(n - 1) on a native scale; Welch-Satterthwaite's nu with p - 1
  for the fewest pairs p, or each error its own t below 5 pairs);
- `year_totals.csv`: n, mean total and t-interval of every year;
- the linking error of a summary from the links' own SEs: a mean or linear
  link's replicate moves every linked score by db*x + da, so a sum over
  linked scores of sum(s_i) = S0 and sum(s_i * x_i) = S1 (s_i = +1, or -1 for a
  change's start) has Var = A*S1^2 + 2B*S1*S0 + C*S0^2, A, B, C the
  quadratic through `concordance.csv`'s linked_se^2 (a link whose SEs are
  not such a quadratic, held in its band or raised to a floor, is skipped
  and counted); links are drawn independently. Checked: `se_link` of every
  `cross-scale` row of `trend_summary.csv`, and n and `se_link` of the
  `linked` national and 2017-group averages (latest), their points found
  anew as the README's "Scales" and "Basis" say (the group of each
  municipality read from `benchmarks.csv`).

Links other than `mean` and `linear` (`identity`, `equipercentile`) are
not refitted, and their linked scores not checked (counted).

Numbers are compared to kompass's 4 written decimals (5e-5 from the
exact scores, 1e-4 from written figures) (a `cross-scale`
interval: the rule applied to the written mean and SEs, each checked
against the recomputed ones, at either end of their rounding, 5e-5, which
its t quantile multiplies: t(0.975, 1) = 12.7).
Needs scipy (t quantiles; installed with pip when missing).
"""
import csv
import math
import sys
from collections import defaultdict

from common import need

t_dist = need("scipy.stats", "scipy").t
out = sys.argv[1]
TARGET = "new"
# Half a unit of the 4th decimal: a figure recomputed from the exact
# scores is at most this far from the one written.
HALF = 5.01e-5
bad = 0


def rows(name):
    with open(f"{out}/{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def num(s):
    return None if s == "" else float(s)


def differs(a, b, tol=1e-4, rel=0.0):
    """Whether a and b differ by more than tol + rel * |a| (or one is
    missing)."""
    if a is None or b is None:
        return (a is None) != (b is None)
    return abs(a - b) > tol + rel * abs(a)


def report(what, n_checked, diffs, note=""):
    global bad
    bad += len(diffs)
    print(f"{what}: {n_checked} checked, {len(diffs)} differ{note}")
    for d in diffs[:8]:
        print("   ", d)


def t975(df):
    return float(t_dist.ppf(0.975, df))


# --- inputs --------------------------------------------------------------
scores, top = {}, {}
for r in rows("evaluations"):
    key = (r["country"], r["municipality_code"])
    scores[(key, int(r["eval_year"]), r["scale"], r["item"])] = float(r["score"])
    top[(r["scale"], r["item"])] = float(r["max"])
links = {(r["from_scale"], r["item"]): r for r in rows("linking")}
linked = defaultdict(list)  # (muni, year, target item) -> linked_scores rows
for r in rows("linked_scores"):
    linked[((r["country"], r["municipality_code"]), int(r["eval_year"]), r["to_item"])].append(r)



def best(candidates):
    """Of a municipality-year's linked scores of one item, the one with the
    smaller SE (an empty SE last; between equals the first)."""
    return min(candidates, key=lambda x: math.inf if x["linked_se"] == "" else float(x["linked_se"]))


# --- links ---------------------------------------------------------------
pairs = defaultdict(lambda: defaultdict(list))  # link -> muni -> [(x, y)]
for (muni, year, scale, item), x in scores.items():
    link = links.get((scale, item))
    if link is not None:
        y = scores.get((muni, year, TARGET, link["to_item"]))
        if y is not None:
            pairs[(scale, item)][muni].append((x, y))


def mean_sd(v):
    m = sum(v) / len(v)
    return m, math.sqrt(sum((a - m) ** 2 for a in v) / (len(v) - 1)) if len(v) > 1 else None


fits, diffs = {}, []
for key, link in sorted(links.items()):
    if link["method"] not in ("mean", "linear"):
        continue
    ps = [p for v in pairs[key].values() for p in v]
    (mx, sx), (my, sy) = mean_sd([p[0] for p in ps]), mean_sd([p[1] for p in ps])
    slope = 1.0 if link["method"] == "mean" else sy / sx
    fits[key] = (slope, my - slope * mx)
    want = [len(ps), len(pairs[key]), mx, sx, my, sy, slope, my - slope * mx]
    cols = ["n_pairs", "n_municipalities", "mean_from", "sd_from", "mean_to", "sd_to", "slope", "intercept"]
    for c, w in zip(cols, want):
        if differs(w, num(link[c]), HALF):
            diffs.append((key, c, w, link[c]))
others = sum(1 for link in links.values() if link["method"] not in ("mean", "linear"))
report("links (mean, linear)", len(fits), diffs, f"; {others} of other methods not refitted")

diffs, n_linked, n_other, seen = [], 0, 0, set()
for group in linked.values():
    for r in group:
        key = (r["from_scale"], r["item"])
        seen.add(((r["country"], r["municipality_code"]), int(r["eval_year"]), key))
        if key not in fits:
            n_other += 1
            continue
        n_linked += 1
        b, a = fits[key]
        want = min(max(b * float(r["score"]) + a, 0.0), top[(TARGET, r["to_item"])])
        if differs(want, float(r["linked_score"]), HALF):
            diffs.append((r["country"], r["municipality_code"], r["eval_year"], key, want, r["linked_score"]))
unlinked = [k for k in scores if (k[2], k[3]) in links and (k[0], k[1], (k[2], k[3])) not in seen]
diffs += [("no linked score", k) for k in unlinked]
report("linked scores", n_linked, diffs, f"; {n_other} of other methods not checked")

# --- trends --------------------------------------------------------------
chain_scales = {TARGET} | {s for s, _ in links}
by_muni = defaultdict(dict)
for (muni, year, scale, item), v in scores.items():
    by_muni[muni][(year, scale, item)] = v


target_items, target_items_native = defaultdict(set), defaultdict(set)
for (muni, year, item) in linked:
    target_items[(muni, year)].add(item)
for (muni, year, scale, item) in scores:
    if scale == TARGET:
        target_items_native[(muni, year)].add(item)

expected, ends = {}, {}
for muni, pts in by_muni.items():
    chains = [sorted({y for (y, s, _) in pts if s in chain_scales})]
    chains += [sorted({y for (y, s, _) in pts if s == other})
               for other in sorted({s for (_, s, _) in pts} - chain_scales)]
    for years in chains:
        for r, (y0, y1) in enumerate(zip(years, years[1:]), start=1):
            a = {(s, i): v for (y, s, i), v in pts.items() if y == y0}
            b = {(s, i): v for (y, s, i), v in pts.items() if y == y1}
            native_targets = set()
            for (s, i), v0 in a.items():
                if (s, i) in b and (s in chain_scales) == (years is chains[0]):
                    expected[(muni, i, y0, y1, s)] = (r, r + 1, v0, b[(s, i)], b[(s, i)] - v0, None)
                    to_item = i if s == TARGET else links.get((s, i), {}).get("to_item")
                    if to_item is not None:
                        native_targets.add(to_item)
            if years is not chains[0]:
                continue

            def end(year, native):
                """A round's scores on the target scale: native, else the
                linked score with the smaller SE (an empty SE last)."""
                got = {i: (0.0, v, None) for (s, i), v in native.items() if s == TARGET}
                for item in target_items[(muni, year)]:
                    if item not in got:
                        c = best(linked[(muni, year, item)])
                        got[item] = (num(c["linked_se"]), float(c["linked_score"]), c)
                return got

            ea, eb = end(y0, a), end(y1, b)
            for item in sorted(set(ea) & set(eb) - native_targets):
                (s0, v0, c0), (s1, v1, c1) = ea[item], eb[item]
                se = None if s0 is None or s1 is None else math.hypot(s0, s1)
                key = (muni, item, y0, y1, "cross-scale")
                expected[key] = (r, r + 1, v0, v1, v1 - v0, se)
                ends[key] = [(c, sign) for c, sign in ((c0, -1), (c1, 1)) if c]

trends, diffs = {}, []
for r in rows("trends"):
    key = ((r["country"], r["municipality_code"]), r["item"], int(r["from_year"]), int(r["to_year"]), r["scale"])
    trends[key] = r
    want = expected.get(key)
    got = (int(r["round_from"]), int(r["round_to"]), float(r["from_score"]), float(r["to_score"]),
           float(r["delta"]), num(r["delta_se"]))
    if want is None:
        diffs.append(("kompass only", key))
    elif want[:2] != got[:2] or any(differs(w, g, 2e-4) for w, g in zip(want[2:], got[2:])):
        diffs.append((key, want, got))
diffs += [("missing", k) for k in expected if k not in trends]
report("trends", len(expected), diffs)

# --- trend summary -------------------------------------------------------
groups = defaultdict(list)
for key, r in trends.items():
    for kind, step in (("round", f'{r["round_from"]}→{r["round_to"]}'),
                       ("years", f'{r["from_year"]}→{r["to_year"]}')):
        groups[(r["scale"], r["item"], kind, step)].append(key)
step_keys = dict(groups)


def half_width(n, se_s, se_l, p):
    """Half the 95 % interval of a mean change through links of p pairs
    (the fewest): Welch-Satterthwaite's nu from 5 pairs, else each error
    its own t."""
    total = math.hypot(se_s, se_l)
    if p >= 5:
        return t975(total ** 4 / (se_s ** 4 / (n - 1) + se_l ** 4 / (p - 1))) * total
    return math.hypot(t975(n - 1) * se_s, t975(p - 1) * se_l)


diffs, summary = [], rows("trend_summary")
for s in summary:
    keys = groups.pop((s["scale"], s["item"], s["step_kind"], s["step"]), [])
    d = [float(trends[k]["delta"]) for k in keys]
    n = len(d)
    if n == 0:
        diffs.append(("no changes", s))
        continue
    m, sd = mean_sd(d)
    se_s = None if sd is None else sd / math.sqrt(n)
    se_l = num(s["se_link"])
    if s["scale"] != "cross-scale":
        total, half = se_s, None if n < 2 or sd == 0 else t975(n - 1) * se_s
        if se_l is not None:
            diffs.append(("se_link on a native scale", s))
        halves = (half, half)
    else:
        total = None if se_l is None or se_s is None else math.hypot(se_s, se_l)
        halves = (None, None)
        if total is not None and sd != 0:
            p = min(int(links[(c["from_scale"], c["item"])]["n_municipalities"])
                    for k in keys for c, _ in ends[k])
            # The interval of the written SEs, each either end of its
            # rounding to 4 decimals (t(0.975, 1) = 12.7 multiplies it);
            # the written SEs are checked against these above.
            se_w = num(s["se_sampling"])
            corners = [half_width(n, max(se_w + a, 1e-12), max(se_l + b, 0.0), p)
                       for a in (-5e-5, 5e-5) for b in (-5e-5, 5e-5)]
            halves = (min(corners), max(corners))
    want = [n, m, sd, se_s, total]
    got = [int(s["n"]), num(s["mean_delta"]), num(s["sd"]), num(s["se_sampling"]), num(s["se_total"])]
    lo, hi, mw = num(s["ci_low"]), num(s["ci_high"]), num(s["mean_delta"])
    if halves[0] is None:
        ci_off = lo is not None or hi is not None
    else:
        ci_off = lo is None or hi is None or mw is None or not (
            mw - halves[1] - 1.5e-4 <= lo <= mw - halves[0] + 1.5e-4
            and mw + halves[0] - 1.5e-4 <= hi <= mw + halves[1] + 1.5e-4)
    if ci_off or any(differs(w, g) for w, g in zip(want, got)):
        diffs.append((s["scale"], s["item"], s["step_kind"], s["step"], want, got, halves, lo, hi))
diffs += [("no summary row", k) for k in groups]
report("trend summary", len(summary), diffs)

# --- year totals ---------------------------------------------------------
totals = defaultdict(list)
for (muni, year, scale, item), v in scores.items():
    if item == "total":
        totals[(muni[0], scale, year)].append(v)
diffs, yt = [], rows("year_totals")
for r in yt:
    v = totals.pop((r["country"], r["scale"], int(r["eval_year"])), [])
    n = len(v)
    if n == 0:
        diffs.append(("no totals", r))
        continue
    m, sd = mean_sd(v)
    half = None if not sd else t975(n - 1) * sd / math.sqrt(n)
    want = [n, m, None if half is None else m - half, None if half is None else m + half]
    got = [int(r["n"]), float(r["mean_total"]), num(r["ci_low"]), num(r["ci_high"])]
    if any(differs(w, g, HALF) for w, g in zip(want, got)):
        diffs.append((r, want))
diffs += [("no row", k) for k in totals]
report("year totals", len(yt), diffs)

# --- linking error of summaries, from the links' own SEs ------------------
grid = defaultdict(list)
for r in rows("concordance"):
    if r["linked_se"] != "":
        grid[(r["from_scale"], r["item"])].append((float(r["from_score"]), float(r["linked_se"]) ** 2))


def quadratic(points):
    """Least-squares A, 2B, C of v = A x^2 + 2B x + C, and the largest
    relative misfit."""
    n = len(points)
    if n < 3:
        return None
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


quad = {}
for key, pts in grid.items():
    q = quadratic(pts)
    if q is not None and q[1] < 1e-3 and links[key]["method"] in ("mean", "linear"):
        quad[key] = q[0]


def link_error(terms, n):
    """The SD of a mean of n values over the links' replicates, from its
    linked terms (linked_scores row, sign); None where it cannot be known,
    "skip" where a link's SEs are not the quadratic."""
    sums = defaultdict(lambda: [0.0, 0.0])
    for c, sign in terms:
        if c["linked_se"] == "":
            return None
        s = sums[(c["from_scale"], c["item"])]
        s[0] += sign
        s[1] += sign * float(c["score"])
    var = 0.0
    for key, (s0, s1) in sums.items():
        if abs(s0) < 1e-9 and abs(s1) < 1e-9:
            continue
        if key not in quad:
            return "skip"
        a, b2, c = quad[key]
        var += a * s1 * s1 + b2 * s1 * s0 + c * s0 * s0
    return math.sqrt(max(var, 0.0)) / n


diffs, tally = [], {"checked": 0, "skip": 0}


def compare_link_error(terms, n, written, label):
    """Compares a written se_link with the one from the links' SEs."""
    want = link_error(terms, n)
    tally["skip" if want == "skip" else "checked"] += 1
    if want != "skip" and differs(want, num(written), 1e-4, 2e-3):
        diffs.append((*label, want, written))


for s in summary:
    if s["scale"] == "cross-scale":
        ks = step_keys[(s["scale"], s["item"], s["step_kind"], s["step"])]
        compare_link_error([t for k in ks for t in ends[k]], len(ks), s["se_link"],
                           (s["item"], s["step_kind"], s["step"]))

# The linked scale's latest points (README, "Scales" and "Basis"): each
# municipality's latest year with any score on it, native target scores
# first, else the linked score with the smaller SE.
kgroup, on_linked = {}, defaultdict(set)
for r in rows("benchmarks"):
    kgroup[(r["country"], r["municipality_code"])] = r["kommungrupp2017"]
for (muni, year, scale, item) in scores:
    if scale == TARGET:
        on_linked[muni].add(year)
for (muni, year, item) in linked:
    on_linked[muni].add(year)
latest = defaultdict(list)  # (grouping, group, item) -> terms of its points
for muni, years in on_linked.items():
    year = max(years)
    items = target_items_native[(muni, year)]
    for item in items | target_items[(muni, year)]:
        terms = []
        if item not in items:
            terms = [(best(linked[(muni, year, item)]), 1)]
        latest[("national", muni[0], item)].append(terms)
        if kgroup.get(muni):
            latest[("kommungrupp2017", kgroup[muni], item)].append(terms)
averages = [r for r in rows("averages") if r["scale"] == "linked" and r["basis"] == "latest"
            and r["grouping"] in ("national", "kommungrupp2017")]
if not averages:  # a run with --basis all
    latest.clear()
for r in averages:
    pts = latest.pop((r["grouping"], r["group"], r["item"]), [])
    if len(pts) != int(r["n"]):
        diffs.append(("n", r["grouping"], r["group"], r["item"], len(pts), r["n"]))
        continue
    compare_link_error([t for p in pts for t in p], len(pts), r["se_link"],
                       (r["grouping"], r["group"], r["item"]))
diffs += [("no average", k) for k in latest]
report("linking error of summaries (cross-scale changes, linked averages)", tally["checked"], diffs,
       f"; {tally['skip']} skipped (a link's SEs not a quadratic)")

print("linkcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
