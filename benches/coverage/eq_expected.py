"""Equipercentile: coverage at fixed old scores (population z) when an SE is
given only where the pairs' normal fit expects at least E pairs beyond the
score (n * P(Z > |x - mean| / sd), the pairs' own mean and SD), besides the
7 counted there. Applied to eq_tail.py's results of a build that gives SEs
by the count alone, for several E; with E = 0 it is eq_fixed.py.
usage: EQ_TAIL_RESULTS=... eq_expected.py E [E ...]"""
import os
import json, numpy as np, sys
from scipy import stats
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); import gen, truth
T = json.load(open("/tmp/covaudit/truth.json"))["0.0_equal"]
pop = gen.population(1_000_000)
recs = [json.loads(l) for l in open(os.environ.get("EQ_TAIL_RESULTS", "/tmp/covaudit/results/eq_tail.jsonl"))]
q = stats.t.ppf(.975, 149)
for E in map(float, sys.argv[1:]):
    print(f"E = {E:g}")
    for z in (-2.0, -1.75, -1.6, -1.5, -1.25, -1.0, 0.0, 1.0, 1.25, 1.5, 1.6, 1.75, 2.0):
        hits, given, tot = [], 0, 0
        for j in range(8):
            it = str(j + 1); mx, sx = T[it]["mx"], T[it]["sx"]
            x0 = round(2 * (mx + z * sx)) / 2
            tv = truth.kb_equipercentile(pop["pair_old"][:, j], pop["pair_new"][:, j], 0.5, 1.0, 100, 100, [x0])[0]
            for rec in recs:
                row = [r for r in rec["conc"][it] if r[0] == x0][0]; tot += 1
                xs = np.array(rec["old"])[:, j]
                expected = len(xs) * stats.norm.sf(abs(x0 - xs.mean()) / xs.std(ddof=1))
                if row[2] == "" or expected < E: continue
                given += 1; hits.append(abs(row[1] - tv) <= q * float(row[2]))
        p = np.mean(hits) if hits else float("nan"); n = len(hits)
        print(f"  z={z:+.2f}: SE given {given}/{tot}; coverage {100*p:.1f}% ±{196*np.sqrt(p*(1-p)/max(n,1)):.1f}")
