"""An independent check of kompass's figures (`make crosscheck`): its
national averages and same-scale trends against a peer script's, on the
same input. Exits 1 on any disagreement that the README does not explain.

    python3 crosscheck.py KOMPASS_OUT PEER_OUT

- Averages: kompass's rows of grouping `national`, basis `latest`, native
  scales (the peers have no `linked` scale), matched one to one by
  country, scale and item; n, min, quartiles and max exactly, mean and sd
  to kompass's 4 written decimals (a difference of at most 5e-5).
- Trends: kompass's native-scale rows (not `cross-scale`) matched by
  country, municipality, item, years and scale; scores and delta exactly.
  kompass pairs consecutive rounds for the items both have (README,
  "Trends"); a peer lags per item, so it also pairs two rounds around one
  that lacks the item. Such peer-only rows are counted and explained;
  any other row on one side only is a disagreement.

Run the peer on kompass's own `evaluations.csv` when the input has
rejected rows: the peers keep some rows kompass rejects (bad codes,
conflicts, a wrong max) and derive no totals.
"""
import sys

from common import need

pd = need("pandas")

kdir, pdir = sys.argv[1], sys.argv[2]
S = {"country": str, "municipality_code": str, "scale": str, "item": str, "group": str}
bad = 0

k = pd.read_csv(f"{kdir}/averages.csv", dtype=S)
k = k[(k.grouping == "national") & (k.basis == "latest") & (k.scale != "linked")]
k = k.rename(columns={"group": "country"})
p = pd.read_csv(f"{pdir}/averages.csv", dtype=S)
key = ["country", "scale", "item"]
m = k.merge(p, on=key, how="outer", suffixes=("_k", "_p"), indicator=True)
one_side = int((m["_merge"] != "both").sum())
print(f"averages: {len(k)} kompass rows, {len(p)} peer rows, {one_side} on one side only")
bad += one_side
b = m[m["_merge"] == "both"]
for stat, tol in [("n", 0), ("mean", 5e-5 + 1e-9), ("sd", 5e-5 + 1e-9), ("min", 0),
                  ("p25", 0), ("median", 0), ("p75", 0), ("max", 0)]:
    x, y = b[f"{stat}_k"], b[f"{stat}_p"]
    d = (x - y).abs().where(~(x.isna() & y.isna()), 0.0)
    off = int(((d > tol) | (x.isna() ^ y.isna())).sum())
    print(f"  {stat:6} max |difference| {d.max():.3g}, beyond {tol:.0e}: {off}")
    bad += off

T = {"country": str, "municipality_code": str, "scale": str, "item": str}
kt = pd.read_csv(f"{kdir}/trends.csv", dtype=T)
kt = kt[kt.scale != "cross-scale"]
pt = pd.read_csv(f"{pdir}/trends.csv", dtype=T).rename(
    columns={"eval_year": "to_year", "score": "to_score"})
tkey = ["country", "municipality_code", "item", "from_year", "to_year", "scale"]
t = kt.merge(pt, on=tkey, how="outer", suffixes=("_k", "_p"), indicator=True)
both = t[t["_merge"] == "both"]
print(f"trends: {len(both)} rows matched")
for c in ("from_score", "to_score", "delta"):
    off = int(((both[f"{c}_k"] - both[f"{c}_p"]).abs() > 1e-9).sum())
    print(f"  {c:10} differing: {off}")
    bad += off

# A peer-only row is explained when kompass has an evaluation on the same
# scale between its two years, lacking the item.
ev = pd.read_csv(f"{kdir}/evaluations.csv", dtype=T)
rounds = set(zip(ev.country, ev.municipality_code, ev.scale, ev.eval_year))
has_item = set(zip(ev.country, ev.municipality_code, ev.scale, ev.eval_year, ev["item"]))


def skips_a_round_without_the_item(r):
    between = [y for (c, mc, s, y) in rounds_of.get((r.country, r.municipality_code, r.scale), [])
               if r.from_year < y < r.to_year]
    return bool(between) and all(
        (r.country, r.municipality_code, r.scale, y, r["item"]) not in has_item for y in between)


rounds_of = {}
for c, mc, s, y in rounds:
    rounds_of.setdefault((c, mc, s), []).append((c, mc, s, y))
peer_only = t[t["_merge"] == "right_only"]
explained = int(peer_only.apply(skips_a_round_without_the_item, axis=1).sum()) if len(peer_only) else 0
kompass_only = int((t["_merge"] == "left_only").sum())
print(f"  peer only: {len(peer_only)} ({explained} across a round without the item); "
      f"kompass only: {kompass_only}")
bad += len(peer_only) - explained + kompass_only

print("crosscheck:", "agree" if bad == 0 else f"{bad} disagreement(s)")
sys.exit(1 if bad else 0)
