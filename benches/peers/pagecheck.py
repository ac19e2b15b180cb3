"""An independent check of the municipality pages of the report
(`make crosscheck`; `python3 pagecheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect and the Swedish
report), read against `benchmarks.csv`, `averages.csv`, `trends.csv` and
`linked_scores.csv` as the README says the pages show them ("Charts and
the report"). Exits 1 on any difference.

- "Jämförelse med andra kommuner": a table per scale with benchmark rows,
  of the municipality's latest year on it; a row per area and the total,
  `–` where `benchmarks.csv` has no row. The score as the data gives it
  (a linked score to one decimal, marked `*`, with +- t(0.975, p - 1) x
  `score_se`, p its link's municipalities), marked `Σ` where
  `evaluations.csv` says it (or the score it was linked from) is
  `derived`; the national and the 2017
  group's mean to one decimal (more beside a finer score) with their n
  (on the linked scale +- half the mean's 95 % interval, `averages.csv`);
  each difference that of the figures as shown; rank / n and the
  percentile to a whole number, in the country and the group.
- "Förändring mellan omgångar": a table per round step and scale with
  changes of areas or the total, a row per area and the total (`–` for
  one without a change); each row the `trends.csv` row (its ends, `Σ` as
  above
  as shown, the change the difference of the ends as shown) and, for a
  `cross-scale` change with `delta_se`, delta +- t(0.975, p - 1) x
  `delta_se`, p the fewest municipalities of the links at its ends.

A figure the page rounds is compared with the CSV's four decimals to
half a unit of the shown decimals (the page rounds the exact value, which
the CSV holds to 4 decimals). Needs scipy (t quantiles).
"""
import glob
import html
import os
import re
import sys
import tomllib
from collections import defaultdict

from common import need
from output import config, num, rows, scale_points

t_dist = need("scipy.stats", "scipy").t
out = sys.argv[1]
options = config(out)
if options["report"] != "all" or options.get("lang", "sv") != "sv":
    sys.exit(f"pagecheck: {out} has no Swedish municipality pages (a run with --report all, --lang sv)")
TARGET = options["link_to"]
folder = options.get("instruments") or os.path.join(os.path.dirname(__file__), "..", "..", "data", "instrument")
scale_of = {}
for name in sorted(os.listdir(folder)):
    if name.endswith(".toml"):
        with open(os.path.join(folder, name), "rb") as f:
            inst = tomllib.load(f)
        scale_of[inst["name_sv"]] = inst["id"]
pairs = {(r["from_scale"], r["item"]): int(r["n_municipalities"]) for r in rows(out, "linking")}
linked_points = scale_points(out, TARGET)["linked"]
origin = {((r["country"], r["municipality_code"]), r["eval_year"], r["scale"], r["item"]): r["origin"]
          for r in rows(out, "evaluations")}
bench = {((r["country"], r["municipality_code"]), r["scale"], r["item"]): r for r in rows(out, "benchmarks")}
avg = {(r["scale"], r["grouping"], r["group"], r["item"]): r
       for r in rows(out, "averages") if r["basis"] == "latest"}
trends = defaultdict(list)
for r in rows(out, "trends"):
    if "." not in r["item"]:
        trends[((r["country"], r["municipality_code"]), r["from_year"], r["to_year"], r["scale"])].append(r)
diffs = []


def t975(df):
    return float(t_dist.ppf(0.975, df))


def parse(cell):
    """A shown number and its decimals, from text like `−5,9`."""
    text = cell.replace("\u2212", "-").replace(",", ".").replace("*", "").strip()
    return float(text), len(text.split(".")[1]) if "." in text else 0


def close(shown, decimals, value, extra=0.0):
    return value is not None and abs(shown - value) <= 0.5 * 10 ** -decimals + 1e-4 + extra


def cells(table):
    found = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        tds = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        found.append([html.unescape(re.sub(r"<[^>]+>", "", td)).replace("\xa0", " ").strip() for td in tds])
    return found


def item_of(label):
    return "total" if label == "Totalt" else label.split(" ")[0]


def scale_id(name):
    return "linked" if name.startswith("Poäng länkade") else scale_of.get(name)


