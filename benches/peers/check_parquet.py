"""Checks by hand that `--format parquet` tables hold what the CSV tables
hold, each table read with python-polars, pandas (pyarrow) and DuckDB and
every cell compared:

    kompass run --config data/kompass.example.toml -o /tmp/csv
    kompass run --config data/kompass.example.toml -o /tmp/pq --format parquet
    python3 benches/peers/check_parquet.py /tmp/csv /tmp/pq

The CSV run may be in either dialect (`--excel`: `;`, decimal commas, a
byte order mark). With `--out-encoding windows-1252` (its manifest says
so) a character that encoding lacks is expected as `?` in the CSV (`→` as
`->`). The CSV's spreadsheet guard, which Parquet does not carry, is
checked where it belongs: a leading `'` before a text starting with `=`,
`@`, a tab, a carriage return, a line feed, a NUL or `'` (always), or `+`
or `-` (unless the text reads as a number, which only kompass knows: either
is taken there), and nowhere else. A table the run did not write
(`validate` writes no trends) is named and passed over. Exits 1 if any
column differs in any reader.
"""
import io
import json
import os
import sys

from common import need

pl = need("polars")
duckdb = need("duckdb")
pd = need("pandas")
need("pyarrow")


def read_csv(path, windows_1252):
    """The CSV at `path` as text columns, in its own dialect (UTF-8, with a
    byte order mark or not, or Windows-1252 where the run's manifest says
    so); and whether its numbers have decimal commas."""
    raw = open(path, "rb").read()
    if windows_1252:
        text = raw.decode("cp1252")
    else:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    header = text.split("\n", 1)[0]
    sep = ";" if header.count(";") > header.count(",") else ","
    frame = pl.read_csv(io.StringIO(text), separator=sep, infer_schema=False)
    return frame, sep == ";"


def as_windows_1252(s):
    """`s` as a Windows-1252 CSV holds it: `→` as `->`, any other character
    the encoding lacks as `?`."""
    return s.replace("→", "->").encode("cp1252", errors="replace").decode("cp1252")


def same_text(parquet, csv, windows_1252):
    """Cell by cell: equal, or behind the CSV's guard `'` where the guard
    belongs (see the module's comment)."""
    parquet, csv = parquet.cast(pl.Utf8).fill_null(""), csv.fill_null("")
    if windows_1252:
        uniques = parquet.unique().to_list()
        parquet = parquet.replace_strict({u: as_windows_1252(u) for u in uniques})
    must = parquet.str.contains(r"^[=@\t\r\n\x00']")
    may = parquet.str.contains(r"^[+-]")
    plain = (parquet == csv) & ~must
    guarded = (("'" + parquet) == csv) & (must | may)
    return (plain | guarded).all()


def same_numbers(parquet, csv, comma):
    """Cell by cell, as numbers: equal, or both empty (an empty cell against
    a number differs: `==` gives null there, which `all` would pass over)."""
    if comma:
        csv = csv.str.replace(",", ".", literal=True)
    a, b = parquet.cast(pl.Float64), csv.cast(pl.Float64, strict=True)
    return a.eq_missing(b).all()


def readers(path):
    """The Parquet table at `path` as each reader reads it."""
    return {
        "polars": pl.read_parquet(path),
        "pandas": pl.from_pandas(pd.read_parquet(path)),
        "DuckDB": duckdb.read_parquet(path).pl(),
    }


csv_dir, pq_dir = sys.argv[1], sys.argv[2]
manifest = json.load(open(f"{csv_dir}/manifest.json", encoding="utf-8"))
windows_1252 = manifest["config"].get("out_encoding") == "windows-1252"
failed = False
for stem in ["evaluations", "trends", "benchmarks", "linked_scores"]:
    pq_path, csv_path = f"{pq_dir}/{stem}.parquet", f"{csv_dir}/{stem}.csv"
    if not (os.path.exists(pq_path) and os.path.exists(csv_path)):
        print(f"{stem}: not in both folders, passed over")
        continue
    c, comma = read_csv(csv_path, windows_1252)
    for reader, p in readers(pq_path).items():
        if (p.columns, p.height) != (c.columns, c.height):
            failed = True
            print(f"{stem} ({reader}): columns {p.columns}, {p.height} rows; "
                  f"the CSV: {c.columns}, {c.height} rows")
            continue
        # The types as polars reads them, for every reader: pandas makes
        # an integer column with gaps a float one.
        text = [col for col, t in pl.read_parquet_schema(pq_path).items() if t == pl.Utf8]
        differs = [
            col
            for col in p.columns
            if not (
                same_text(p[col], c[col], windows_1252)
                if col in text
                else same_numbers(p[col], c[col], comma)
            )
        ]
        if differs:
            failed = True
            print(f"{stem} ({reader}): {', '.join(differs)} differ from the CSV")
        else:
            print(f"{stem} ({reader}): {p.height} rows, {p.width} columns equal to the CSV")
sys.exit(1 if failed else 0)
