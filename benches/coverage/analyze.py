"""Coverage / SE-ratio analysis of results/*.jsonl against truth.json."""
import os
import json, sys, math
import numpy as np
from scipy import stats

TRUTH = json.load(open("/tmp/covaudit/truth.json"))
SCEN = {"kb10": ("0.0_equal", "lin"), "p30s": ("-1.0_equal", "lin"), "p5s": ("-1.0_equal", "lin"),
        "p3s": ("-1.0_equal", "mean"), "p3n12": ("-1.0_equal", "mean"), "p2n30": ("-1.0_equal", "mean"), "p4s": ("-1.0_equal", "mean"), "p30mean": ("0.0_equal", "mean"),
        "p150eq": ("0.0_equal", "eq"), "p150eq1s": ("-1.0_equal", "eq"), "p150eq2s": ("-2.0_equal", "eq"), "p100eq": ("0.0_equal", "eq"), "p100eq1s": ("-1.0_equal", "eq"), "p100s": ("-1.0_equal", "lin"), "p30unrel": ("-1.0_unequal", "lin"), "p100s_b": ("-1.0_equal", "lin"), "p10s": ("-1.0_equal", "lin"),
        "p4s2": ("-2.0_equal", "mean"), "p3s2": ("-2.0_equal", "mean"), "p5s2": ("-2.0_equal", "lin"),
        "p7s2": ("-2.0_equal", "lin"), "p8s": ("-1.0_equal", "lin")}
AREAS = [str(i) for i in range(1, 9)]


def wilson(k, n):
    if n == 0: return (float("nan"),) * 3
    p = k / n; z = 1.96; d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d; h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return p, c - h, c + h


def fmt(hits):
    hits = [h for h in hits if h is not None]
    k, n = sum(hits), len(hits)
    p, lo, hi = wilson(k, n)
    return f"{100*p:5.1f}% [{100*lo:4.1f},{100*hi:4.1f}] (n={n})"


def f(v):
    return float(v) if v not in ("", None) else None


def ratio(est, se):
    """SE ratio: RMS reported SE / empirical SD of estimates (per item)."""
    m = [(e, s) for e, s in zip(est, se) if e is not None and s is not None]
    if len(m) < 20: return None
    e, s = np.array(m).T
    return (math.sqrt(np.mean(s ** 2)) / np.std(e, ddof=1), np.median(s) / np.std(e, ddof=1))


def rng_(rs):
    rs = [r for r in rs if r is not None]
    if not rs: return "n/a"
    a = [r[0] for r in rs]; b = [r[1] for r in rs]
    return f"rms {min(a):.2f}-{max(a):.2f} (med {np.median(a):.2f}); medSE {min(b):.2f}-{max(b):.2f}"