def with_n(text):
    """`61,3 ± 5,2 (n=21)` -> (mean, decimals, half or None, n)."""
    m = re.fullmatch(r"(\S+)(?: ± (\S+))?(?: \(n=(\d+)\))?", text)
    half = parse(m.group(2)) if m.group(2) else None
    return (*parse(m.group(1)), half, int(m.group(3)) if m.group(3) else None)


def half_ci(r):
    lo, hi = num(r["ci_low"]), num(r["ci_high"])
    return None if lo is None else (hi - lo) / 2


def derived(muni, year, scale, item):
    """Whether a score is one kompass derived from its parts (README: the
    pages mark it `Σ`); on the linked scale, the score it was linked from."""
    if scale in ("linked", "cross-scale"):
        value = linked_points.get((muni, int(year), item))
        c = value[1] if value else None
        if c is not None:
            return origin.get((muni, year, c["from_scale"], c["item"])) == "derived"
        scale = TARGET
    return origin.get((muni, year, scale, item)) == "derived"


def marked(text):
    """A shown score without its `Σ`, and whether it had one."""
    return (text[:-2], True) if text.endswith(" Σ") else (text, False)


def link_t(muni, year, item):
    value = linked_points.get((muni, int(year), item))
    c = value[1] if value else None
    return None if c is None else t975(pairs[(c["from_scale"], c["item"])] - 1)


def check_mean(where, text, row_mean, row_n, average, score_decimals):
    mean, dec, half, n = with_n(text)
    if dec > max(1, score_decimals) or not close(mean, dec, num(row_mean)) or n != int(row_n):
        diffs.append((where, "mean", text, row_mean, row_n))
    want = half_ci(average) if average else None
    if (half is None) != (want is None) or (half and not close(half[0], half[1], want)):
        diffs.append((where, "mean's ±", text, want))
    return mean, dec


def check_difference(where, text, a, b):
    """The difference of two shown figures, (value, decimals) each."""
    d = max(a[1], b[1])
    want = round(a[0] - b[0], d)
    got, _ = parse(text) if text not in ("0", "") else (0.0, 0)
    if abs(got - want) > 1e-9:
        diffs.append((where, "difference", text, want))


def check_comparison(muni, scale, year, table):
    for label, score, mean, diff, gmean, gdiff, rank, pct, grank, gpct in cells(table):
        item, where = item_of(label), (muni, scale, year, label)
        r = bench.get((muni, scale, item))
        if r is None or r["eval_year"] != year:
            if score != "–":
                diffs.append((where, "a score without a benchmark row", score))
            continue
        score, sigma = marked(score)
        if sigma != derived(muni, year, scale, item):
            diffs.append((where, "Σ", sigma))
        m = re.fullmatch(r"(\S+?)(?: ± (\S+?))?(\*?)", score)
        shown = parse(m.group(1))
        linked = m.group(3) == "*"
        if not close(shown[0], shown[1], float(r["score"])) or (not linked and shown[0] != float(r["score"])):
            diffs.append((where, "score", score, r["score"]))
        t = link_t(muni, year, item) if linked else None
        want_half = None if t is None or r["score_se"] == "" else t * float(r["score_se"])
        half = parse(m.group(2)) if m.group(2) else None
        if (half is None) != (want_half is None) or (half and not close(half[0], half[1], want_half)):
            diffs.append((where, "score's ±", score, want_half))
        nat = check_mean(where, mean, r["national_mean"], r["n"],
                         avg.get((scale, "national", muni[0], item)) if scale == "linked" else None, shown[1])
        check_difference(where, diff, shown, nat)
        if r["kommungrupp2017"]:
            grp = check_mean(where, gmean, r["group_mean"], r["group_n"],
                             avg.get((scale, "kommungrupp2017", r["kommungrupp2017"], item))
                             if scale == "linked" else None, shown[1])
            check_difference(where, gdiff, shown, grp)
        elif gmean or gdiff or grank or gpct:
            diffs.append((where, "a group figure without a group", gmean, grank))
        for text, r_rank, r_n, r_pct in ((rank, r["rank"], r["n"], r["percentile"]),
                                         (grank, r["group_rank"], r["group_n"], r["group_percentile"])):
            if text.replace(" ", "") != (f"{r_rank}/{r_n}" if r_rank else ""):
                diffs.append((where, "rank", text, r_rank, r_n))
        for text, want in ((pct, num(r["percentile"])), (gpct, num(r["group_percentile"]))):
            if (text == "") != (want is None) or (text and not close(float(text), 0, want)):
                diffs.append((where, "percentile", text, want))


