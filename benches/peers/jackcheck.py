"""An independent check of the SEs of a `linear` link of 5-8
municipalities (`make crosscheck`; `python3 jackcheck.py OUT`, OUT the
folder of a `kompass run` or `kompass link` with CSV outputs in the plain
dialect), recomputed from `evaluations.csv` and the instrument
definitions as the README's "Uncertainty" defines them: the jackknife over
municipalities (each left out in turn with all its pairs, the
mean-sigma line refitted on the rest), sqrt((N - 1)/N sum (e_-i - mean)^2),
with the normal-theory SE of the single-group design,
sqrt(s_y^2 (1 - r) (2 + (1 + r) z^2) / N), as its floor at every score;
the slope's SE likewise (floor sqrt(s_y^2 (1 - r^2) / N) / s_x), the
intercept's as the SE at score 0. Compared with `linking.csv`'s
`slope_se` and `intercept_se` and `concordance.csv`'s `linked_se` at
every score, to 5e-5 (kompass's 4 written decimals). The jackknife is
deterministic, so the figures are compared exactly, not statistically.
Exits 1 on any difference, or where OUT holds no such link (nothing
checked).
"""
import math
import sys

from links import Run
from output import config, differs, num, rows

TOLERANCE = 5e-5 + 1e-9


def line(pairs):
    """The mean-sigma line (slope, intercept) of pairs, None without
    spread on the source scale."""
    n = len(pairs)
    mx, my = sum(p[0] for p in pairs) / n, sum(p[1] for p in pairs) / n
    sx = math.sqrt(sum((p[0] - mx) ** 2 for p in pairs) / (n - 1))
    sy = math.sqrt(sum((p[1] - my) ** 2 for p in pairs) / (n - 1))
    if sx == 0:
        return None
    return sy / sx, my - sy / sx * mx


def jackknife(values):
    n = len(values)
    mean = sum(values) / n
    return math.sqrt((n - 1) / n * sum((v - mean) ** 2 for v in values))


def floor_of(pairs, n):
    """The normal-theory SE at a score x and the slope's, N municipalities."""
    k = len(pairs)
    mx, my = sum(p[0] for p in pairs) / k, sum(p[1] for p in pairs) / k
    vx = sum((p[0] - mx) ** 2 for p in pairs) / (k - 1)
    vy = sum((p[1] - my) ** 2 for p in pairs) / (k - 1)
    r = sum((p[0] - mx) * (p[1] - my) for p in pairs) / (k - 1) / math.sqrt(vx * vy)

    def at(x):
        z = (x - mx) / math.sqrt(vx)
        return math.sqrt(vy * (1 - r) * (2 + (1 + r) * z * z) / n)

    return at, math.sqrt(vy * (1 - r * r) / n) / math.sqrt(vx)


def main(out):
    run = Run(out, config(out))
    concordance = {}
    for r in rows(out, "concordance"):
        concordance.setdefault((r["from_scale"], r["item"]), []).append(r)
    checked, points, diffs = 0, 0, []
    for key, link in sorted(run.links.items()):
        municipalities = run.pairs[key]
        if link["method"] != "linear" or not 5 <= len(municipalities) <= 8 or link["slope_se"] == "":
            continue
        everything = [p for ps in municipalities.values() for p in ps]
        left_out = [line([p for m, ps in municipalities.items() if m != gone for p in ps])
                    for gone in municipalities]
        if any(f is None for f in left_out):
            diffs.append(("a fit leaving a municipality out has no spread", key))
            continue
        floor_at, floor_slope = floor_of(everything, len(municipalities))
        se_at = lambda x: max(jackknife([a + b * x for b, a in left_out]), floor_at(x))
        want = {
            "slope_se": max(jackknife([b for b, _ in left_out]), floor_slope),
            "intercept_se": se_at(0.0),
        }
        diffs += [(key, c, w, link[c]) for c, w in want.items() if differs(w, num(link[c]), TOLERANCE)]
        for c in concordance.get(key, []):
            x = float(c["from_score"])
            if differs(se_at(x), num(c["linked_se"]), TOLERANCE):
                diffs.append((key, "linked_se", x, se_at(x), c["linked_se"]))
            points += 1
        checked += 1
    print(f"jackknife links: {checked} checked ({points} score points), {len(diffs)} differ")
    for d in diffs[:8]:
        print("   ", d)
    if checked == 0 or diffs:
        print("jackcheck: DIFFER" if diffs else "jackcheck: no linear link of 5-8 municipalities to check")
        sys.exit(1)
    print("jackcheck: agree")


if __name__ == "__main__":
    main(sys.argv[1])
