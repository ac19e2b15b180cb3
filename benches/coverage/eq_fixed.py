"""Equipercentile: coverage at FIXED old scores (population z), conditional on kompass giving an SE; uses results/eq_tail.jsonl."""
import os
import json, numpy as np, sys
from scipy import stats
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); import gen, truth
T = json.load(open("/tmp/covaudit/truth.json"))["0.0_equal"]
pop = gen.population(1_000_000)
recs = [json.loads(l) for l in open("/tmp/covaudit/results/eq_tail.jsonl")]
q = stats.t.ppf(.975, 149)
for z in (-2.25, -2.0, -1.75, -1.5, -1.0, 0.0, 1.0, 1.5, 1.75, 2.0, 2.25):
    hits, given, tot = [], 0, 0
    for j in range(8):
        it = str(j + 1); mx, sx = T[it]["mx"], T[it]["sx"]
        x0 = round(2 * (mx + z * sx)) / 2
        tv = truth.kb_equipercentile(pop["pair_old"][:, j], pop["pair_new"][:, j], 0.5, 1.0, 100, 100, [x0])[0]
        for rec in recs:
            row = [r for r in rec["conc"][it] if r[0] == x0][0]; tot += 1
            if row[2] == "": continue
            given += 1; hits.append(abs(row[1] - tv) <= q * float(row[2]))
    p = np.mean(hits) if hits else float("nan"); n = len(hits)
    print(f"z={z:+.2f}: SE given {given}/{tot}; coverage {100*p:.1f}% ±{196*np.sqrt(p*(1-p)/max(n,1)):.1f}")
