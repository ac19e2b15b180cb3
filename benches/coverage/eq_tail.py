"""Equipercentile tails: coverage of linked-score intervals at fixed old scores, by how many pairs lie beyond.
usage: eq_tail.py run R | eq_tail.py analyze"""
import csv, json, os, shutil, subprocess, sys
import numpy as np
from scipy import stats
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen, truth
PAIRS = 150
RES = os.environ.get("EQ_TAIL_RESULTS", "/tmp/covaudit/results/eq_tail.jsonl")

if sys.argv[1] == "run":
    R = int(sys.argv[2]); work = RES + ".runs"; os.makedirs(work, exist_ok=True)
    out = open(RES, "a")
    for r in range(R):
        seed = 777_001 + 13 * r
        text = gen.dataset(seed, PAIRS, 0)
        open(f"{work}/in.csv", "w").write(text)
        rows = [l.split(",") for l in text.splitlines()[1:]]
        old = np.array([[float(v) for v in l[3:]] for l in rows if l[2] == "old"])
        p = subprocess.run([os.path.abspath(os.environ.get("KOMPASS", "target/release/kompass")), "link", "--input", f"{work}/in.csv", "--out", f"{work}/out", "--link-method",
                            "equipercentile", "--bootstrap", "500", "--link-seed", str(seed), "--force", "-q"], capture_output=True, text=True)
        if p.returncode: print(p.stderr[:300]); continue
        rec = {"seed": seed, "old": old.tolist(), "conc": {}}
        for row in csv.DictReader(open(f"{work}/out/concordance.csv")):
            if row["item"] != "total":
                rec["conc"].setdefault(row["item"], []).append([float(row["from_score"]), float(row["linked_score"]), row["linked_se"]])
        out.write(json.dumps(rec) + "\n"); out.flush()
    shutil.rmtree(work)
else:
    pop = gen.population(1_000_000)
    grid = np.arange(0, 100.25, 0.5)
    T = {}
    for j in range(8):
        x, y = pop["pair_old"][:, j], pop["pair_new"][:, j]
        lo, hi = np.quantile(x, [0.0005, 0.9995])
        pts = [g for g in grid if lo <= g <= hi]
        T[str(j + 1)] = dict(zip(pts, truth.kb_equipercentile(x, y, 0.5, 1.0, 100, 100, pts)))
    recs = [json.loads(l) for l in open(RES)]
    bins = {}  # key: pairs beyond (capped) -> hits
    for rec in recs:
        old = np.array(rec["old"])
        for it, rows in rec["conc"].items():
            xs = old[:, int(it) - 1]; med = np.median(xs)
            for fs, ls, se in rows:
                if fs not in T[it] or se == "": continue
                beyond = int((xs <= fs).sum()) if fs < med else int((xs >= fs).sum())
                key = "7-9" if beyond < 10 else "10-14" if beyond < 15 else "15-20" if beyond <= 20 else ">20"
                z = (fs - xs.mean()) / xs.std()
                zk = "|z|>1.5" if abs(z) > 1.5 else "|z|<=1.5"
                hit = abs(ls - T[it][fs]) <= stats.t.ppf(.975, PAIRS - 1) * float(se)
                bins.setdefault((key, zk), []).append(hit); bins.setdefault((key, "all"), []).append(hit)
    for k in sorted(bins):
        v = bins[k]; n = len(v); p = np.mean(v); h = 1.96 * np.sqrt(p * (1 - p) / n)
        print(k, f"{100*p:.1f}% ±{100*h:.1f} (n={n} point-intervals)")
