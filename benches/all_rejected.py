#!/usr/bin/env python3
"""Writes a long-layout export whose every row is rejected (each score is
above its item's maximum), to measure what rejected rows cost in memory:

    python3 benches/all_rejected.py 1000000 > /tmp/bad.csv
    /usr/bin/time -f "%e s %M KB" target/release/kompass validate -i /tmp/bad.csv \
        -q -o /tmp/bad-out --force

(`validate`: since the thirtieth session a `run` in which every row is
rejected stops after validation with exit 2, writing nothing; `validate`
writes rejects.csv and validation.csv, whose runs on disk this measures.)

    python3 benches/all_rejected.py 1000000 conflict > /tmp/one.csv

writes rows of one evaluation instead, every area given 90 different
scores (each row a `conflict`): groups of 125,000 conflicting rows, whose
findings cost rows x group size until the fortieth session (74 s at
1,000,000 rows; 6.0-6.5 s since).
"""
import sys

rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
conflict = len(sys.argv) > 2 and sys.argv[2] == "conflict"
out = sys.stdout
out.write("country,municipality_code,municipality,eval_year,scale,item,score\n")
for i in range(rows):
    if conflict:
        out.write(f"SE,0114,Upplands Väsby,2012,new,{1 + i % 8},{i % 90}\n")
        continue
    code = 1000 + i % 300
    out.write(f"SE,{code:04d},Kommun {i % 300},{2000 + i % 20},new,{1 + i % 8},{150 + i % 50}\n")
