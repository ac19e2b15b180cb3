"""Equipercentile summaries with scores in the link's tails: coverage of the
linked 2008 average and the cross-scale change (run.py's records of an
`equipercentile` scenario) by the share of the panel's scores that lie in
the link's tails (kompass's rules: fewer than 7 pairs at or beyond, or
fewer than 10 beyond as the pairs' normal fit expects) and outside the
pairs' scores. The data sets are drawn again from their seeds (gen.py).
usage: eq_share.py NAME PAIRS PANEL SHIFT [RESULTS]"""
import json, sys, os
import numpy as np
from scipy import stats
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen, truth

name, pairs, panel, shift = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
res = sys.argv[5] if len(sys.argv) > 5 else f"/tmp/covaudit/results/{name}.jsonl"
T = json.load(open("/tmp/covaudit/truth.json"))[f"{shift}_equal"]
ITEMS = [str(i) for i in range(1, 9)] + ["total"]


def tail_share(x, p):
    """Shares of the panel's scores p outside the pairs' scores x and in the tails (outside included)."""
    xs = np.sort(x); n = len(xs); mean, sd = xs.mean(), xs.std(ddof=1)
    below = np.searchsorted(xs, p, side="right"); above = n - np.searchsorted(xs, p, side="left")
    expected = n * stats.norm.sf(np.abs(p - mean) / sd)
    tail = (np.minimum(below, above) < 7) | (expected < 10)
    outside = (p < xs[0]) | (p > xs[-1])
    return outside.mean(), tail.mean()


# The population's equipercentile link of every item at every half point
# the pairs reach (held at the ends beyond), for the link's error alone:
# the mean of the true link at the panel's own old scores.
pop = gen.population(1_000_000, shift=shift)
EQ = []
for j in range(9):
    x, y = pop["pair_old"][:, j], pop["pair_new"][:, j]
    top = 100.0 if j < 8 else 800.0
    grid = np.arange(0, top + 0.25, 0.5); inside = grid[(grid >= x.min()) & (grid <= x.max())]
    EQ.append((inside, truth.kb_equipercentile(x, y, 0.5, 1.0, top, top, inside)))
# EQ_SHARE_RULES="0.3,0.02 0.2,0.02": coverage among the data sets each
# such rule (share in the tails, share outside) gives an SE (records of a
# build that gives one whatever the shares; "given": how often it would).
RULES = [tuple(map(float, r.split(","))) for r in os.environ.get("EQ_SHARE_RULES", "").split()]
bins = {}
for line in open(res):
    rec = json.loads(line)
    rows = [l.split(",") for l in gen.dataset(rec["seed"], pairs, panel, shift).splitlines()[1:]]
    old_pairs = np.array([[float(v) for v in l[3:]] for l in rows[: 2 * pairs] if l[2] == "old"])
    old_panel = np.array([[float(v) for v in l[3:]] for l in rows[2 * pairs:] if l[2] == "old"])
    old_pairs = np.c_[old_pairs, old_pairs.sum(1)]; old_panel = np.c_[old_panel, old_panel.sum(1)]
    for j, it in enumerate(ITEMS):
        d = rec["items"][it]; out, tail = tail_share(old_pairs[:, j], old_panel[:, j])
        for rule in RULES:
            if tail <= rule[0] and out <= rule[1]:
                a = d.get("avg"); tr = d.get("trend")
                key = ("rule", f"tails<={rule[0]:g} outside<={rule[1]:g}")
                bins.setdefault(key + ("given",), []).append(True)
                if a:
                    cond = np.interp(old_panel[:, j], *EQ[j]).mean()
                    bins.setdefault(key + ("avg",), []).append(float(a["ci_low"]) <= T[it]["avg2008_eq"] <= float(a["ci_high"]) if a["ci_low"] != "" else None)
                    if a["se_link"] != "":
                        bins.setdefault(key + ("link",), []).append(abs(float(a["mean"]) - cond) <= stats.t.ppf(0.975, pairs - 1) * float(a["se_link"]))
                if tr and tr["ci_low"] != "":
                    bins.setdefault(key + ("trend",), []).append(float(tr["ci_low"]) <= T[it]["delta_eq"] <= float(tr["ci_high"]))
            else:
                bins.setdefault(("rule", f"tails<={rule[0]:g} outside<={rule[1]:g}", "given"), []).append(False)
        ob = "none out" if out == 0 else "<=2% out" if out <= 0.02 else "<=5% out" if out <= 0.05 else ">5% out"
        tb = "tail<=10%" if tail <= 0.10 else "tail<=20%" if tail <= 0.20 else "tail<=30%" if tail <= 0.3 else "tail<=50%" if tail <= 0.5 else "tail>50%"
        a = d.get("avg")
        if a and a["se_link"] != "":
            cond = np.interp(old_panel[:, j], *EQ[j]).mean()
            hit = abs(float(a["mean"]) - cond) <= stats.t.ppf(0.975, pairs - 1) * float(a["se_link"])
            for key in (("link", ob), ("link", tb), ("link", ob, tb)):
                bins.setdefault(key, []).append(hit)
        for what, est, true in (("avg", a, T[it]["avg2008_eq"]), ("trend", d.get("trend"), T[it]["delta_eq"])):
            if not est or est["ci_low"] == "": continue
            hit = float(est["ci_low"]) <= true <= float(est["ci_high"])
            for key in ((what, ob), (what, tb), (what, ob, tb)):
                bins.setdefault(key, []).append(hit)
for k in sorted(bins):
    v = [h for h in bins[k] if h is not None]; n = len(v); p = np.mean(v); h = 1.96 * np.sqrt(p * (1 - p) / n)
    print(" ".join(k), f"{100*p:.1f} % ±{100*h:.1f} (n = {n})")
