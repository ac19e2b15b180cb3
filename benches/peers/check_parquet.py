"""Checks by hand that `--format parquet` tables hold what the CSV tables
hold, read with python-polars, pandas (pyarrow) and DuckDB:

    kompass run --config data/kompass.example.toml -o /tmp/csv
    kompass run --config data/kompass.example.toml -o /tmp/pq --format parquet
    python3 benches/peers/check_parquet.py /tmp/csv /tmp/pq
"""
import sys

from common import need

pl = need("polars")
duckdb = need("duckdb")
pd = need("pandas")
need("pyarrow")

csv_dir, pq_dir = sys.argv[1], sys.argv[2]
failed = False
for stem in ["evaluations", "trends", "benchmarks", "linked_scores"]:
    p = pl.read_parquet(f"{pq_dir}/{stem}.parquet")
    c = pl.read_csv(f"{csv_dir}/{stem}.csv", infer_schema=False)
    assert p.columns == c.columns, (stem, p.columns, c.columns)
    for col in p.columns:
        a, b = p[col], c[col]
        if a.dtype == pl.Utf8:
            same = (a == b.fill_null("")).all()
        else:
            b = b.cast(a.dtype, strict=True)
            same = ((a == b) | (a.is_null() & b.is_null())).all()
        if not same:
            failed = True
            print(f"{stem}.{col}: differs")
    rows_duckdb = duckdb.sql(f"select count(*) from '{pq_dir}/{stem}.parquet'").fetchall()[0][0]
    rows_pandas = len(pd.read_parquet(f"{pq_dir}/{stem}.parquet"))
    assert rows_duckdb == rows_pandas == p.height == c.height, stem
    print(f"{stem}: {p.height} rows, {p.width} columns: polars equal to the CSV; "
          f"DuckDB and pandas read {rows_duckdb} and {rows_pandas} rows")
sys.exit(1 if failed else 0)
