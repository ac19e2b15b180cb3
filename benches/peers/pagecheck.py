"""An independent check of the municipality pages of the report
(`make crosscheck`; `python3 pagecheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect and the Swedish
report, `--report all`), read against `evaluations.csv`,
`benchmarks.csv`, `averages.csv`, `trends.csv` and `linked_scores.csv` as
the README says the pages show them ("Charts and the report", "Numbers on
the pages"). Exits 1 on any difference.

- "Jämförelse med andra kommuner": one table per scale with benchmark
  rows, of the municipality's latest year on it; a row per area of the
  scale and the total (the total's row only where no area is scored),
  `–` where `benchmarks.csv` has no row. The score as the data gives it in
  `evaluations.csv`, to four decimals at most; a linked one to one decimal, marked `*`, with +-
  t(0.975, nu) x `score_se` (nu its link's degrees of freedom at the score,
  `intervals.link_df`) where it has an SE; `Σ` exactly where `evaluations.csv` says the score (or the one it
  was linked from) is `derived`. The national and the 2017 group's mean
  to one decimal (more beside a finer score) with their n, on the linked
  scale +- half the mean's 95 % interval (`averages.csv`); each
  difference that of the figures as shown; rank / n and the percentile
  to a whole number, in the country and the group; a municipality without
  a 2017 group has no group columns (six cells a row, not ten).
- "Förändring mellan omgångar": a table per round step and scale with a
  change of an area or the total, and no other; once an area has one, a
  row per area and the total, else the total's alone. A row with a
  change is the `trends.csv` row: its ends (`*` and `Σ` as above, a linked
  end's hover `länkat från <score> (<scale>: <item>)`), the change as the
  difference of the ends as shown, and for a `cross-scale` change delta +-
  t x `delta_se` (t the larger of its ends' links' t(0.975, nu) at their
  scores), "okänt" without `delta_se`, in a column that only the tables
  across the change of scale have. A row without one has `–`,
  and an end it shows is that round's score.
- Numbers as the pages write them: a decimal comma, a minus sign (U+2212),
  a difference signed (`+1,5`, `−2`, `0`), no trailing zero but in a ±
  (one decimal, `3,0`).

A figure the page rounds is compared with the CSV's four decimals to
half a unit of its rule's decimals (a mean to one decimal, so `72` is
72.0; the page rounds the exact value, which the CSV holds to 4
decimals). Needs scipy (t quantiles).
"""
import glob
import html
import os
import re
import sys
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from intervals import link_df, t975
from output import config, instruments, num, rows, scale_points
from pages import cells, close, item_of, parse, readable, section

out = sys.argv[1]
options = config(out)
if options["report"] != "all" or options.get("lang", "sv") != "sv":
    sys.exit(f"pagecheck: {out} has no Swedish municipality pages (a run with --report all, --lang sv)")
TARGET = options["link_to"]
insts = instruments(options)
scale_of = {i["name_sv"]: key for key, i in insts.items()}
areas = {key: [a["id"] for a in i.get("area", [])] for key, i in insts.items()}
areas["linked"] = areas["cross-scale"] = areas[TARGET]
link_rows = {(r["from_scale"], r["item"]): r for r in rows(out, "linking")}
evaluation_rows = rows(out, "evaluations")
linked_points = scale_points(out, TARGET, evaluation_rows)["linked"]
evaluations = {((r["country"], r["municipality_code"]), r["eval_year"], r["scale"], r["item"]): r
               for r in evaluation_rows}
bench = {((r["country"], r["municipality_code"]), r["scale"], r["item"]): r for r in rows(out, "benchmarks")}
bench_items = defaultdict(list)
group_of = {m: r["kommungrupp2017"] for (m, _, _), r in bench.items()}
for (m, scale, item) in bench:
    bench_items[(m, scale)].append(item)
avg = {(r["scale"], r["grouping"], r["group"], r["item"]): r
       for r in rows(out, "averages") if r["basis"] == "latest"}
