"""Coverage of the intervals of cross-scale changes (a municipality's
change between two rounds on different scales, through a linear link) on
`kompass synth` data, with the t kompass takes and with t(n - 1).

usage: change_synth.py TRUTH R [FIRST_SEED [N]]

TRUTH is the output folder of `kompass link --link-method linear
--bootstrap 0` on a large generation (`kompass synth -n 1000000 --seed 7
--countries SE,NO,DK`: 11,700-12,100 pairs per 2020 -> new link and
24,000-25,000 per old -> new one), whose concordance is taken as the
population's mean-sigma line. Then R generations of `synth -n N` (default
3000; seeds FIRST_SEED.., default 1001) go through `kompass run` in a
private folder under /tmp (every link `linear` at this size: 2020 -> new
of 21-51 municipalities, old -> new of about 80), and every `cross-scale`
row of `trends.csv` with a `delta_se` is checked against the same change
through the true link: each end is found among the municipality's own
scores (`evaluations.csv`: a new score as it is, or an old or 2020 score
whose concordance point is the end's value), the truth is the difference
of the ends through TRUTH's concordance, and the change is covered when
|delta - truth| <= t x delta_se, t the larger of its linked ends'
t(0.975, df) (README, "Degrees of freedom of a linking SE": df that
end's `linked_df` in the set's concordance.csv, the report's rule; with
"n - 1" the link's n_municipalities - 1, the rule before 2026-12-04).

Prints the share covered by the links the changes went through (old ->
new, 2020 -> new, both) and by |z| of the linked end (its distance from
the link's pairs' mean in their SDs), each with an SE from the spread
of the per-set shares (the changes of one set share its links). Ends
that match no score of the municipality are counted and said (none
expected). KOMPASS names the binary (default target/release/kompass).
Needs numpy and scipy. About 0.5 s per set on 2 cores.
"""
import csv
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

import numpy as np
from scipy import stats

LINKED = ("old", "2020")


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def concordance(out):
    """{(from_scale, to_item, score): (linked, se or None, df or None, item)}."""
    found = {}
    for r in rows(os.path.join(out, "concordance.csv")):
        se = float(r["linked_se"]) if r["linked_se"] else None
        df = float(r["linked_df"]) if r.get("linked_df") else None
        key = (r["from_scale"], r["to_item"], float(r["from_score"]))
        found[key] = (float(r["linked_score"]), se, df, r["item"])
    return found


def scores(out):
    """{(country, code, year, item, scale): score} of the run's evaluations."""
    return {(r["country"], r["municipality_code"], r["eval_year"], r["item"], r["scale"]):
            float(r["score"]) for r in rows(os.path.join(out, "evaluations.csv")) if r["score"]}


def end_of(value, key, raw, conc, source):
    """How one end of a change came to be: ("new", None, value) for a
    native new score, (scale, concordance key, source score) for a linked
    one, None where no score of the municipality gives it (`source`: the
    source item of each (scale, target item))."""
    country, code, year, item = key
    if raw.get((country, code, year, item, "new")) == value:
        return ("new", None, value)
    for scale in LINKED:
        x = raw.get((country, code, year, source.get((scale, item)), scale))
        hit = conc.get((scale, item, x))
        if hit is not None and abs(hit[0] - value) < 6e-5:
            return (scale, (scale, item, x), x)
    return None


def main(truth_out, sets, first=1001, size=3000):
    binary = os.path.abspath(os.environ.get("KOMPASS", "target/release/kompass"))
    truth = concordance(truth_out)
    hits = defaultdict(list)  # (rule, group) -> [(set, covered)]
    unmatched = skipped = 0
    with tempfile.TemporaryDirectory(prefix="change_synth.") as work:
        for s in range(first, first + sets):
            data, out = os.path.join(work, f"d{s}"), os.path.join(work, f"o{s}")
            run = lambda *a: subprocess.run([binary, *a, "-q"], check=True, capture_output=True)
            run("synth", "-n", str(size), "--seed", str(s), "--countries", "SE,NO,DK", "-o", data)
            run("run", "-i", os.path.join(data, "evaluations.csv"), "--register",
                os.path.join(data, "meta", "register.csv"), "-o", out, "--charts", "none",
                "--report", "none", "--link-seed", str(s))
            conc, raw = concordance(out), scores(out)
            source = {k[:2]: v[3] for k, v in conc.items()}
            links = {(r["from_scale"], r["to_item"]): r for r in rows(os.path.join(out, "linking.csv"))}
            for r in rows(os.path.join(out, "trends.csv")):
                if r["scale"] != "cross-scale":
                    continue
                if not r["delta_se"]:
                    skipped += 1
                    continue
                ends = [end_of(float(r[f"{side}_score"]), (r["country"], r["municipality_code"],
                        r[f"{side}_year"], r["item"]), raw, conc, source) for side in ("from", "to")]
                if None in ends:
                    unmatched += 1
                    continue
                true = [v if scale == "new" else truth[key][0] for scale, key, v in ends]
                err = float(r["delta"]) - (true[1] - true[0])
                t_df, t_n1, zs = 0.0, 0.0, []
                for scale, key, x in ends:
                    if scale == "new":
                        continue
                    link = links[key[:2]]
                    n1 = int(link["n_municipalities"]) - 1
                    df = conc[key][2]
                    t_df = max(t_df, stats.t.ppf(0.975, n1 if df is None else df))
                    t_n1 = max(t_n1, stats.t.ppf(0.975, n1))
                    zs.append(abs(x - float(link["mean_from"])) / float(link["sd_from"]))
                kind = " + ".join(sorted({e[0] for e in ends if e[0] != "new"})) + " -> new"
                band = "|z| < 1" if max(zs) < 1 else "1 <= |z| < 2" if max(zs) < 2 else "|z| >= 2"
                se = float(r["delta_se"])
                for rule, t in (("kompass", t_df), ("n - 1", t_n1)):
                    covered = abs(err) <= t * se
                    for group in ("all", kind, f"{kind}, {band}"):
                        hits[(rule, group)].append((s, covered))
            subprocess.run(["rm", "-rf", data, out], check=True)
            print(f"set {s}: {len(hits[('kompass', 'all')])} changes so far", file=sys.stderr)
    report(hits, sets, unmatched, skipped)


def report(hits, sets, unmatched, skipped):
    def share(pairs):
        per_set = defaultdict(list)
        for s, c in pairs:
            per_set[s].append(c)
        means = [np.mean(v) for v in per_set.values()]
        se = np.std(means, ddof=1) / np.sqrt(len(means)) if len(means) > 1 else float("nan")
        return 100 * np.mean([c for _, c in pairs]), 100 * se, len(pairs)
    print(f"{sets} sets; {unmatched} changes whose ends match no score, {skipped} without a delta_se")
    print(f"{'changes':<32} {'kompass t':>16} {'t(n - 1)':>16} {'n':>8}")
    for group in sorted({g for _, g in hits}, key=lambda g: (g != "all", g)):
        a, b = hits[("kompass", group)], hits[("n - 1", group)]
        (pa, sa, n), (pb, sb, _) = share(a), share(b)
        print(f"{group:<32} {pa:>8.1f} % ± {sa:.1f} {pb:>8.1f} % ± {sb:.1f} {n:>8}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), *(int(v) for v in a[2:4]))
