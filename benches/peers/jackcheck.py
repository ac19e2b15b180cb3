"""An independent check of the SEs of a `linear` link of 5-8
municipalities (`make crosscheck`; `python3 jackcheck.py OUT`, OUT the
folder of a `kompass run` or `kompass link` with CSV outputs in the plain
dialect), recomputed from `evaluations.csv` and the instrument
definitions as the README's "Uncertainty" defines them (`jackknife.py`):
the jackknife over municipalities, each left out in turn with all its
pairs, with the normal-theory SE as its floor at every score; the
slope's SE likewise (floor sqrt(s_y^2 (1 - r^2) / N) / s_x), the
intercept's as the SE at score 0. Compared with `linking.csv`'s
`slope_se` and `intercept_se` and `concordance.csv`'s `linked_se` at
every score, to 5e-5 (kompass's 4 written decimals). The jackknife is
deterministic, so the figures are compared exactly, not statistically.
(The linking error of every summary through such a link is
`linkcheck.py`'s and `avgcheck.py`'s, from the same replicates.)
Exits 1 on any difference, or where OUT holds no such link (nothing
checked).
"""
import sys

from jackknife import of_run
from output import differs, num, rows

TOLERANCE = 5e-5 + 1e-9


def main(out):
    links = of_run(out)
    linked_se = {}
    for r in rows(out, "concordance"):
        linked_se[(r["from_scale"], r["item"], float(r["from_score"]))] = num(r["linked_se"])
    points, diffs = 0, []
    for key, (link, reps) in links.items():
        want = {"slope_se": reps.slope_se(), "intercept_se": reps.se_at(0.0)}
        diffs += [(key, c, w, link[c]) for c, w in want.items() if differs(w, num(link[c]), TOLERANCE)]
        for x in reps.points:
            if differs(reps.se_at(x), linked_se[(*key, x)], TOLERANCE):
                diffs.append((key, "linked_se", x, reps.se_at(x), linked_se[(*key, x)]))
            points += 1
    print(f"jackknife links: {len(links)} checked ({points} score points), {len(diffs)} differ")
    for d in diffs[:8]:
        print("   ", d)
    if not links or diffs:
        print("jackcheck: DIFFER" if diffs else "jackcheck: no linear link of 5-8 municipalities to check")
        sys.exit(1)
    print("jackcheck: agree")


if __name__ == "__main__":
    main(sys.argv[1])
