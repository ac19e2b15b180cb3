"""Pool the 'total' item over the >=30-pair linear scenarios (trend CI coverage and slope SE ratio)."""
import os
import json, numpy as np
T = json.load(open('/tmp/covaudit/truth.json'))
h = []; h2 = []
for name, key in (("p30s", "-1.0_equal"), ("p100s", "-1.0_equal"), ("p100s_b", "-1.0_equal"), ("p30unrel", "-1.0_unequal")):
    t = T[key]["total"]
    for l in open(f"/tmp/covaudit/results/{name}.jsonl"):
        d = json.loads(l)["items"]["total"]["trend"]
        h.append(float(d["ci_low"]) <= t["delta_lin"] <= float(d["ci_high"]))
    for l in open(f"/tmp/covaudit/results/{name}.jsonl"):
        d = json.loads(l)["items"]["8"]["trend"]
        h2.append(float(d["ci_low"]) <= T[key]["8"]["delta_lin"] <= float(d["ci_high"]))
for lab, v in (("total", h), ("area 8 (same data sets)", h2)):
    p = np.mean(v); n = len(v); print(lab, f"{100*p:.1f}% ±{196*np.sqrt(p*(1-p)/n):.1f} (n={n})")
