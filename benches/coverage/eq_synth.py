"""End-to-end coverage of equipercentile intervals on `kompass synth`
data, whose scores are whole and half points (README, "Scale linking").

usage: eq_synth.py TRUTH R [FIRST_SEED [METHOD [FROM_SCALE [N]]]]

TRUTH is the output folder of `kompass link --link-method equipercentile
--bootstrap 0` on a large generation (`kompass synth -n 1000000 --seed 7
--countries SE,NO,DK`: about 24,000 old -> new pairs per item, so its
concordance is the population link to within a few hundredths of the
SE checked here). Then R generations of `synth -n 5000` (seeds
FIRST_SEED.., 101-151 pairs per item) are linked the same way with the
default bootstrap, in a private folder under /tmp, and each score point
with a `linked_se` is checked: is the true link within
t(0.975, linked_df) x linked_se of the estimate (linked_df from
concordance.csv; n_municipalities - 1 where it has none, or everywhere
with EQ_SYNTH_PLAIN=1)? Prints, per
item and pooled, the share covered (with a binomial SE, which is too
small: the points of one link are correlated; the spread of the per-set
shares gives an honest one), and at three fixed old scores per item (the
large generation's pairs' mean and +-1 SD, rounded to score points) the coverage, the SD of
the estimates and the median and root-mean-square SE over that SD.

METHOD (default equipercentile), FROM_SCALE (default old) and N (the
evaluations per generation, default 5000) check another link the same
way: `linear 2020 3000` with TRUTH a `link --link-method linear
--bootstrap 0` of the same large generation checks the 2020 -> new
linear links of 21-51 municipalities (the population's mean-sigma line
as the truth).

EQ_SYNTH_RECORD=FILE also writes every checked point (set, item, score,
estimate, truth, se and the set's link's n_municipalities, mean_from,
sd_from and r, and the point's linked_df) to FILE, to try other interval rules on the same links.

KOMPASS names the binary (default target/release/kompass). Needs
numpy and scipy. About 1.5 s per set on 2 cores.
"""
import csv
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
from scipy import stats


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def concordance(out, scale):
    """{(item, score): (linked, se or None, df or None)} of the links from
    `scale` (df the SE's degrees of freedom where kompass writes them)."""
    found = {}
    for r in rows(os.path.join(out, "concordance.csv")):
        if r["from_scale"] == scale:
            se = float(r["linked_se"]) if r["linked_se"] else None
            df = float(r["linked_df"]) if r.get("linked_df") else None
            found[(r["item"], float(r["from_score"]))] = (float(r["linked_score"]), se, df)
    return found


def main(truth_out, sets, first, method="equipercentile", scale="old", size="5000"):
    binary = os.path.abspath(os.environ.get("KOMPASS", "target/release/kompass"))
    truth = {k: v[0] for k, v in concordance(truth_out, scale).items()}
    centre = {}  # item -> the population's mean and +-1 SD, on score points
    for r in rows(os.path.join(truth_out, "linking.csv")):
        if r["from_scale"] == scale:
            m, sd = float(r["mean_from"]), float(r["sd_from"])
            points = sorted(x for item, x in truth if item == r["item"])
            h = points[1] - points[0]
            centre[r["item"]] = [round(v / h) * h for v in (m - sd, m, m + sd)]
    hits = defaultdict(list)  # item -> [(set, covered)]
    fixed = defaultdict(list)  # (item, score) -> [(estimate - truth, se, covered)]
    plain = os.environ.get("EQ_SYNTH_PLAIN") == "1"
    path = os.environ.get("EQ_SYNTH_RECORD")
    record = open(path, "w") if path else None
    if record:
        record.write("set,item,score,estimate,truth,se,n_municipalities,mean_from,sd_from,r,df\n")
    with tempfile.TemporaryDirectory(prefix="eq_synth.") as work:
        for s in range(first, first + sets):
            data, out = os.path.join(work, f"d{s}"), os.path.join(work, f"o{s}")
            run = lambda *a: subprocess.run([binary, *a, "-q"], check=True, capture_output=True)
            run("synth", "-n", size, "--seed", str(s), "--countries", "SE,NO,DK", "-o", data)
            run("link", "-i", os.path.join(data, "evaluations.csv"), "--register",
                os.path.join(data, "meta", "register.csv"), "-o", out,
                "--link-method", method, "--link-seed", str(s))
            links = {r["item"]: r for r in rows(os.path.join(out, "linking.csv"))
                     if r["from_scale"] == scale and r["method"] == method}
            for (item, x), (est, se, df) in concordance(out, scale).items():
                if item not in links or se is None or (item, x) not in truth:
                    continue
                n1 = int(links[item]["n_municipalities"]) - 1
                t = stats.t.ppf(0.975, n1 if df is None or plain else df)
                covered = abs(est - truth[(item, x)]) <= t * se
                hits[item].append((s, covered))
                if record:
                    k = links[item]
                    record.write(",".join(str(v) for v in (
                        s, item, x, est, truth[(item, x)], se, k["n_municipalities"],
                        k["mean_from"], k["sd_from"], k["r"], "" if df is None else df)) + "\n")
                if x in centre[item]:
                    fixed[(item, centre[item].index(x))].append((est - truth[(item, x)], se, covered))
            subprocess.run(["rm", "-rf", data, out], check=True)
            print(f"set {s}: {sum(len(v) for v in hits.values())} points so far", file=sys.stderr)
    if record:
        record.close()
    report(hits, fixed, sets)


def share(pairs):
    """The share covered of pairs [(set, covered)], its SE from the spread
    of the per-set shares (a set's points share its links; NaN for one
    set) and the count (also used by change_synth.py)."""
    per_set = defaultdict(list)
    for s, c in pairs:
        per_set[s].append(c)
    means = [np.mean(v) for v in per_set.values()]
    se = np.std(means, ddof=1) / np.sqrt(len(means)) if len(means) > 1 else float("nan")
    return np.mean([c for _, c in pairs]), se, len(pairs)


def report(hits, fixed, sets):
    everything = [p for v in hits.values() for p in v]
    p, se, n = share(everything)
    print(f"{sets} sets: pooled coverage {100 * p:.1f} % +- {100 * se:.1f} (by set) over {n} points")
    for item in sorted(hits, key=lambda i: (len(i), i)):
        p, se, n = share(hits[item])
        print(f"  item {item:>5}: {100 * p:.1f} % +- {100 * se:.1f} ({n} points)")
    print("fixed old scores (the population's mean - 1 SD, mean, + 1 SD): coverage, SD of the "
          "estimate, median and rms SE / SD")
    for where in range(3):
        got = [v for (item, w), vs in fixed.items() if w == where for v in vs]
        ratios = []
        for (item, w), vs in fixed.items():
            if w == where and len(vs) >= 10:
                d = np.array([v[0] for v in vs]); s = np.array([v[1] for v in vs])
                ratios.append((np.median(s) / d.std(ddof=1), np.sqrt((s ** 2).mean()) / d.std(ddof=1)))
        r = np.array(ratios)
        print(f"  {['-1 SD', 'mean', '+1 SD'][where]:>6}: {100 * np.mean([v[2] for v in got]):.1f} % "
              f"of {len(got)}; median SE/SD {np.median(r[:, 0]):.2f}, rms SE/SD {np.median(r[:, 1]):.2f} "
              f"(median over {len(r)} item-scores)")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), int(a[2]) if len(a) > 2 else 1000, *a[3:6])
