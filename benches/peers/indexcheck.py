"""An independent check of the report's national profiles and group pages
(`make crosscheck`; `python3 indexcheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect and the Swedish
report), read against `averages.csv` (the run's basis) as the README says
the pages show it ("Charts and the report"). Exits 1 on any difference.

- `index.html`, "Nationella profiler": a table per scale with averages,
  in the order the scales came into use, the linked one last; a row per
  area of the scale and the total; per country (in code order) its mean
  +- half the mean's 95 % interval (no column with `--basis all`, where
  no mean has one), SD to one decimal and n, empty where the country has
  none.
- `index.html`, "Kommungrupper": a column group per scale with group
  averages (in the same order), a row per 2017 group with averages in
  natural order (`C9` before `C10`), linked to its page; each scale's
  total mean, +- half its interval, SD and n, empty where the group has
  none on the scale.
- `group_<code>.html`, one per group with averages: a table per scale the
  group has averages on, in the same order; a row
  per area and the total with the group's mean, +- half its interval, SD,
  n, Sweden's mean and n, the difference of the two means as shown and
  (but with `--basis all`) +- half the difference's interval in
  `group_differences.csv`.
Rounded figures to half a unit of their rule's decimals (a mean to one:
`56` is 56.0); numbers as the pages write them. The notes under the
tables are not checked.
"""
import glob
import html
import os
import re
import sys
from collections import defaultdict

from output import config, instruments, rows
from pages import cells, close, headers, item_of, parse, readable, section, text

out = sys.argv[1]
options = config(out)
if options["report"] == "none" or options.get("lang", "sv") != "sv":
    sys.exit(f"indexcheck: {out} has no Swedish report (a run with --report all or summary, --lang sv)")
TARGET, BASIS = options["link_to"], options["basis"]
insts = instruments(options)
scale_of = {i["name_sv"]: key for key, i in insts.items()}
short_of = {i["short_sv"]: key for key, i in insts.items()}
avg = {(r["scale"], r["grouping"], r["group"], r["item"]): r for r in rows(out, "averages") if r["basis"] == BASIS}
gd = {(r["scale"], r["grouping"], r["group"], r["item"]): r
      for r in rows(out, "group_differences") if r["basis"] == BASIS}
groups_of = defaultdict(set)  # (scale, grouping) -> groups
for (scale, grouping, group, _) in avg:
    groups_of[(scale, grouping)].add(group)
diffs = []


def scale_id(name):
    if name.startswith("Poäng länkade") or name.startswith("länkat till"):
        return "linked"
    return scale_of.get(name) or short_of.get(name)


def items_of(scale):
    return [a["id"] for a in insts[TARGET if scale == "linked" else scale].get("area", [])] + ["total"]


def figure(where, shown, value, decimals, spread=False):
    """A figure shown to `decimals` at most (its rule's: a mean shown `56`
    is 56.0; a `spread`, an SD or a ±, to one, kept: `3,0`), empty where
    the CSV's is."""
    if shown == "" or value == "":
        if shown != value:
            diffs.append((where, "shown", shown, value))
        return None
    v = parse(shown, spread=spread)
    if v[1] > decimals or not close(v[0], decimals, float(value)):
        diffs.append((where, "figure", shown, value))
    return v


def half(r):
    return "" if not r or r["ci_low"] == "" else str((float(r["ci_high"]) - float(r["ci_low"])) / 2)


WITH_HALF = ("mean", "half", "sd", "n")


def check_row(where, shown, r, columns):
    """Shown figures, `columns` of mean, half (the ± of the mean), sd and
    n, against an averages.csv row (or none: all empty)."""
    if len(shown) != len(columns):
        diffs.append((where, "cells", shown, columns))
        return [None] * len(columns)
    r = r or {"mean": "", "sd": "", "n": "", "ci_low": "", "ci_high": ""}
    want = {"mean": (r["mean"], 1), "half": (half(r), 1), "sd": (r["sd"], 1), "n": (r["n"], 0)}
    return [figure(where, s, *want[c], spread=c in ("half", "sd")) for s, c in zip(shown, columns)]


def ordered(scales):
    """Scales as the report orders them: by the year each came into use,
    the linked scale last."""
    return sorted(scales, key=lambda s: (s == "linked", insts[s]["in_use_from"] if s in insts else 0, s))


