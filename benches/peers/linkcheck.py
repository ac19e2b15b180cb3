"""An independent check of the figures that go through a link
(`make crosscheck`; `python3 linkcheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect), recomputed from
`evaluations.csv`, `linking.csv`, `linked_scores.csv`, `concordance.csv`,
the instrument definitions and the run's options in `manifest.json`, as
the README defines them. Exits 1 on any difference. What `crosscheck.py`
leaves out:

- links: every link the instruments define (an area's or the total's
  `links` to the target scale) that has dual-scored pairs is in
  `linking.csv` or named by a `no-linking` warning of its scale; every
  link's pairs (an evaluation year scored on both scales),
  municipalities, means, SDs, slope and intercept (`links.py`);
- `concordance.csv`: every score point of every link (0 to max in steps
  of the scale's resolution), the link refitted there by its method
  (`identity`, `mean`, `linear`, or `equipercentile` from `equip.py`),
  cut at [0, max]; for an `equipercentile` link, which points have an SE
  (the README's tail rules); `linked_df` where there is an SE, and only
  there (`intervals.link_df` at the score, to 0.1 %: linking.csv's r,
  mean and SD are rounded);
- linked scores: each of a link in `linking.csv`, with its native score
  from `evaluations.csv`, the link there cut at the target item's
  [0, max], its `linked_se` that of `concordance.csv` at the score;
  every native score of a linked item has one;
- `trends.csv` whole: rounds of each municipality's chains (the target
  and the scales linked to it; each other scale its own), native and
  `cross-scale` changes, `delta_se` = sqrt(SE_from^2 + SE_to^2), no row twice;
- `trend_summary.csv`, per country: n, mean, SD, `se_sampling`, `se_total` and the 95 %
  interval (t(n - 1) on a native scale; Welch-Satterthwaite's nu with p - 1
  for the fewest pairs p, or each error its own t below 5 pairs), and
  `se_link` of every `cross-scale` row from the links' own SEs (see
  `output.py`; a mean or linear link whose SEs are not its quadratic
  fails, but where resamples were dropped, `boot_dropped`, and the
  normal-theory floor may hold: counted; a linear link of 5-8
  municipalities from its jackknife replicates, `jackknife.py`);
- `year_totals.csv`: n, mean total and t-interval of every year.

An `equipercentile` link's SEs themselves (its bootstrap) are
`equip_se.py`'s (an independent bootstrap, compared statistically); not
recomputed is the linking error of a summary through it or through a
link that dropped resamples (counted), though whether there is one is
(the README's shares of a summary in an equipercentile link's tails,
`output.in_tails`). The averages, `se_link` included,
are `avgcheck.py`'s; `linking.csv`'s quality columns and
`link_invariance.csv` are `qualitycheck.py`'s.

Numbers are compared to kompass's 4 written decimals (5e-5 from the
exact scores, 1e-4 from written figures; a trend summary's SD and SE from
the written deltas by what their rounding can move them,
`rounding_tolerances`); a `cross-scale` interval is the
rule applied to the written mean and SEs, each checked against the
recomputed ones, at either end of their rounding, 5e-5, which its t
quantile multiplies (t(0.975, 1) = 12.7). Needs scipy (t quantiles;
installed with pip when missing).
"""
import math
import sys
from collections import defaultdict

import jackknife
from intervals import fewest_df, half_width, link_df, mean_sd, t975
from links import METHODS, Run
from output import (LINK_ERROR_TOLERANCE, ROUNDING, best, config, differs, link_error, link_variances,
                    linked_candidates, num, pairs_spans, rows)

out = sys.argv[1]
options = config(out)
TARGET = options["link_to"]
HALF = ROUNDING + 1e-9
bad = 0


def report(what, n_checked, diffs, note=""):
    global bad
    bad += len(diffs)
    print(f"{what}: {n_checked} checked, {len(diffs)} differ{note}")
    for d in diffs[:8]:
        print("   ", d)


# --- inputs --------------------------------------------------------------
run = Run(out, options)
scores, top, links, pairs = run.scores, run.top, run.links, run.pairs
linked = linked_candidates(out)

# --- links ---------------------------------------------------------------
warned = {r["scale"] for r in rows(out, "validation") if r["rule"] == "no-linking"}
diffs = [("pairs, but neither linked nor warned", key, len(p)) for key, p in sorted(pairs.items())
         if key not in links and key[0] not in warned]
diffs += [("linked, but not defined", key) for key in links if run.defined.get(key) != links[key]["to_item"]]
fits, equips = {}, {}  # link -> its function; the equipercentile ones
for key, link in sorted(links.items()):
    ps = [p for v in pairs[key].values() for p in v]
    (mx, sx), (my, sy) = (mean_sd([p[i] for p in ps]) if ps else (None, None) for i in (0, 1))
    fitted = run.fit(key, link["method"], ps) if link["method"] in METHODS and key in run.defined else None
    if fitted is None:
        diffs.append(("an unknown method, or no link to fit", key, link["method"]))
        fits[key] = lambda x: math.nan
        continue
    fits[key], slope, intercept = fitted
    if link["method"] == "equipercentile":
        equips[key] = fits[key]
    want = [len(ps), len(pairs[key]), mx, sx, my, sy, slope, intercept]
    cols = ["n_pairs", "n_municipalities", "mean_from", "sd_from", "mean_to", "sd_to", "slope", "intercept"]
    diffs += [(key, c, w, link[c]) for c, w in zip(cols, want) if differs(w, num(link[c]), HALF)]
