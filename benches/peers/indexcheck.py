"""An independent check of the report's national profiles and group pages
(`make crosscheck`; `python3 indexcheck.py OUT`, OUT the folder of a
`kompass run` with CSV outputs in the plain dialect and the Swedish
report), read against `averages.csv` (the run's basis) as the README says
the pages show it ("Charts and the report"). Exits 1 on any difference.

- `index.html`, "Nationella profiler": a table per scale with averages,
  the linked one last; a row per area of the scale and the total; per
  country its mean and SD to one decimal and n (on the linked scale +-
  half the mean's 95 % interval), empty where the country has none.
- `index.html`, "Kommungrupper": a row per 2017 group with averages, each
  scale's total mean, SD and n (the linked scale's +- too), empty where
  the group has none on the scale.
- `group_<code>.html`: a table per scale the group has averages on; a row
  per area and the total with the group's mean, +- half its interval, SD,
  n, Sweden's mean and n, and the difference of the two means as shown.
Rounded figures to half a unit of their shown decimals; numbers as the
pages write them.
"""
import glob
import html
import re
import sys
from collections import defaultdict

from output import config, instruments, rows
from pages import cells, close, headers, item_of, parse, section, text

out = sys.argv[1]
options = config(out)
if options["report"] == "none" or options.get("lang", "sv") != "sv":
    sys.exit(f"indexcheck: {out} has no Swedish report (a run with --report all or summary, --lang sv)")
TARGET, BASIS = options["link_to"], options["basis"]
insts = instruments(options)
scale_of = {i["name_sv"]: key for key, i in insts.items()}
short_of = {i["short_sv"]: key for key, i in insts.items()}
avg = {(r["scale"], r["grouping"], r["group"], r["item"]): r for r in rows(out, "averages") if r["basis"] == BASIS}
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


def figure(where, shown, value, decimals=1):
    """A rounded figure: empty where the CSV's is, else to `decimals` at
    most, within half a unit of the shown ones."""
    if shown == "" or value == "":
        if shown != value:
            diffs.append((where, "shown", shown, value))
        return None
    v = parse(shown)
    if v[1] > decimals or not close(*v, float(value)):
        diffs.append((where, "figure", shown, value))
    return v


def half(r):
    return "" if not r or r["ci_low"] == "" else str((float(r["ci_high"]) - float(r["ci_low"])) / 2)


WITH_HALF = ("mean", "half", "sd", "n")
PLAIN = ("mean", "sd", "n")


def check_row(where, shown, r, columns):
    """Shown figures, `columns` of mean, half (the ± of the mean), sd and
    n, against an averages.csv row (or none: all empty)."""
    r = r or {"mean": "", "sd": "", "n": "", "ci_low": "", "ci_high": ""}
    want = {"mean": (r["mean"], 1), "half": (half(r), 1), "sd": (r["sd"], 1), "n": (r["n"], 0)}
    return [figure(where, s, *want[c]) for s, c in zip(shown, columns)]


def profiles(page):
    found = 0
    part = section(page, "profil")
    for head, table in re.findall(r"<h3>(.*?)</h3>\s*<table>(.*?)</table>", part, re.S):
        scale = scale_id(html.unescape(head))
        found += 1
        countries = [h.split(" ")[0] for h in headers(table)[0][1:] if h.endswith("medel")]
        width = 4 if scale == "linked" else 3
        got = cells(table)
        if [item_of(c[0][0]) for c in got] != items_of(scale):
            diffs.append((scale, "profile rows", [c[0][0] for c in got]))
        if sorted(countries) != sorted(groups_of[(scale, "national")]):
            diffs.append((scale, "profile countries", countries))
        for row in got:
            item = item_of(row[0][0])
            for k, country in enumerate(countries):
                shown = [c[0] for c in row[1 + k * width:1 + (k + 1) * width]]
                check_row((scale, country, item), shown, avg.get((scale, "national", country, item)),
                          WITH_HALF if scale == "linked" else PLAIN)
    if found != len({s for (s, g) in groups_of if g == "national"}):
        diffs.append(("index", "profile tables", found))


def group_table(page):
    part = section(page, "grupper")
    m = re.search(r"<table>(.*?)</table>", part, re.S)
    if not m:
        if groups_of[(TARGET, "kommungrupp2017")] or groups_of[("linked", "kommungrupp2017")]:
            diffs.append(("index", "no group table"))
        return
    scales = [scale_id(h) for h in headers(m.group(1))[0][1:]]
    seen = []
    for row in cells(m.group(1)):
        group, k = row[0][0], 1
        seen.append(group)
        for scale in scales:
            width = 4 if scale == "linked" else 3
            shown = [c[0] for c in row[k:k + width]]
            check_row((group, scale), shown, avg.get((scale, "kommungrupp2017", group, "total")),
                      WITH_HALF if scale == "linked" else PLAIN)
            k += width
    want = set().union(*(groups_of[(s, "kommungrupp2017")] for s in scales)) if scales else set()
    if set(seen) != want:
        diffs.append(("index", "groups", sorted(set(seen) ^ want)))


def group_page(path):
    with open(path, encoding="utf-8") as f:
        page = f.read()
    group = text(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))
    tables = re.findall(r"<h2>(.*?)</h2>\s*(?:<p[^>]*>.*?</p>\s*)*<table>(.*?)</table>", page, re.S)
    shown_scales = [scale_id(html.unescape(h)) for h, _ in tables]
    want = [s for s in shown_scales if group in groups_of[(s, "kommungrupp2017")]]
    if sorted(shown_scales) != sorted(s for (s, g) in groups_of if g == "kommungrupp2017"
                                      and group in groups_of[(s, g)]) or want != shown_scales:
        diffs.append((group, "group page tables", shown_scales))
    for (head, table), scale in zip(tables, shown_scales):
        got = cells(table)
        if [item_of(c[0][0]) for c in got] != items_of(scale):
            diffs.append((group, scale, "group page rows", [c[0][0] for c in got]))
        for row in got:
            item, cs = item_of(row[0][0]), [c[0] for c in row]
            where = (group, scale, item)
            r = avg.get((scale, "kommungrupp2017", group, item))
            ours = check_row(where, cs[1:5], r, WITH_HALF)
            sweden = check_row(where, cs[5:7], avg.get((scale, "national", "SE", item)), ("mean", "n"))
            if ours[0] and sweden[0]:
                want_d = round(ours[0][0] - sweden[0][0], max(ours[0][1], sweden[0][1]))
                if abs(parse(cs[7], signed=True)[0] - want_d) > 1e-9:
                    diffs.append((where, "difference", cs[7], want_d))
            elif cs[7] != "":
                diffs.append((where, "a difference without both means", cs[7]))


def readable(check, *args):
    try:
        check(*args)
    except (ValueError, AttributeError, TypeError, IndexError, KeyError) as e:
        diffs.append((args[:1], "a cell the script cannot read", repr(e)))


with open(f"{out}/report/index.html", encoding="utf-8") as f:
    index = f.read()
readable(profiles, index)
readable(group_table, index)
paths = sorted(glob.glob(f"{out}/report/group_*.html"))
for path in paths:
    readable(group_page, path)
print(f"index: national profiles and groups checked; {len(paths)} group pages; {len(diffs)} differences")
for d in diffs[:30]:
    print("   ", d)
print("indexcheck:", "agree" if not diffs else f"{len(diffs)} disagreement(s)")
sys.exit(1 if diffs else 0)
