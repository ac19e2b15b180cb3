"""The pandas peer of `make bench`: what a researcher's short script does
with a long-layout export. Read every CSV in INPUT (codes as strings), drop
invalid rows (score not a number, outside 0..max, year not four digits),
keep each municipality's latest evaluation per scale, and write national
averages per country, scale and item (n, mean, sd, min, quartiles, max) and
the same-scale changes between consecutive evaluations.

    python3 pandas_peer.py INPUT OUT
"""
import os
import sys

from common import inputs, need

pd = need("pandas")

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
df = pd.concat(
    pd.read_csv(f, dtype={"country": str, "municipality_code": str, "scale": str,
                          "item": str, "eval_year": str, "score": str, "max": str})
    for f in inputs(src))
df["score"] = pd.to_numeric(df["score"], errors="coerce")
df["max"] = pd.to_numeric(df["max"], errors="coerce")
year_ok = df["eval_year"].str.fullmatch(r"\d{4}").fillna(False)
ok = df["score"].notna() & (df["score"] >= 0) & (df["score"] <= df["max"]) & year_ok
df = df[ok].copy()
df["eval_year"] = df["eval_year"].astype(int)

key = ["country", "municipality_code", "scale"]
latest = df[df["eval_year"] == df.groupby(key)["eval_year"].transform("max")]
g = latest.groupby(["country", "scale", "item"])["score"]
avg = g.agg(n="count", mean="mean", sd="std", min="min",
            p25=lambda s: s.quantile(0.25), median="median",
            p75=lambda s: s.quantile(0.75), max="max").reset_index()
avg.sort_values(["country", "scale", "item"]).to_csv(
    os.path.join(out, "averages.csv"), index=False)

t = df.sort_values(key + ["item", "eval_year"])
grp = t.groupby(key + ["item"])
t["from_year"] = grp["eval_year"].shift()
t["from_score"] = grp["score"].shift()
t = t[t["from_year"].notna()].copy()
t["delta"] = t["score"] - t["from_score"]
t["from_year"] = t["from_year"].astype(int)
t[key + ["item", "from_year", "eval_year", "from_score", "score", "delta"]].to_csv(
    os.path.join(out, "trends.csv"), index=False)
