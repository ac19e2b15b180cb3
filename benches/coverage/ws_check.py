"""Why do 3-pair changes/averages under-cover? Recompute the p3s intervals with other df choices,
against the mean-link estimand (slope-1 bias excluded)."""
import os
import json, numpy as np
from scipy import stats
T = json.load(open('/tmp/covaudit/truth.json'))['-1.0_equal']
for name in ('p3s', 'p4s'):
    try: recs = [json.loads(l) for l in open(f'/tmp/covaudit/results/{name}.jsonl')]
    except FileNotFoundError: continue
    p = int(recs[0]['items']['1']['n_pairs'])
    hit = {'kompass CI (Welch df)': [], 'df = p-1': [], 'Welch, linked-score only': []}
    for rec in recs:
        for it in map(str, range(1, 9)):
            d = rec['items'][it]; tr = d.get('trend')
            if not tr or tr['ci_low'] == '': continue
            m, st = float(tr['mean_delta']), float(tr['se_total']); tv = T[it]['delta_mean']
            hit['kompass CI (Welch df)'].append(float(tr['ci_low']) <= tv <= float(tr['ci_high']))
            hit['df = p-1'].append(abs(m - tv) <= stats.t.ppf(.975, p - 1) * st)
            e, s = float(d['conc'][2][0]), float(d['conc'][2][1])
            hit['Welch, linked-score only'].append(abs(e - T[it]['mean_pts'][2]) <= stats.t.ppf(.975, p - 1) * s)
    for k, v in hit.items(): print(name, k, f"{100*np.mean(v):.1f}% (n={len(v)})")
