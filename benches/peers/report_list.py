"""An independent check of the report index's municipality list (`python3
report_list.py OUT`, OUT a `kompass run` output folder): for every
municipality its latest evaluation year (any scale), that evaluation's total
(on the scale latest in time that has one), and the change of the total
into the latest evaluation (from the round before it in the same chain)
that ends at the total shown (a change on the total's scale, or across the
change of scale ending at that total: the native total where it is on the
target scale, else its linked score in `linked_scores.csv` where that year
has no native target total, which the linked scale would hold instead), recomputed
from `evaluations.csv`, `trends.csv` and `linked_scores.csv` with pandas.
Exits 1 on any difference. Reads the Swedish report (the default
language)."""
import html
import re
import sys

from common import need

pd = need("pandas")
out = sys.argv[1]
S = {"municipality_code": str, "country": str, "item": str}
ev = pd.read_csv(f"{out}/evaluations.csv", dtype=S)
tr = pd.read_csv(f"{out}/trends.csv", dtype=S)
ls = pd.read_csv(f"{out}/linked_scores.csv", dtype={**S, "to_item": str})
TARGET = "new"
order = {"old": 0, "new": 1, "2015": 2, "2020": 3, "cross-scale": 4}
label = {"old": "äldre skala", "new": "2010 års skala", "2015": "2015 års skala", "2020": "2020 års skala"}
key = ["country", "municipality_code"]
years = ev.groupby(key).eval_year.agg(["max"]).rename(columns={"max": "latest"})
tot = ev[ev.item == "total"].copy()
tot["rank"] = tot.scale.map(order)
want = {}
for (c, m), r in years.iterrows():
    t = tot[(tot.country == c) & (tot.municipality_code == m) & (tot.eval_year == r.latest)]
    if len(t):
        t = t.sort_values("rank").iloc[-1]
        total, scale = t.score, t.scale
    else:
        e = ev[(ev.country == c) & (ev.municipality_code == m) & (ev.eval_year == r.latest)].copy()
        e["rank"] = e.scale.map(order)
        total, scale = None, e.sort_values("rank").scale.iloc[-1]
    ch = tr[(tr.country == c) & (tr.municipality_code == m) & (tr.item == "total") & (tr.to_year == r.latest)].copy()
    change = None

    def ends_at_total(x):
        if total is None:
            return False
        if x.scale != "cross-scale":
            return x.scale == scale
        if scale == TARGET:
            return abs(x.to_score - total) < 1e-6
        # The linked scale holds a year's native target score where there
        # is one: then its change does not end at the total shown.
        native = tot[(tot.country == c) & (tot.municipality_code == m)
                     & (tot.eval_year == r.latest) & (tot.scale == TARGET)]
        l = ls[(ls.country == c) & (ls.municipality_code == m) & (ls.eval_year == r.latest)
               & (ls.from_scale == scale) & (ls.item == "total")]
        return (len(native) == 0 and len(l) == 1
                and abs(l.linked_score.iloc[0] - x.to_score) < 1e-6)

    ch = ch[[ends_at_total(x) for x in ch.itertuples()]] if len(ch) else ch
    if len(ch):
        ch["rank"] = ch.scale.map(order)
        x = ch.sort_values("rank").iloc[-1]
        change = (round(x.delta, 4), x.scale == "cross-scale" or pd.notna(x.delta_se))
    want[(c, m)] = (int(r.latest), total, label[scale], change)
page = open(f"{out}/report/index.html", encoding="utf-8").read()
# The list alone (the table of changes has rows led by a country too).
page = page[page.index('id="kommunlista"'):]
rows = re.findall(
    r'<tr><td class="t">([A-Z]+)</td><td class="t"(?: data-v="[^"]*")?>([^<]+)</td>(.*?)</tr>', page
)
bad = 0
for c, m, rest in rows:
    cells = re.findall(r"<td[^>]*>(.*?)</td>", rest)
    vals = re.findall(r'<td( data-v="([^"]*)")?', rest)
    year, total_cell, scale, change_cell = cells[2], cells[3], html.unescape(cells[4]), cells[5]
    w = want.get((c, m))
    if w is None:
        continue
    got_total = float(vals[3][1]) if vals[3][1] else None
    got_change = float(vals[5][1]) if len(vals) > 5 and vals[5][1] else None
    ok = int(year) == w[0] and scale == w[2]
    ok &= (got_total is None) == (w[1] is None) and (got_total is None or abs(got_total - w[1]) < 1e-6)
    ok &= (got_change is None) == (w[3] is None) and (got_change is None or abs(got_change - w[3][0]) < 1e-3)
    if not ok:
        bad += 1
        if bad <= 10:
            print("DIFF", c, m, "page:", year, got_total, scale, got_change, "want:", w)
print(f"{len(rows)} rows on the page, {len(want)} municipalities, {bad} differ")
# A row the pattern did not find is a difference too (a change of the
# page's markup read 0 rows and passed).
sys.exit(1 if bad or len(rows) != len(want) else 0)
