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
EQ = [truth.eq_link(pop["pair_old"][:, j], pop["pair_new"][:, j], truth.MAXS[j]) for j in range(9)]
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
        a, tr = d.get("avg"), d.get("trend")
        # Each interval's hit (None: no interval): the average's and the
        # change's against the truth, the linking error alone against the
        # mean of the true link at the panel's own scores.
        covers = lambda est, true: None if not est or est["ci_low"] == "" else float(est["ci_low"]) <= true <= float(est["ci_high"])
        hits = {"avg": covers(a, T[it]["avg2008_eq"]), "trend": covers(tr, T[it]["delta_eq"]), "link": None}
        if a and a["se_link"] != "":
            cond = EQ[j](old_panel[:, j]).mean()
            hits["link"] = abs(float(a["mean"]) - cond) <= stats.t.ppf(0.975, pairs - 1) * float(a["se_link"])
        for rule in RULES:
            key = ("rule", f"tails<={rule[0]:g} outside<={rule[1]:g}")
            given = tail <= rule[0] and out <= rule[1]
            bins.setdefault(key + ("given",), []).append(given)
            for what, hit in hits.items():
                if given:
                    bins.setdefault(key + (what,), []).append(hit)
        ob = "none out" if out == 0 else "<=2% out" if out <= 0.02 else "<=5% out" if out <= 0.05 else ">5% out"
        tb = "tail<=10%" if tail <= 0.10 else "tail<=20%" if tail <= 0.20 else "tail<=30%" if tail <= 0.3 else "tail<=50%" if tail <= 0.5 else "tail>50%"
        for what, hit in hits.items():
            if hit is not None:
                for key in ((what, ob), (what, tb), (what, ob, tb)):
                    bins.setdefault(key, []).append(hit)
for k in sorted(bins):
    v = [h for h in bins[k] if h is not None]; n = len(v); p = np.mean(v); h = 1.96 * np.sqrt(p * (1 - p) / n)
    print(" ".join(k), f"{100*p:.1f} % ±{100*h:.1f} (n = {n})")
