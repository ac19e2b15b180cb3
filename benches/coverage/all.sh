#!/bin/sh
cd "$(dirname "$0")/../.." && mkdir -p /tmp/covaudit/results
R=500
python3 benches/coverage/run.py kb10     10  150  0.0 equal auto $R
python3 benches/coverage/run.py p30s     30  150 -1.0 equal auto $R
python3 benches/coverage/run.py p5s       5  150 -1.0 equal auto $R
python3 benches/coverage/run.py p3s       3  150 -1.0 equal auto $R
python3 benches/coverage/run.py p30mean  30  150  0.0 equal mean $R
python3 benches/coverage/run.py p150eq  150  130  0.0 equal equipercentile $R
python3 benches/coverage/run.py p100s   100  150 -1.0 equal auto $R
python3 benches/coverage/run.py p30unrel 30  150 -1.0 unequal auto $R
python3 benches/coverage/run.py p4s       4  150 -1.0 equal auto $R
# Added 2026-11-30 (weak links; averages' own intervals): analyze.py prints
# "avg2008 kompass ci_low..ci_high" for averages.csv's interval.
python3 benches/coverage/run.py p3n12     3   12 -1.0 equal auto $R
python3 benches/coverage/run.py p2n30     2   30 -1.0 equal auto $R
python3 benches/coverage/run.py p10s     10  150 -1.0 equal auto $R
# Added 2026-12-06 (a group 2 SDs below the pairs: the mean link's slope of
# 1 against the true new-scale value, "structural" in analyze.py).
python3 benches/coverage/run.py p4s2      4  150 -2.0 equal auto $R
python3 benches/coverage/run.py p3s2      3  150 -2.0 equal auto $R
python3 benches/coverage/run.py p5s2      5  150 -2.0 equal auto $R
# Added 2026-12-06 (linear links of 5-8 municipalities take the jackknife).
python3 benches/coverage/run.py p7s2      7  150 -2.0 equal auto $R
python3 benches/coverage/run.py p8s       8  150 -1.0 equal auto $R
# Added 2026-12-06 (summaries through an equipercentile link's tails;
# eq_share.py NAME PAIRS PANEL SHIFT reads them by share in the tails).
python3 benches/coverage/run.py p150eq1s 150  130 -1.0 equal equipercentile $R
python3 benches/coverage/run.py p150eq2s 150  130 -2.0 equal equipercentile $R
python3 benches/coverage/run.py p100eq   100  130  0.0 equal equipercentile $R
python3 benches/coverage/run.py p100eq1s 100  130 -1.0 equal equipercentile $R
