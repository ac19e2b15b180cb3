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
of 21-51 municipalities, old -> new of 65-80), and every `cross-scale`
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
new, 2020 -> new; a change through both, or a year scored on old and 2020,
synth does not make, and `end_of` would take old where kompass takes the
smaller SE) and by |z| of the linked end (its distance from
the link's pairs' mean in their SDs), each with an SE from the spread
of the per-set shares (the changes of one set share its links). Ends
that match no score of the municipality are counted and said (none
expected). Then the `cross-scale` rows of `trend_summary.csv` with an
interval (n >= 2): each (country, item, step) row's `ci_low`..`ci_high` against
that step's mean true change over the other R - 1 sets' changes (the
population's, which each set samples; its own left out, which at small R
would pull the truth toward the estimate), and beside it the rule before
the degrees of freedom (Welch-Satterthwaite with the fewest
municipalities of its links - 1, `benches/peers/intervals.py`; the old
code left out a link whose terms cancel, which no summary here has), by
step kind, the links its changes went through and n. KOMPASS names the binary (default target/release/kompass).
Needs numpy and scipy. About 0.5 s per set on 2 cores.
"""
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

from eq_synth import rows, share

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
from intervals import half_width, t975  # noqa: E402

LINKED = ("old", "2020")


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
    summaries = []  # one dict per cross-scale row of a set's trend_summary.csv
    counts = defaultdict(int)
    with tempfile.TemporaryDirectory(prefix="change_synth.") as work:
        for s in range(first, first + sets):
            data, out = os.path.join(work, f"d{s}"), os.path.join(work, f"o{s}")
            run = lambda *a: subprocess.run([binary, *a, "-q"], check=True, capture_output=True)
            run("synth", "-n", str(size), "--seed", str(s), "--countries", "SE,NO,DK", "-o", data)
            run("run", "-i", os.path.join(data, "evaluations.csv"), "--register",
                os.path.join(data, "meta", "register.csv"), "-o", out, "--charts", "none",
                "--report", "none", "--link-seed", str(s))
            steps = check_changes(s, out, truth, hits, counts)
            summaries += read_summaries(s, out, steps, counts)
            subprocess.run(["rm", "-rf", data, out], check=True)
            print(f"set {s}: {len(hits[('kompass', 'all')])} changes so far", file=sys.stderr)
    report(hits, sets, counts)
    check_summaries(summaries, sets)


def check_changes(s, out, truth, hits, counts):
    """Counts in `hits` whether each cross-scale change of the set `s`
    covers its truth; returns {(country, item, step_kind, step): [(true change,
    [(scale linked from, the link's n_municipalities)])]} for the
    summaries."""
    conc, raw = concordance(out), scores(out)
    source = {k[:2]: v[3] for k, v in conc.items()}
    links = {(r["from_scale"], r["to_item"]): r for r in rows(os.path.join(out, "linking.csv"))}
    steps = defaultdict(list)
    for r in rows(os.path.join(out, "trends.csv")):
        if r["scale"] != "cross-scale":
            continue
        ends = [end_of(float(r[f"{side}_score"]), (r["country"], r["municipality_code"],
                r[f"{side}_year"], r["item"]), raw, conc, source) for side in ("from", "to")]
        if None in ends:
            counts["unmatched"] += 1
            continue
        true = [v if scale == "new" else truth[key][0] for scale, key, v in ends]
        used = [links[key[:2]] for scale, key, _ in ends if scale != "new"]
        through = [(k["from_scale"], int(k["n_municipalities"])) for k in used]
        for key in (("round", f"{r['round_from']}→{r['round_to']}"),
                    ("years", f"{r['from_year']}→{r['to_year']}")):
            steps[(r["country"], r["item"], *key)].append((true[1] - true[0], through))
        if not r["delta_se"]:
            counts["skipped"] += 1
            continue
        err = float(r["delta"]) - (true[1] - true[0])
        t_df, t_n1, zs = 0.0, 0.0, []
        for (scale, key, x), link in zip([e for e in ends if e[0] != "new"], used):
            n1 = int(link["n_municipalities"]) - 1
            df = conc[key][2]
            t_df = max(t_df, t975(n1 if df is None else df))
            t_n1 = max(t_n1, t975(n1))
            zs.append(abs(x - float(link["mean_from"])) / float(link["sd_from"]))
        kind = " + ".join(sorted({e[0] for e in ends if e[0] != "new"})) + " -> new"
        band = "|z| < 1" if max(zs) < 1 else "1 <= |z| < 2" if max(zs) < 2 else "|z| >= 2"
        se = float(r["delta_se"])
        for rule, t in (("kompass", t_df), ("n - 1", t_n1)):
            covered = abs(err) <= t * se
            for group in ("all", kind, f"{kind}, {band}"):
                hits[(rule, group)].append((s, covered))
    return steps


def read_summaries(s, out, steps, counts):
    """The cross-scale rows of the set's trend_summary.csv with an
    interval, each with the sum of its changes' true values, the scales
    they were linked from and the fewest municipalities of those links."""
    found = []
    for r in rows(os.path.join(out, "trend_summary.csv")):
        if r["scale"] != "cross-scale":
            continue
        key = (r["country"], r["item"], r["step_kind"], r["step"])
        changes = steps.get(key, [])
        if len(changes) != int(r["n"]):
            counts["summary n differs"] += 1
            continue
        if not r["ci_low"] or not r["se_link"]:
            counts["summary without an interval"] += 1
            continue
        found.append({
            "set": s, "key": key, "n": int(r["n"]), "truth_sum": sum(c for c, _ in changes),
            "fewest": min(p for _, ps in changes for _, p in ps),
            "through": sorted({scale for _, ps in changes for scale, _ in ps}),
            **{k: float(r[k]) for k in ("mean_delta", "se_sampling", "se_link", "ci_low", "ci_high")},
        })
    return found


def check_summaries(summaries, sets):
    """A summary's interval against the step's mean true change over the
    other sets (the population's: each set's changes are a sample of it), with
    kompass's `ci_low`/`ci_high` and with the rule before the degrees of
    freedom (Welch-Satterthwaite with the fewest municipalities - 1)."""
    total, n = defaultdict(float), defaultdict(int)
    for v in summaries:
        total[v["key"]] += v["truth_sum"]
        n[v["key"]] += v["n"]
    hits = defaultdict(list)
    for v in summaries:
        others = n[v["key"]] - v["n"]
        if others == 0:
            continue
        mu = (total[v["key"]] - v["truth_sum"]) / others
        kompass = v["ci_low"] <= mu <= v["ci_high"]
        before = abs(v["mean_delta"] - mu) <= half_width(v["n"], v["se_sampling"], v["se_link"], v["fewest"])
        kind = v["key"][2]
        what = f"{kind}, {' + '.join(v['through'])} -> new"
        size = "n < 10" if v["n"] < 10 else "n 10-29" if v["n"] < 30 else "n >= 30"
        for group in ("all", what, size):
            hits[("kompass", group)].append((v["set"], kompass))
            hits[("n - 1", group)].append((v["set"], before))
    print(f"trend_summary.csv, cross-scale rows with an interval, against the step's mean true "
          f"change over the other {sets - 1} sets")
    table(hits, "summaries")


def report(hits, sets, counts):
    print(f"{sets} sets; {counts['unmatched']} changes whose ends match no score, "
          f"{counts['skipped']} without a delta_se, {counts['summary n differs']} summaries whose n "
          f"differs from their changes, {counts['summary without an interval']} without an interval")
    table(hits, "changes")


def table(hits, what):
    print(f"{what:<32} {'kompass t':>16} {'t(n - 1)':>16} {'n':>8}")
    for group in sorted({g for _, g in hits}, key=lambda g: (g != "all", g)):
        a, b = hits[("kompass", group)], hits[("n - 1", group)]
        (pa, sa, n), (pb, sb, _) = share(a), share(b)
        print(f"{group:<32} {100 * pa:>8.1f} % ± {100 * sa:.1f} {100 * pb:>8.1f} % ± {100 * sb:.1f} {n:>8}")


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], int(a[1]), *(int(v) for v in a[2:4]))
