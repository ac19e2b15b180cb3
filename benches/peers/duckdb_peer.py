"""The DuckDB peer of `make bench` (SQL: read_csv, window functions, COPY):
the same work as pandas_peer.py.

    python3 duckdb_peer.py INPUT OUT
"""
import os
import sys

from common import inputs, need

duckdb = need("duckdb")

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
files = ", ".join("'" + f.replace("'", "''") + "'" for f in inputs(src))
con = duckdb.connect()
con.execute(f"""
CREATE TABLE rows AS
SELECT country, municipality_code, scale, item,
       CAST(eval_year AS INTEGER) AS eval_year,
       TRY_CAST(score AS DOUBLE) AS score
FROM read_csv([{files}], header = true, all_varchar = true)
WHERE TRY_CAST(score AS DOUBLE) IS NOT NULL
  AND TRY_CAST(score AS DOUBLE) >= 0
  AND TRY_CAST(score AS DOUBLE) <= TRY_CAST(max AS DOUBLE)
  AND regexp_full_match(eval_year, '\\d{{4}}')
""")
averages = os.path.join(out, "averages.csv").replace("'", "''")
con.execute(f"""
COPY (
  WITH latest AS (
    SELECT *, max(eval_year) OVER (PARTITION BY country, municipality_code, scale) AS last
    FROM rows)
  SELECT country, scale, item, count(score) AS n, avg(score) AS mean,
         stddev_samp(score) AS sd, min(score) AS min,
         quantile_cont(score, 0.25) AS p25, median(score) AS median,
         quantile_cont(score, 0.75) AS p75, max(score) AS max
  FROM latest WHERE eval_year = last
  GROUP BY country, scale, item ORDER BY country, scale, item
) TO '{averages}' (HEADER, DELIMITER ',')
""")
trends = os.path.join(out, "trends.csv").replace("'", "''")
con.execute(f"""
COPY (
  SELECT * FROM (
    SELECT country, municipality_code, scale, item,
           lag(eval_year) OVER w AS from_year, eval_year,
           lag(score) OVER w AS from_score, score,
           score - lag(score) OVER w AS delta
    FROM rows
    WINDOW w AS (PARTITION BY country, municipality_code, scale, item ORDER BY eval_year))
  WHERE from_year IS NOT NULL
  ORDER BY country, municipality_code, scale, item, eval_year
) TO '{trends}' (HEADER, DELIMITER ',')
""")
