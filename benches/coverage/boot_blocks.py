"""How much a linear link's bootstrap `slope_se` moves from one draw of
1,000 replicates to another (README, "Uncertainty": the default seed's
draw on the shipped sample's old area 7), independently of kompass:

    python3 benches/coverage/boot_blocks.py OUT FROM_SCALE ITEM [MEASURED]

OUT is a `kompass run` output folder (plain CSV). The dual-scored pairs
(an evaluation year scored on FROM_SCALE's ITEM and on `new`'s item it is
linked to, from `linking.csv`) are resampled by municipality 2,000,000
times with numpy; each resample's mean-sigma slope (sd_new / sd_from; a
resample without spread is dropped, as kompass drops it); the SE of each
block of 1,000, scaled by sqrt(n / (n - 1)) as kompass scales it, and the
share of blocks at MEASURED or above. One pair per municipality is
assumed (the shipped sample's old links), and checked.
"""
import csv
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "peers"))
from common import need  # noqa: E402

np = need("numpy")
out, scale, item = sys.argv[1:4]
measured = float(sys.argv[4]) if len(sys.argv) > 4 else None
with open(f"{out}/linking.csv", encoding="utf-8", newline="") as f:
    to_item = next(r["to_item"] for r in csv.DictReader(f)
                   if r["from_scale"] == scale and r["item"] == item and r["to_scale"] == "new")
scores = {}
with open(f"{out}/evaluations.csv", encoding="utf-8", newline="") as f:
    for r in csv.DictReader(f):
        scores[(r["country"], r["municipality_code"], r["eval_year"], r["scale"], r["item"])] = float(r["score"])
pairs = defaultdict(list)
for (c, m, y, s, i), x in scores.items():
    if s == scale and i == item and (c, m, y, "new", to_item) in scores:
        pairs[(c, m)].append((x, scores[(c, m, y, "new", to_item)]))
if any(len(v) != 1 for v in pairs.values()):
    sys.exit("a municipality with more than one pair: not this script's case")
x = np.array([v[0][0] for v in pairs.values()])
y = np.array([v[0][1] for v in pairs.values()])
n = len(x)
slope = y.std(ddof=1) / x.std(ddof=1)
draws = np.random.default_rng(5).integers(0, n, size=(2_000_000, n))
sx, sy = x[draws].std(axis=1, ddof=1), y[draws].std(axis=1, ddof=1)
kept = sx > 0
dev = sy[kept] / sx[kept] - slope
blocks = dev[: len(dev) // 1000 * 1000].reshape(-1, 1000)
se = np.sqrt(n / (n - 1)) * blocks.std(axis=1)
q = np.quantile(se, [0.01, 0.05, 0.5, 0.95, 0.99])
print(f"{scale} {item} -> new {to_item}: {n} municipalities, slope {slope:.4f}, "
      f"{int((~kept).sum())} resamples dropped")
print("slope_se of 1,000-replicate blocks, quantiles 1 5 50 95 99 %:", " ".join(f"{v:.4f}" for v in q))
print(f"resamples with a slope more than 0.5 from the link's: 1 in {1 / np.mean(np.abs(dev) > 0.5):,.0f}")
if measured is not None:
    print(f"blocks with slope_se {measured} or more: {np.mean(se >= measured):.2%}")