report("links", len(links), diffs)

grid, diffs = {}, []
for r in rows(out, "concordance"):
    key, x = (r["from_scale"], r["item"]), float(r["from_score"])
    if key not in fits or (*key, x) in grid:
        diffs.append(("not a link's, or twice", key, x))
        continue
    grid[(*key, x)] = num(r["linked_se"])
    if differs(run.cut(key, fits[key](x)), float(r["linked_score"]), HALF):
        diffs.append(("concordance", key, x, r["linked_score"]))
    if key in equips and options["bootstrap"] > 0 and equips[key].has_se(x) != (r["linked_se"] != ""):
        diffs.append(("an SE where the tail rules give none, or none where they give one", key, x, r["linked_se"]))
    want_df = None if r["linked_se"] == "" else link_df(links[key], [(x, 1.0)])
    if (want_df is None) != (r["linked_df"] == "") or (want_df is not None and differs(want_df, float(r["linked_df"]), 1e-3 * want_df)):
        diffs.append(("linked_df", key, x, want_df, r["linked_df"]))
for key in fits:  # every score point of every link: 0 to max in steps of the resolution
    h = run.resolution[key[0]]
    diffs += [("no row", key, i * h) for i in range(round(top[key] / h) + 1) if (*key, i * h) not in grid]
report("concordance", len(grid), diffs)
diffs, seen = [], set()
for group in linked.values():
    for r in group:
        muni, year, key = (r["country"], r["municipality_code"]), int(r["eval_year"]), (r["from_scale"], r["item"])
        seen.add((muni, year, key))
        x = float(r["score"])
        if key not in links or scores.get((muni, year, *key)) != x:
            diffs.append(("not a native score of a link", muni, year, key, x))
            continue
        at = (key[0], key[1], x)
        if at in grid and differs(grid[at], num(r["linked_se"]), 0.0):
            diffs.append(("linked_se not the concordance's", muni, year, key, grid[at], r["linked_se"]))
        want = run.cut(key, fits[key](x))
        if differs(want, float(r["linked_score"]), HALF):
            diffs.append((muni, year, key, want, r["linked_score"]))
diffs += [("no linked score", k) for k in scores if (k[2], k[3]) in links and (k[0], k[1], (k[2], k[3])) not in seen]
report("linked scores", len(seen), diffs)

# --- trends --------------------------------------------------------------
chain_scales = {TARGET} | {s for s, _ in links}
by_muni = defaultdict(dict)
for (muni, year, scale, item), v in scores.items():
    by_muni[muni][(year, scale, item)] = v
native_items, linked_items = defaultdict(set), defaultdict(set)
for (muni, year, scale, item) in scores:
    if scale == TARGET:
        native_items[(muni, year)].add(item)
for (muni, year, item) in linked:
    linked_items[(muni, year)].add(item)


def on_target(muni, year, native):
    """A round's scores on the target scale: native, else the linked score
    with the smaller SE."""
    got = {i: (0.0, v, None) for (s, i), v in native.items() if s == TARGET}
    for item in linked_items[(muni, year)] - set(got):
        c = best(linked[(muni, year, item)])
        got[item] = (num(c["linked_se"]), float(c["linked_score"]), c)
    return got


expected, ends = {}, {}
for muni, pts in by_muni.items():
    # The comparable chain, then each other scale's own.
    chains = [(chain_scales, sorted({y for (y, s, _) in pts if s in chain_scales}))]
    chains += [({other}, sorted({y for (y, s, _) in pts if s == other}))
               for other in sorted({s for (_, s, _) in pts} - chain_scales)]
    for scales, years in chains:
        for r, (y0, y1) in enumerate(zip(years, years[1:]), start=1):
            a = {(s, i): v for (y, s, i), v in pts.items() if y == y0}
            b = {(s, i): v for (y, s, i), v in pts.items() if y == y1}
            native_targets = set()
            for (s, i), v0 in a.items():
                if (s, i) in b and s in scales:
                    expected[(muni, i, y0, y1, s)] = (r, r + 1, v0, b[(s, i)], b[(s, i)] - v0, None)
                    to_item = i if s == TARGET else links.get((s, i), {}).get("to_item")
                    if to_item is not None:
                        native_targets.add(to_item)
            if scales is not chain_scales:
                continue
            ea, eb = on_target(muni, y0, a), on_target(muni, y1, b)
            for item in sorted(set(ea) & set(eb) - native_targets):
                (s0, v0, c0), (s1, v1, c1) = ea[item], eb[item]
                se = None if s0 is None or s1 is None else math.hypot(s0, s1)
                key = (muni, item, y0, y1, "cross-scale")
                expected[key] = (r, r + 1, v0, v1, v1 - v0, se)
                ends[key] = [(c, sign) for c, sign in ((c0, -1), (c1, 1)) if c]