trends = defaultdict(list)
for r in rows(out, "trends"):
    if "." not in r["item"]:
        trends[((r["country"], r["municipality_code"]), r["from_year"], r["to_year"], r["scale"])].append(r)
diffs = []


def scale_id(name):
    return "linked" if name.startswith("Poäng länkade") else scale_of.get(name)


def rows_wanted(scale, items):
    """Every area of the scale and the total once an area is there, else
    the total alone."""
    return areas[scale] + ["total"] if set(items) & set(areas[scale]) else ["total"]


def point(muni, year, scale, item):
    """A round's score on a scale as the pages take it: (value, the
    linked_scores row or None, the evaluation row it is or came from)."""
    if scale in ("linked", "cross-scale"):
        value = linked_points.get((muni, int(year), item))
        if value is None:
            return None
        c = value[1]
        source = evaluations.get((muni, year, c["from_scale"], c["item"]) if c else (muni, year, TARGET, item))
        return value[0], c, source
    e = evaluations.get((muni, year, scale, item))
    return None if e is None else (float(e["score"]), None, e)


def link_t(c):
    """The multiplier of a linked score's SE: t at its link's degrees of
    freedom there (`intervals.link_df`)."""
    return t975(link_df(link_rows[(c["from_scale"], c["item"])], [(float(c["score"]), 1.0)]))


def check_score(where, text, raw, p, hover=False):
    """A shown score: `*` for a linked one (to one decimal, with its ± where
    it has an SE), `Σ` for a derived one, else the data's figure."""
    value, c, source = p
    m = re.fullmatch(r"(\S+?)(?: ± (\S+?))?(\*?)((?: Σ)?)", text)
    shown = parse(m.group(1))
    if (m.group(4) != "") != (source["origin"] == "derived"):
        diffs.append((where, "Σ", text, source["origin"]))
    if (m.group(3) == "*") != (c is not None):
        diffs.append((where, "* (linked)", text, c is not None))
    if c is None:
        # As the data gives it, to four decimals at most (half away from 0).
        want = float(Decimal(source["score"]).quantize(Decimal("0.0001"), ROUND_HALF_UP))
        if shown[0] != want or m.group(2):
            diffs.append((where, "score", text, source["score"]))
        return shown
    if shown[1] > 1 or not close(shown[0], 1, value):
        diffs.append((where, "linked score", text, value))
    # The comparison gives a linked score's ± (t(0.975, p - 1) x its SE,
    # none without one); the change tables give the change's interval.
    want = None if hover or c["linked_se"] == "" else link_t(c) * float(c["linked_se"])
    half = parse(m.group(2), spread=True) if m.group(2) else None
    if (half is None) != (want is None) or (half and (half[1] > 1 or not close(half[0], 1, want))):
        diffs.append((where, "linked score's ±", text, want))
    if hover:
        inst = insts[c["from_scale"]]
        label = "Totalt" if c["item"] == "total" else next(
            f"{a['id']} {a['name_sv']}" for a in inst["area"] if a["id"] == c["item"])
        want = f'title="länkat från {source["score"].replace(".", ",")} ({inst["short_sv"]}: {label})"'
        if html.escape(want, quote=False) not in raw and want not in raw:
            diffs.append((where, "hover", raw[:120], want))
    return shown


def check_mean(where, text, row_mean, row_n, average, score_decimals):
    m = re.fullmatch(r"(\S+)(?: ± (\S+))?(?: \(n=(\d+)\))?", text)
    mean = parse(m.group(1))
    half = parse(m.group(2), spread=True) if m.group(2) else None
    rule = max(1, score_decimals)
    if mean[1] > rule or not close(mean[0], rule, num(row_mean)) or m.group(3) != row_n:
        diffs.append((where, "mean", text, row_mean, row_n))
    want = None
    if average and average["ci_low"]:
        want = (float(average["ci_high"]) - float(average["ci_low"])) / 2
    if (half is None) != (want is None) or (half and (half[1] > 1 or not close(half[0], 1, want))):
        diffs.append((where, "mean's ±", text, want))
    return mean


