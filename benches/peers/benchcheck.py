"""An independent check of every row of `benchmarks.csv` and
`role_models.csv` (`make crosscheck`; `python3 benchcheck.py OUT
REGISTER`, OUT the folder of a `kompass run` with CSV outputs in the plain
dialect, REGISTER the register file or folder it was given), recomputed
from `evaluations.csv`, `linked_scores.csv` and the register as the README
defines them ("Benchmarks", "Role models", "Scales"). Exits 1 on any
difference. (`tests/test_standings.rs` recomputes the ranks from
`benchmarks.csv` itself; this script finds the points too.)

- Benchmarks: one row per municipality, scale (native and `linked`) and
  item of its latest year on the scale, none missing or extra: the year,
  the score, `score_se` (the linked score's `linked_se`; empty for a native
  score), the national mean and n (country, scale, item), the difference,
  the rank (1 + the number scoring higher) and the percentile rank (100 x
  (lower + half the others tied) / (n - 1), empty for n = 1), all on
  scores rounded to 4 decimals as written; for Swedish municipalities the
  register's 2017 group, its mean, rank, n and percentile (empty below 5).
- Role models: per country, native scale and item other than the total,
  every municipality at competition rank 1 to 3 of the same points, with
  its position, year and score, by position and in code order within a
  tie; nothing else.
"""
import bisect
import sys
from collections import defaultdict

from output import ROUNDING, config, num, read_register, rows, scale_points

out, register = sys.argv[1], sys.argv[2]
TARGET = config(out)["link_to"]
munis = read_register(register)
evaluation_rows = rows(out, "evaluations")
names = {(r["country"], r["municipality_code"]): r["municipality"] for r in evaluation_rows}

# Latest points per scale: (muni, item) -> (year, value, linked_scores row)
latest = {}
for scale, pts in scale_points(out, TARGET, evaluation_rows).items():
    last = defaultdict(int)
    for (muni, year, _) in pts:
        last[muni] = max(last[muni], year)
    latest[scale] = {(muni, item): (year, value, c)
                     for (muni, year, item), (value, c) in pts.items() if year == last[muni]}


def standings(values):
    """value -> (rank, percentile or None) among `values` (rounded)."""
    n, ordered = len(values), sorted(values)
    found = {}
    for v in set(values):
        lower, upto = bisect.bisect_left(ordered, v), bisect.bisect_right(ordered, v)
        found[v] = (1 + n - upto, None if n == 1 else 100 * (lower + (upto - lower - 1) / 2) / (n - 1))
    return found


expected, from_link = {}, set()  # the rows; those of a linked score
for scale, pts in latest.items():
    by_country, by_group = defaultdict(list), defaultdict(list)
    for (muni, item), (_, value, _) in pts.items():
        by_country[(muni[0], item)].append((muni, value))
        group = munis.get(muni, ("", "", None))[1] if muni[0] == "SE" else ""
        if group:
            by_group[(group, item)].append((muni, value))
    national = {k: (sum(v for _, v in p) / len(p), standings([round(v, 4) for _, v in p]), len(p))
                for k, p in by_country.items()}
    grouped = {k: (sum(v for _, v in p) / len(p), standings([round(v, 4) for _, v in p]), len(p))
               for k, p in by_group.items()}
    for (muni, item), (year, value, c) in pts.items():
        mean, ranks, n = national[(muni[0], item)]
        rank, pct = ranks[round(value, 4)]
        row = [str(year), value, None if c is None else num(c["linked_se"]), mean, value - mean, rank, n, pct]
        group = munis.get(muni, ("", "", None))[1] if muni[0] == "SE" else ""
        if group:
            gmean, granks, gn = grouped[(group, item)]
            grank, gpct = granks[round(value, 4)]
            row += [group, gmean, grank, gn, gpct if gn >= 5 else None]
        else:
            row += ["", None, None, None, None]
        expected[(muni, scale, item)] = row
        if c is not None:
            from_link.add((muni, scale, item))

COLUMNS = ["eval_year", "score", "score_se", "national_mean", "diff_to_mean", "rank", "n", "percentile",
           "kommungrupp2017", "group_mean", "group_rank", "group_n", "group_percentile"]


def same(want, got, column, linked, from_link):
    """Whether a written figure is the one recomputed: a linked score and
    its SE (`from_link`) exactly as `linked_scores.csv` writes them; else
    to the written rounding (a native score too, on the linked scale as on
    its own: `44.000001` is written `44`), and where linked scores, read to
    4 decimals, enter a mean once more, a difference of it twice more."""
    if isinstance(want, str):
        return want == got
    if want is None or got == "":
        return want is None and got == ""
    if from_link and column in ("score", "score_se"):
        return float(got) == want
    units = 1 + (0 if not linked else 2 if column == "diff_to_mean" else 1 if "mean" in column else 0)
    return abs(float(got) - want) <= units * ROUNDING + 1e-9


bad, diffs = 0, []
written = rows(out, "benchmarks")
for r in written:
    key = ((r["country"], r["municipality_code"]), r["scale"], r["item"])
    want = expected.pop(key, None)
    if want is None:
        diffs.append(("no such latest point", key))
        continue
    linked = r["scale"] == "linked"
    off = [(c, w, r[c]) for c, w in zip(COLUMNS, want) if not same(w, r[c], c, linked, key in from_link)]
    if r["municipality"] != names.get(key[0]):
        off.append(("municipality", names.get(key[0]), r["municipality"]))
    if off:
        diffs.append((key, off))
diffs += [("no row", k) for k in expected]
print(f"benchmarks: {len(written)} rows checked, {len(diffs)} differ or missing")
for d in diffs[:8]:
    print("   ", d)
bad += len(diffs)

# --- role models ---------------------------------------------------------
want = {}
for scale, pts in latest.items():
    if scale == "linked":
        continue
    by_item = defaultdict(list)
    for (muni, item), (year, value, _) in pts.items():
        if item != "total":
            by_item[(muni[0], item)].append((round(value, 4), muni, year, value))
    for (country, item), p in by_item.items():
        ranks = standings([v for v, _, _, _ in p])
        for v, muni, year, value in p:
            if ranks[v][0] <= 3:
                want[(country, scale, item, ranks[v][0], muni[1], names[muni], year)] = value
diffs, got = [], rows(out, "role_models")
for r in got:
    key = (r["country"], r["scale"], r["item"], int(r["position"]), r["municipality_code"], r["municipality"],
           int(r["eval_year"]))
    value = want.pop(key, None)
    if value is None or abs(value - float(r["score"])) > ROUNDING + 1e-9:
        diffs.append(("not a role model", key, r["score"], value))
diffs += [("missing", w) for w in sorted(want)]
order = [(r["country"], r["scale"], r["item"], int(r["position"]), r["municipality_code"]) for r in got]
# Within a country, scale and item: by position, a tie in code order.
runs = defaultdict(list)
for k in order:
    runs[k[:3]].append(k[3:])
diffs += [("not in position and code order", k) for k, run in runs.items() if run != sorted(run)]
print(f"role models: {len(got)} rows checked, {len(diffs)} differ or missing")
for d in diffs[:8]:
    print("   ", d)
bad += len(diffs)

print("benchcheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