trends, diffs = {}, []
for r in rows(out, "trends"):
    key = ((r["country"], r["municipality_code"]), r["item"], int(r["from_year"]), int(r["to_year"]), r["scale"])
    if key in trends:
        diffs.append(("twice", key))
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
        groups[(r["country"], r["scale"], r["item"], kind, step)].append(key)


def interval_off(s, m, n, sd, keys):
    """Whether the written interval of summary row s is off."""
    lo, hi, mw, se_w, se_l = (num(s[c]) for c in ("ci_low", "ci_high", "mean_delta", "se_sampling", "se_link"))
    if n < 2 or sd == 0 or (s["scale"] == "cross-scale" and se_l is None):
        return lo is not None or hi is not None
    if lo is None or hi is None:
        return True
    if s["scale"] != "cross-scale":
        half = t975(n - 1) * sd / math.sqrt(n)
        return differs(m - half, lo, HALF) or differs(m + half, hi, HALF)
    p = min(int(links[(c["from_scale"], c["item"])]["n_municipalities"]) for k in keys for c, _ in ends.get(k, []))
    df = fewest_df(links, [((c["from_scale"], c["item"]), float(c["score"]), w) for k in keys for c, w in ends.get(k, [])])
    corners = [half_width(n, max(se_w + a, 1e-12), max(se_l + b, 0.0), p, df)
               for a in (-ROUNDING, ROUNDING) for b in (-ROUNDING, ROUNDING)]
    slack = 3 * ROUNDING
    return not (mw - max(corners) - slack <= lo <= mw - min(corners) + slack
                and mw + min(corners) - slack <= hi <= mw + max(corners) + slack)


def rounding_tolerances(n):
    """How far the mean, SD, `se_sampling` and `se_total` of n changes
    recomputed from `trends.csv`'s deltas (each written to 4 decimals, off
    by up to ROUNDING) may lie from the summary's, itself written to 4
    decimals: a mean by 2 ROUNDING, an SD by ROUNDING (1 + sqrt(n/(n-1)))
    (1.21e-4 at n = 2, where 1e-4 failed a summary of two changes, 2.69549
    against 2.6956), the SE by ROUNDING (1 + 1/sqrt(n-1))."""
    eps = 1e-9
    if n < 2:
        return [2 * ROUNDING + eps] + [1e-4] * 3
    sd = ROUNDING * (1 + math.sqrt(n / (n - 1))) + eps
    se = ROUNDING * (1 + 1 / math.sqrt(n - 1)) + eps
    return [2 * ROUNDING + eps, sd, se, max(se, 1e-4)]


variances = jackknife.attach(out, link_variances(out))
spans = pairs_spans(out, run)
diffs, summary, floor = [], rows(out, "trend_summary"), 0
for s in summary:
    keys = groups.pop((s["country"], s["scale"], s["item"], s["step_kind"], s["step"]), [])
    d = [float(trends[k]["delta"]) for k in keys]
    n = len(d)
    if n == 0:
        diffs.append(("no changes", s))
        continue
    m, sd = mean_sd(d)
    se_s = None if sd is None else sd / math.sqrt(n)
    se_l = num(s["se_link"])
    want_link = None
    if s["scale"] == "cross-scale":
        terms = [t for k in keys for t in ends.get(k, [])]
        want_link = link_error(terms, n, variances, spans)
        if want_link == "unfit":
            diffs.append(("a link's SEs are not its quadratic", s["item"], s["step"]))
            continue
        if want_link == "skip" and se_l is None:
            diffs.append(("no linking error where the tail rules give one", s["item"], s["step"]))
            continue
        if want_link == "skip":
            floor += 1
            want_link = se_l
    total = se_s if s["scale"] != "cross-scale" else (
        None if se_l is None or se_s is None else math.hypot(se_s, se_l))
    want = [n, m, sd, se_s, total, want_link]
    got = [int(s["n"]), num(s["mean_delta"]), num(s["sd"]), num(s["se_sampling"]), num(s["se_total"]), se_l]
    tols = [0, *rounding_tolerances(n), LINK_ERROR_TOLERANCE]
    if interval_off(s, m, n, sd, keys) or any(differs(w, g, t) for w, g, t in zip(want, got, tols)):
        diffs.append((s["country"], s["scale"], s["item"], s["step_kind"], s["step"], want, got, s["ci_low"], s["ci_high"]))
diffs += [("no summary row", k) for k in groups]
report("trend summary", len(summary), diffs,
       f"; {floor} linking errors not recomputed (a link of another method, one that dropped resamples, or a linear one of few municipalities whose SEs are not a quadratic)")

# --- year totals ---------------------------------------------------------
totals = defaultdict(list)
for (muni, year, scale, item), v in scores.items():
    if item == "total":
        totals[(muni[0], scale, year)].append(v)
diffs, yt = [], rows(out, "year_totals")
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

print("linkcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
