"""Run kompass on R independently generated data sets; store parsed estimates + SEs.
usage: run.py NAME PAIRS PANEL SHIFT REL METHOD R [BOOT]"""
import csv, json, os, shutil, subprocess, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen

name, pairs, panel, shift, rel, method, R = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5], sys.argv[6], int(sys.argv[7])
boot = sys.argv[8] if len(sys.argv) > 8 else "1000"
truth = json.load(open("/tmp/covaudit/truth.json"))[f"{shift}_{rel}"]
work = f"/tmp/covaudit/runs/{name}"
os.makedirs(work, exist_ok=True)
outf = open(f"/tmp/covaudit/results/{name}.jsonl", "w")
rd = lambda p: list(csv.DictReader(open(p, encoding="utf-8")))
base = abs(hash(name)) % 10**6 * 1000
for r in range(R):
    seed = int(os.environ.get("SEEDOFF", "0")) + 1_000_003 * (1 + r) + int(pairs * 7919 + panel * 31 + shift * 100 + (rel == "unequal") * 5)
    inp = f"{work}/in.csv"
    open(inp, "w").write(gen.dataset(seed, pairs, panel, shift, rel=rel))
    out = f"{work}/out"
    cmd = [os.path.abspath(os.environ.get("KOMPASS", "target/release/kompass")), "run", "--input", inp, "--out", out, "--charts", "none", "--report", "none",
           "--basis", "all", "--bootstrap", boot, "--link-seed", str(seed % 10**9), "--force", "-q"]
    if method != "auto":
        cmd += ["--link-method", method]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode not in (0,):
        print("rc", p.returncode, p.stderr[:500]); continue
    rec = {"rep": r, "seed": seed, "items": {}}
    for row in rd(f"{out}/linking.csv"):
        rec["items"][row["item"]] = {k: row[k] for k in ("method", "n_pairs", "slope", "intercept", "slope_se", "intercept_se", "boot_dropped")}
    conc = {}
    for row in rd(f"{out}/concordance.csv"):
        it = row["item"]
        if it in rec["items"] and float(row["from_score"]) in truth[it]["pts"]:
            conc.setdefault(it, {})[row["from_score"]] = (row["linked_score"], row["linked_se"])
    for it in rec["items"]:
        rec["items"][it]["conc"] = [conc.get(it, {}).get(("%g" % x), None) for x in truth[it]["pts"]]
    for row in rd(f"{out}/trend_summary.csv"):
        if row["scale"] == "cross-scale" and row["step_kind"] == "round" and row["item"] in rec["items"]:
            rec["items"][row["item"]]["trend"] = {k: row[k] for k in ("n", "mean_delta", "sd", "se_sampling", "se_link", "se_total", "ci_low", "ci_high")}
    for row in rd(f"{out}/averages.csv"):
        if row["scale"] == "linked" and row["grouping"] == "eval_year" and row["group"] == "SE 2008" and row["item"] in rec["items"]:
            rec["items"][row["item"]]["avg"] = {k: row.get(k, "") for k in ("n", "mean", "sd", "se", "se_link", "ci_low", "ci_high")}
    outf.write(json.dumps(rec) + "\n"); outf.flush()
shutil.rmtree(work)
