"""Reproduce README claim (l.~787-791): on 'kompass synth' sets of 3,000 evaluations, 95 % intervals of slopes,
intercepts and linked scores cover the mean-sigma estimand (fitted on 2 x 100,000 generated evaluations) 93.5-95.1 %.
usage: synth_check.py estimand | synth_check.py run R | synth_check.py analyze"""
import csv, json, os, shutil, subprocess, sys
import numpy as np
from scipy import stats
K = os.path.abspath(os.environ.get("KOMPASS", "target/release/kompass")); D = "/tmp/covaudit/synthchk"; os.makedirs(D, exist_ok=True)
rd = lambda p: list(csv.DictReader(open(p, encoding="utf-8")))

def synth_link(n, seed, boot):
    s = f"{D}/s{seed}"
    subprocess.run([K, "synth", "-n", str(n), "--out", s, "--seed", str(seed), "-q"], check=True)
    subprocess.run([K, "link", "--input", f"{s}/evaluations.csv", "--register", f"{s}/meta/register.csv", "--out", f"{s}_out",
                    "--bootstrap", str(boot), "--link-seed", str(seed), "--force", "-q"], check=True)
    lk, cc = rd(f"{s}_out/linking.csv"), rd(f"{s}_out/concordance.csv")
    shutil.rmtree(s); shutil.rmtree(f"{s}_out")
    return lk, cc

if sys.argv[1] == "estimand":
    est = {}
    for seed in (900001, 900002):
        lk, _ = synth_link(100_000, seed, 0)
        for r in lk:
            est.setdefault(r["from_scale"] + ":" + r["item"], []).append({k: float(r[k]) for k in ("slope", "intercept", "mean_from", "sd_from", "n_pairs")})
    json.dump(est, open(f"{D}/estimand.json", "w"), indent=1)
elif sys.argv[1] == "run":
    est = json.load(open(f"{D}/estimand.json")); out = open(f"{D}/runs.jsonl", "a")
    for r in range(int(sys.argv[2])):
        seed = 5000 + r
        lk, cc = synth_link(3000, seed, 1000)
        rec = {"seed": seed, "link": {f"{x['from_scale']}:{x['item']}": x for x in lk}, "conc": {}}
        for key, e in est.items():
            m, s = np.mean([v["mean_from"] for v in e]), np.mean([v["sd_from"] for v in e])
            h = 0.5 if key.startswith("old") else 1.0
            pts = [round((m + k * s) / h) * h for k in (-2, -1, 0, 1, 2)]
            sc, it = key.split(":")
            rec["conc"][key] = [[float(x["from_score"]), x["linked_score"], x["linked_se"]] for x in cc
                                if x["from_scale"] == sc and x["item"] == it and float(x["from_score"]) in pts]
        out.write(json.dumps(rec) + "\n"); out.flush()
else:
    est = json.load(open(f"{D}/estimand.json")); recs = [json.loads(l) for l in open(f"{D}/runs.jsonl")]
    for sc in ("old", "2020"):
        hits = {"slope": [], "intercept": [], "linked": []}; ratios = []; npairs = []
        for key, e in est.items():
            if not key.startswith(sc + ":"): continue
            ts, ti = np.mean([v["slope"] for v in e]), np.mean([v["intercept"] for v in e])
            sl = []
            for rec in recs:
                L = rec["link"][key]; n = int(L["n_pairs"]); q = stats.t.ppf(.975, n - 1); npairs.append(n)
                if L["slope_se"] == "": continue
                hits["slope"].append(abs(float(L["slope"]) - ts) <= q * float(L["slope_se"]))
                hits["intercept"].append(abs(float(L["intercept"]) - ti) <= q * float(L["intercept_se"]))
                sl.append((float(L["slope"]), float(L["slope_se"])))
                for x, ls, se in rec["conc"][key]:
                    tv = min(max(ti + ts * x, 0), 800 if key.endswith("total") else 100)
                    if se != "": hits["linked"].append(abs(float(ls) - tv) <= q * float(se))
            a = np.array(sl); ratios.append(np.sqrt(np.mean(a[:, 1] ** 2)) / a[:, 0].std(ddof=1))
        print(f"{sc}->new: {len(recs)} sets, pairs {min(npairs)}-{max(npairs)}; slope-SE/SD {min(ratios):.2f}-{max(ratios):.2f}")
        for k, v in hits.items():
            p = np.mean(v); n = len(v); print(f"   {k}: {100*p:.1f}% ±{196*np.sqrt(p*(1-p)/n):.1f} (n={n})")