def check_difference(where, text, a, b):
    """The difference of two shown figures, (value, decimals) each."""
    want = round(a[0] - b[0], max(a[1], b[1]))
    if abs(parse(text, signed=True)[0] - want) > 1e-9:
        diffs.append((where, "difference", text, want))


def check_comparison(muni, scale, year, table):
    got = cells(table)
    items = [item_of(c[0][0]) for c in got]
    if items != rows_wanted(scale, bench_items[(muni, scale)]):
        diffs.append(((muni, scale, year), "comparison rows", items))
    for row in got:
        item, where = item_of(row[0][0]), (muni, scale, year, row[0][0])
        r = bench.get((muni, scale, item))
        # A municipality without a 2017 group has no group columns.
        if len(row) == 10:
            (label, _), (score, raw), (mean, _), (diff, _), (gmean, _), (gdiff, _), *rest = row
            rank, pct, grank, gpct = (c[0] for c in rest)
            if r is not None and not r["kommungrupp2017"]:
                diffs.append((where, "group columns without a group"))
        elif len(row) == 6:
            (label, _), (score, raw), (mean, _), (diff, _), (rank, _), (pct, _) = row
            gmean = gdiff = grank = gpct = ""
            if r is not None and r["kommungrupp2017"]:
                diffs.append((where, "no group columns for a municipality with a group"))
        else:
            diffs.append((where, "columns", len(row)))
            continue
        if r is None:
            # A row without a score: `–` but for the means of the others
            # (averages.csv, basis latest, as the benchmarks' means), the
            # group's where the municipality has one.
            group = group_of.get(muni, "")
            means = [(2, "national", muni[0])] + ([(4, "kommungrupp2017", group)] if len(row) == 10 else [])
            for at, grouping, key in means:
                text, a = row[at][0], avg.get((scale, grouping, key, item))
                if a is None and text:
                    diffs.append((where, "a mean without an average", text))
                elif a is not None and not text:
                    diffs.append((where, "an average not shown", grouping))
                elif a is not None:
                    check_mean(where, text, a["mean"], a["n"], a if scale == "linked" else None, 1)
            rest = [c[0] for k, c in enumerate(row) if k > 0 and k not in (at for at, _, _ in means)]
            if rest != ["–"] * len(rest):
                diffs.append((where, "a row without a benchmark", [c[0] for c in row]))
            continue
        shown = check_score(where, score, raw, point(muni, year, scale, item))
        if r["eval_year"] != year:
            diffs.append((where, "year", year, r["eval_year"]))
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
        for text, r_rank, r_n in ((rank, r["rank"], r["n"]), (grank, r["group_rank"], r["group_n"])):
            if text.replace(" ", "") != (f"{r_rank}/{r_n}" if r_rank else ""):
                diffs.append((where, "rank", text, r_rank, r_n))
        for text, want in ((pct, num(r["percentile"])), (gpct, num(r["group_percentile"]))):
            if (text == "") != (want is None) or (text and (parse(text)[1] or not close(parse(text)[0], 0, want))):
                diffs.append((where, "percentile", text, want))