def natural(label):
    """A group label's order: numbers by their value (`C9` before `C10`)."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", label)]


def columns(scale):
    """The figures of a mean's cells: with its +- but with every
    evaluation as the basis, where no mean has an interval."""
    return WITH_HALF if BASIS != "all" else ("mean", "sd", "n")


def profile(scale, table):
    countries = [h.split(" ")[0] for h in headers(table)[0][1:] if h.endswith("medel")]
    if countries != sorted(groups_of[(scale, "national")]):
        diffs.append((scale, "profile countries", countries))
    got = cells(table)
    if [item_of(c[0][0]) for c in got] != items_of(scale):
        diffs.append((scale, "profile rows", [c[0][0] for c in got]))
    width = len(columns(scale))
    for row in got:
        item = item_of(row[0][0])
        if len(row) != 1 + width * len(countries):
            diffs.append((scale, item, "profile cells", len(row)))
            continue
        for k, country in enumerate(countries):
            shown = [c[0] for c in row[1 + k * width:1 + (k + 1) * width]]
            check_row((scale, country, item), shown, avg.get((scale, "national", country, item)), columns(scale))


def profiles(page):
    tables = re.findall(r'<h3(?: id="t\d+")?>(.*?)</h3>\s*(?:<p[^>]*>.*?</p>\s*)*<table(?: aria-labelledby="[^"]*" tabindex="0")?>(.*?)</table>', section(page, "profil"), re.S)
    scales = [scale_id(html.unescape(h)) for h, _ in tables]
    if scales != ordered({s for (s, g) in groups_of if g == "national"}):
        diffs.append(("index", "profile tables", scales))
    for scale, (_, table) in zip(scales, tables):
        readable(diffs, (scale, "profile"), profile, scale, table)


def group_row(row, scales):
    group, k = row[0][0], 1
    link = re.search(r'href="([^"]+)"', row[0][1])
    target = link and f"{out}/report/{link.group(1)}"
    # The group's name is marked Swedish (`<span lang="sv">`) in its heading.
    heading = f'<h1><span lang="sv">{html.escape(group, quote=False)}</span></h1>'
    if not target or not os.path.exists(target) or heading not in open(target, encoding="utf-8").read():
        diffs.append((group, "link to its page", link and link.group(1)))
    if len(row) != 1 + sum(len(columns(s)) for s in scales):
        diffs.append((group, "group table cells", len(row)))
        return
    for scale in scales:
        width = len(columns(scale))
        check_row((group, scale), [c[0] for c in row[k:k + width]],
                  avg.get((scale, "kommungrupp2017", group, "total")), columns(scale))
        k += width


def group_table(page):
    want_scales = ordered({s for (s, g) in groups_of if g == "kommungrupp2017"})
    m = re.search(r'<table(?: aria-labelledby="[^"]*" tabindex="0")?>(.*?)</table>', section(page, "grupper"), re.S)
    if not m:
        if want_scales:
            diffs.append(("index", "no group table"))
        return
    scales = [scale_id(h) for h in headers(m.group(1))[0][1:]]
    if scales != want_scales:
        diffs.append(("index", "group table scales", scales, want_scales))
    rows_ = cells(m.group(1))
    seen = [row[0][0] for row in rows_]
    want = sorted(set().union(*(groups_of[(s, "kommungrupp2017")] for s in want_scales)), key=natural)
    if seen != want:
        diffs.append(("index", "groups", seen, want))
    for row in rows_:
        readable(diffs, (row[0][0], "group table"), group_row, row, scales)


def group_page(path):
    with open(path, encoding="utf-8") as f:
        page = f.read()
    group = text(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))
    tables = re.findall(r'<h2(?: id="t\d+")?>(.*?)</h2>\s*(?:<p[^>]*>.*?</p>\s*)*<table(?: aria-labelledby="[^"]*" tabindex="0")?>(.*?)</table>', page, re.S)
    scales = [scale_id(html.unescape(h)) for h, _ in tables]
    want = ordered({s for (s, g) in groups_of if g == "kommungrupp2017" and group in groups_of[(s, g)]})
    if scales != want:
        diffs.append((group, "group page tables", scales, want))
    for (_, table), scale in zip(tables, scales):
        got = cells(table)
        if [item_of(c[0][0]) for c in got] != items_of(scale):
            diffs.append((group, scale, "group page rows", [c[0][0] for c in got]))
        for row in got:
            readable(diffs, (group, scale, row[0][0]), group_page_row, group, scale, [c[0] for c in row])
    return group


def group_page_row(group, scale, cs):
    item = item_of(cs[0])
    where = (group, scale, item)
    k = len(columns(scale))
    with_half = BASIS != "all"
    if len(cs) != k + 4 + with_half:
        diffs.append((where, "cells", cs))
        return
    if with_half:
        figure(where + ("difference's +-",), cs[k + 4], half(gd.get((scale, "kommungrupp2017", group, item))), 1,
               spread=True)
    ours = check_row(where, cs[1:k + 1], avg.get((scale, "kommungrupp2017", group, item)), columns(scale))
    sweden = check_row(where, cs[k + 1:k + 3], avg.get((scale, "national", "SE", item)), ("mean", "n"))
    if ours[0] and sweden[0]:
        want_d = round(ours[0][0] - sweden[0][0], max(ours[0][1], sweden[0][1]))
        if abs(parse(cs[k + 3], signed=True)[0] - want_d) > 1e-9:
            diffs.append((where, "difference", cs[k + 3], want_d))
    elif cs[k + 3] != "":
        diffs.append((where, "a difference without both means", cs[k + 3]))


with open(f"{out}/report/index.html", encoding="utf-8") as f:
    index = f.read()
readable(diffs, "index", profiles, index)
readable(diffs, "index", group_table, index)
paths = sorted(glob.glob(f"{out}/report/group_*.html"))
pages = {readable(diffs, os.path.basename(path), group_page, path) for path in paths}
missing = set().union(*(g for (s, grouping), g in groups_of.items() if grouping == "kommungrupp2017")) - pages
diffs += [("no group page", g) for g in sorted(missing)]
print(f"index: national profiles and groups checked; {len(paths)} group pages; {len(diffs)} differences")
for d in diffs[:30]:
    print("   ", d)
print("indexcheck:", "agree" if not diffs else f"{len(diffs)} disagreement(s)")
sys.exit(1 if diffs else 0)