def analyze(name):
    tkey, kind = SCEN[name]
    T = TRUTH[tkey]
    recs = [json.loads(l) for l in open(f"/tmp/covaudit/results/{name}.jsonl")]
    print(f"\n=== {name}: {len(recs)} data sets, truth {tkey}, method {recs[0]['items']['1']['method']}, pairs {recs[0]['items']['1']['n_pairs']}")
    for group, items in (("areas", AREAS), ("total", ["total"])):
        cov = {k: [] for k in ("slope", "int", "pt_t", "pt_z", "tr", "tr_struct", "avg_t", "avg_z", "avg_struct", "avg_samp_only", "avg_ci", "avg_ci_struct")}
        ptcov = {k: [] for k in range(5)}; ptz = {k: [] for k in range(5)}; ptmiss = {k: 0 for k in range(5)}
        rat = {k: [] for k in ("slope", "int", "tr", "avg")}; ptrat = {k: [] for k in range(5)}
        trmiss = 0; bias = []; per_item = {}
        for it in items:
            t = T[it]
            ts = t["slope"] if kind == "lin" else 1.0
            ti = t["int_lin"] if kind == "lin" else t["int_mean"]
            tpts = t["lin_pts"] if kind == "lin" else (t["mean_pts"] if kind == "mean" else t["eq_pts"])
            tdel = t["delta_mean"] if kind == "mean" else (t["delta_eq"] if kind == "eq" else t["delta_lin"])
            tavg = t["avg2008_mean"] if kind == "mean" else (t["avg2008_eq"] if kind == "eq" else t["avg2008_lin"])
            S = {k: ([], []) for k in ("slope", "int", "tr", "avg", 0, 1, 2, 3, 4)}
            for r in recs:
                d = r["items"][it]; n = int(d["n_pairs"]); tq = stats.t.ppf(0.975, n - 1)
                for key, tv, ek, sk in (("slope", ts, "slope", "slope_se"), ("int", ti, "intercept", "intercept_se")):
                    e, s = f(d[ek]), f(d[sk])
                    if e is not None and s is not None and kind != "eq":
                        if not (key == "slope" and kind == "mean"):
                            cov[key].append(abs(e - tv) <= tq * s); S[key][0].append(e); S[key][1].append(s)
                for k, c in enumerate(d["conc"]):
                    if c is None: ptmiss[k] += 1; continue
                    e, s = f(c[0]), f(c[1])
                    if s is None: ptmiss[k] += 1; continue
                    ptcov[k].append(abs(e - tpts[k]) <= tq * s); ptz[k].append(abs(e - tpts[k]) <= 1.96 * s)
                    cov["pt_t"].append(ptcov[k][-1]); cov["pt_z"].append(ptz[k][-1])
                    S[k][0].append(e); S[k][1].append(s)
                tr = d.get("trend")
                if tr:
                    lo, hi = f(tr["ci_low"]), f(tr["ci_high"])
                    if lo is None: trmiss += 1
                    else:
                        cov["tr"].append(lo <= tdel <= hi); cov["tr_struct"].append(lo <= t["delta_struct"] <= hi)
                        S["tr"][0].append(f(tr["mean_delta"])); S["tr"][1].append(f(tr["se_total"]))
                        bias.append(f(tr["mean_delta"]) - tdel)
                a = d.get("avg")
                if a and f(a["se_link"]) is not None:
                    m, se, sl, na = f(a["mean"]), f(a["se"]), f(a["se_link"]), int(a["n"])
                    st = math.sqrt(se ** 2 + sl ** 2)
                    nu = st ** 4 / (se ** 4 / (na - 1) + (sl ** 4 / (n - 1) if sl > 0 else 0))
                    q = stats.t.ppf(0.975, nu)
                    cov["avg_t"].append(abs(m - tavg) <= q * st); cov["avg_z"].append(abs(m - tavg) <= 1.96 * st)
                    cov["avg_struct"].append(abs(m - t["avg2008_struct"]) <= q * st)
                    cov["avg_samp_only"].append(abs(m - tavg) <= stats.t.ppf(0.975, na - 1) * se)
                    S["avg"][0].append(m); S["avg"][1].append(st)
                    # kompass's own interval (averages.csv's ci_low, ci_high, since 2026-11-30)
                    lo, hi = f(a.get("ci_low", "")), f(a.get("ci_high", ""))
                    if lo is not None and hi is not None:
                        cov["avg_ci"].append(lo <= tavg <= hi)
                        cov["avg_ci_struct"].append(lo <= t["avg2008_struct"] <= hi)
                        per_item.setdefault(it, []).append(cov["avg_ci_struct"][-1])
            for k in ("slope", "int", "tr", "avg"):
                rat[k].append(ratio(*S[k]))
            for k in range(5):
                ptrat[k].append(ratio(*S[k]))
        print(f" [{group}]")
        if cov["slope"]: print(f"   slope  ±t·se cover {fmt(cov['slope'])}   SE/SD {rng_(rat['slope'])}")
        if cov["int"]: print(f"   interc ±t·se cover {fmt(cov['int'])}   SE/SD {rng_(rat['int'])}")
        for k, lab in enumerate(("-2sd", "-1sd", "mean", "+1sd", "+2sd")):
            print(f"   linked@{lab:5s} ±t {fmt(ptcov[k])} ±1.96 {fmt(ptz[k])} no-SE {ptmiss[k]}  SE/SD {rng_(ptrat[k])}")
        print(f"   linked all pts ±t {fmt(cov['pt_t'])}  ±1.96 {fmt(cov['pt_z'])}")
        print(f"   trend CI cover(estimand) {fmt(cov['tr'])}  cover(structural) {fmt(cov['tr_struct'])}  empty {trmiss}  se_total/SD {rng_(rat['tr'])}  mean bias {np.mean(bias) if bias else float('nan'):.3f}")
        print(f"   avg2008 ±t(Welch) {fmt(cov['avg_t'])}  ±1.96 {fmt(cov['avg_z'])}  structural {fmt(cov['avg_struct'])}  sampling-only {fmt(cov['avg_samp_only'])}  se_tot/SD {rng_(rat['avg'])}")
        if cov["avg_ci"]: print(f"   avg2008 kompass ci_low..ci_high {fmt(cov['avg_ci'])}  structural {fmt(cov['avg_ci_struct'])}")
        if len(per_item) > 1:
            by = sorted((100 * np.mean(h), it) for it, h in per_item.items())
            print(f"   avg2008 kompass structural by area: {by[0][0]:.1f} % (area {by[0][1]}) to {by[-1][0]:.1f} % (area {by[-1][1]})")


for n in (sys.argv[1:] or SCEN):
    try: analyze(n)
    except FileNotFoundError: pass
