"""The python-polars peer of `make bench` (lazy API): the same work as
pandas_peer.py.

    python3 polars_peer.py INPUT OUT
"""
import os
import sys

from common import inputs, need

pl = need("polars")

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
schema = {"country": pl.Utf8, "municipality_code": pl.Utf8, "eval_year": pl.Utf8,
          "scale": pl.Utf8, "item": pl.Utf8, "score": pl.Utf8, "max": pl.Utf8}
lf = pl.concat([pl.scan_csv(f, schema_overrides=schema) for f in inputs(src)])
lf = (lf.with_columns(pl.col("score").cast(pl.Float64, strict=False),
                      pl.col("max").cast(pl.Float64, strict=False))
        .filter(pl.col("score").is_not_null() & (pl.col("score") >= 0)
                & (pl.col("score") <= pl.col("max"))
                & pl.col("eval_year").str.contains(r"^\d{4}$"))
        .with_columns(pl.col("eval_year").cast(pl.Int32)))
key = ["country", "municipality_code", "scale"]
df = lf.collect()

latest = df.lazy().filter(pl.col("eval_year") == pl.col("eval_year").max().over(key))
s = pl.col("score")
avg = (latest.group_by(["country", "scale", "item"])
       .agg(s.count().alias("n"), s.mean().alias("mean"), s.std().alias("sd"),
            s.min().alias("min"), s.quantile(0.25, "linear").alias("p25"),
            s.median().alias("median"), s.quantile(0.75, "linear").alias("p75"),
            s.max().alias("max"))
       .sort(["country", "scale", "item"]))
avg.collect().write_csv(os.path.join(out, "averages.csv"))

g = key + ["item"]
trends = (df.lazy().sort(g + ["eval_year"])
          .with_columns(pl.col("eval_year").shift().over(g).alias("from_year"),
                        s.shift().over(g).alias("from_score"))
          .filter(pl.col("from_year").is_not_null())
          .with_columns((s - pl.col("from_score")).alias("delta"))
          .select(g + ["from_year", "eval_year", "from_score", "score", "delta"]))
trends.collect().write_csv(os.path.join(out, "trends.csv"))