def check_change(muni, y0, y1, scale, table):
    want = {r["item"]: r for r in trends.get((muni, y0, y1, scale), [])}
    got = cells(table)
    items = [item_of(c[0][0]) for c in got]
    # A row without a change: `–`, or, where both ends are there (the
    # change on a scale both rounds share), where its change is.
    none = ("–", "på sin skala ovan", "on its own scale above")
    if items != rows_wanted(scale, want) or {i for i, c in zip(items, got) if c[3][0] not in none} != set(want):
        diffs.append(((muni, y0, y1, scale), "change rows", items, sorted(want)))
    # The interval's column only across the change of scale.
    width = 5 if scale == "cross-scale" else 4
    if any(len(c) != width for c in got):
        diffs.append(((muni, y0, y1, scale), "change table cells", [len(c) for c in got], width))
        return
    got = [c if width == 5 else c + [("", "")] for c in got]
    for (label, _), (a, raw_a), (b, raw_b), (change, _), (interval, _) in got:
        r, where = want.get(item_of(label)), (muni, y0, y1, scale, label)
        ends = []
        for y, text, raw in ((y0, a, raw_a), (y1, b, raw_b)):
            p = point(muni, y, scale, item_of(label))
            # A row without a change shows the end it has and `–` for the
            # other (both were blank).
            if p is None and r is None:
                if text != "–":
                    diffs.append((where, "an end without a score not marked –", text))
                continue
            if p is None:
                diffs.append((where, "an end without a score", text))
                continue
            ends.append(check_score(where, text, raw, p, hover=True))
        if r is None:
            continue
        for (v, _), col in zip(ends, ("from_score", "to_score")):
            if not close(v, 1, float(r[col])):
                diffs.append((where, col, v, r[col]))
        check_difference(where, change, ends[1], ends[0])
        se = num(r["delta_se"])
        if scale != "cross-scale" or se is None:
            # A change through a link without an SE: its error unknown.
            if interval != ("okänt" if scale == "cross-scale" else ""):
                diffs.append((where, "an interval without a linking error", interval))
            continue
        links = [p[1] for p in (point(muni, y0, scale, r["item"]), point(muni, y1, scale, r["item"])) if p[1]]
        lo, hi = (parse(x) for x in interval.split(" – "))
        # The larger of its ends' t at their scores.
        half = max(link_t(c) for c in links) * se
        if lo[1] > 1 or hi[1] > 1 or not (close(lo[0], 1, float(r["delta"]) - half)
                                          and close(hi[0], 1, float(r["delta"]) + half)):
            diffs.append((where, "interval", interval, float(r["delta"]), half))


scales_of = defaultdict(set)
for (m, scale, _) in bench:
    scales_of[m].add(scale)
pages, seen = set(), set()
for path in sorted(glob.glob(f"{out}/report/*_*.html")):
    name = os.path.basename(path)[:-5]
    if name.startswith("group_"):
        continue
    muni = tuple(name.split("_", 1))
    pages.add(muni)
    with open(path, encoding="utf-8") as f:
        page = f.read()
    shown = []
    for head, year, table in re.findall(r'<h3(?: id="t\d+")?>(.*?) — (\d{4})</h3>\s*<table(?: aria-labelledby="[^"]*" tabindex="0")?>(.*?)</table>',
                                        section(page, "jamforelse"), re.S):
        shown.append(scale_id(html.unescape(head)))
        readable(diffs, (muni, shown[-1], year), check_comparison, muni, shown[-1], year, table)
    if sorted(shown) != sorted(scales_of.get(muni, ())):
        diffs.append((muni, "comparison tables", shown, sorted(scales_of.get(muni, ()))))
    for y0, y1, head, table in re.findall(r'<h3(?: id="t\d+")?>(\d{4}) → (\d{4}) — (.*?)</h3>\s*<table(?: aria-labelledby="[^"]*" tabindex="0")?>(.*?)</table>',
                                          section(page, "forandring"), re.S):
        scale = scale_id(html.unescape(head))
        key = (muni, y0, y1, "cross-scale" if scale == "linked" else scale)
        if key in seen:
            diffs.append((key, "a change table twice"))
        seen.add(key)
        readable(diffs, key, check_change, *key, table)
diffs += [("no page", m) for m in sorted(set(scales_of) - pages)]
diffs += [("a change not on its page", k) for k in trends if k not in seen]
print(f"pages: {len(pages)} municipality pages checked, {len(diffs)} differences")
for d in diffs[:40]:
    print("   ", d)
print("pagecheck:", "agree" if not diffs else f"{len(diffs)} disagreement(s)")
sys.exit(1 if diffs else 0)
