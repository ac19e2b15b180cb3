"""Checks by hand that `--format parquet` tables hold what the CSV tables
hold, read with python-polars, pandas (pyarrow) and DuckDB:

    kompass run --config data/kompass.example.toml -o /tmp/csv
    kompass run --config data/kompass.example.toml -o /tmp/pq --format parquet
    python3 benches/peers/check_parquet.py /tmp/csv /tmp/pq

The CSV run may be in either dialect (`--excel`: `;`, decimal commas, a
byte order mark; `--out-encoding windows-1252`); its spreadsheet guard (a
leading `'` before `=`, `+`, `-`, `@` and the like, which Parquet does not
carry) is allowed for. A table the run did not write (`validate` writes no
trends) is named and passed over. Exits 1 if any column differs.
"""
import io
import os
import sys

from common import need

pl = need("polars")
duckdb = need("duckdb")
pd = need("pandas")
need("pyarrow")


def read_csv(path):
    """The CSV at `path` as text columns, in its own dialect; and whether
    its numbers have decimal commas."""
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    frame = pl.read_csv(io.StringIO(text), separator=sep, infer_schema=False)
    return frame, sep == ";"


def same_text(parquet, csv):
    """Cell by cell: equal, or equal behind the CSV's guard `'`."""
    csv = csv.fill_null("")
    return ((parquet == csv) | (("'" + parquet) == csv)).all()


csv_dir, pq_dir = sys.argv[1], sys.argv[2]
failed = False
for stem in ["evaluations", "trends", "benchmarks", "linked_scores"]:
    pq_path, csv_path = f"{pq_dir}/{stem}.parquet", f"{csv_dir}/{stem}.csv"
    if not (os.path.exists(pq_path) and os.path.exists(csv_path)):
        print(f"{stem}: not in both folders, passed over")
        continue
    p = pl.read_parquet(pq_path)
    c, comma = read_csv(csv_path)
    assert p.columns == c.columns, (stem, p.columns, c.columns)
    differs = []
    for col in p.columns:
        a, b = p[col], c[col]
        if a.dtype == pl.Utf8:
            same = same_text(a, b)
        else:
            if comma:
                b = b.str.replace(",", ".", literal=True)
            b = b.cast(a.dtype, strict=True)
            same = ((a == b) | (a.is_null() & b.is_null())).all()
        if not same:
            differs.append(col)
    rows_duckdb = duckdb.sql(f"select count(*) from '{pq_path}'").fetchall()[0][0]
    rows_pandas = len(pd.read_parquet(pq_path))
    assert rows_duckdb == rows_pandas == p.height == c.height, stem
    if differs:
        failed = True
        print(f"{stem}: {', '.join(differs)} differ from the CSV")
    else:
        print(f"{stem}: {p.height} rows, {p.width} columns: polars equal to the CSV; "
              f"DuckDB and pandas read {rows_duckdb} and {rows_pandas} rows")
sys.exit(1 if failed else 0)