def check_change(muni, y0, y1, scale, table, seen):
    want = {r["item"]: r for r in trends.get((muni, y0, y1, scale), [])}
    seen.add((muni, y0, y1, scale))
    # Every area and the total, `–` (and no ends) for one without a change.
    got = cells(table)
    changed = [c for c in got if c[3] != "–"]
    if {item_of(c[0]) for c in changed} != set(want) or any(c[1] or c[2] for c in got if c[3] == "–"):
        diffs.append(((muni, y0, y1, scale), "rows", sorted(item_of(c[0]) for c in changed), sorted(want)))
    for label, a, b, change, interval in changed:
        r, where = want.get(item_of(label)), (muni, y0, y1, scale, label)
        if r is None:
            continue
        (a, sa), (b, sb) = marked(a), marked(b)
        if (sa, sb) != (derived(muni, y0, scale, r["item"]), derived(muni, y1, scale, r["item"])):
            diffs.append((where, "Σ", sa, sb))
        ends = [parse(a), parse(b)]
        for (v, dec), col, text in ((ends[0], "from_score", a), (ends[1], "to_score", b)):
            if not close(v, dec, float(r[col])) or ("*" not in text and v != float(r[col])):
                diffs.append((where, col, text, r[col]))
        check_difference(where, change, ends[1], ends[0])
        se = num(r["delta_se"])
        if scale != "cross-scale" or se is None:
            # A change through a link without an SE: its error unknown.
            if interval != ("okänt" if scale == "cross-scale" else ""):
                diffs.append((where, "an interval without a linking error", interval))
            continue
        ts = [t for t in (link_t(muni, y0, r["item"]), link_t(muni, y1, r["item"])) if t]
        lo, hi = (parse(x) for x in interval.split(" – "))
        half = max(ts) * se
        if not (close(lo[0], lo[1], float(r["delta"]) - half) and close(hi[0], hi[1], float(r["delta"]) + half)):
            diffs.append((where, "interval", interval, float(r["delta"]), half))


def section(page, anchor):
    """The part of a page under its heading `id=anchor`, to the next
    heading of that level (empty where the page has no such heading)."""
    start = page.find(f'<h2 id="{anchor}"')
    if start < 0:
        return ""
    end = page.find("<h2", start + 1)
    return page[start:end if end > 0 else len(page)]


scales_of = defaultdict(set)
for (m, scale, _) in bench:
    scales_of[m].add(scale)
pages, seen, pages_of = 0, set(), set()
for path in sorted(glob.glob(f"{out}/report/*_*.html")):
    name = os.path.basename(path)[:-5]
    if name.startswith("group_"):
        continue
    country, code = name.split("_", 1)
    muni = (country, code)
    pages += 1
    pages_of.add(muni)
    with open(path, encoding="utf-8") as f:
        page = f.read()
    part = section(page, "jamforelse")
    shown = set()
    for head, year, table in re.findall(r"<h3>(.*?) — (\d{4})</h3>\s*<table>(.*?)</table>", part, re.S):
        scale = scale_id(html.unescape(head))
        shown.add(scale)
        check_comparison(muni, scale, year, table)
    expected = scales_of[muni]
    if shown != expected:
        diffs.append((muni, "comparison tables", sorted(shown), sorted(expected)))
    part = section(page, "forandring")
    for y0, y1, head, table in re.findall(r"<h3>(\d{4}) → (\d{4}) — (.*?)</h3>\s*<table>(.*?)</table>", part, re.S):
        scale = scale_id(html.unescape(head))
        check_change(muni, y0, y1, "cross-scale" if scale == "linked" else scale, table, seen)
diffs += [("no page", m) for m in sorted(set(scales_of) - pages_of)]
missing = [k for k in trends if k not in seen]
diffs += [("a change not on its page", k) for k in missing]
print(f"pages: {pages} municipality pages checked, {len(diffs)} differences")
for d in diffs[:40]:
    print("   ", d)
print("pagecheck:", "agree" if not diffs else f"{len(diffs)} disagreement(s)")
sys.exit(1 if diffs else 0)
