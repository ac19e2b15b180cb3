# Coverage of a linear (mean-sigma) link's 95 % intervals when the source
# scores tie (old scores rounded to 0.5 to 30 points), with the SE as kompass
# takes it: a bootstrap over municipalities (resamples without spread on the
# source scale dropped, deviations scaled by sqrt(n/(n-1))), the interval
# +- t(n-1) SE; and with the normal-theory SE of Kolen & Brennan (2014, ch. 7)
# as a floor, always or where resamples were dropped. Written independently
# of kompass's code (numpy); usage: python3 benches/coverage/ties.py [SETS]
# (200 data sets per size and rounding: about 10 s). The rows by
# `off_mode` (municipalities whose old score is not the most common one)
# and by the share of resamples dropped are the figures the README quotes.
import numpy as np, sys
from scipy import stats
rng = np.random.default_rng(1)
B = 400
def draw(n, w, rng):
    th = rng.normal(55, 10, n)
    x = 12 + 1.1*th + rng.normal(0, 4.4, n)
    x = np.clip(np.round(x / w) * w, 0, 200)
    y = np.clip(np.round(th + rng.normal(0, 4, n)), 0, 100)
    return x, y
def link(x, y, x0):
    sx = x.std(ddof=1); sy = y.std(ddof=1)
    return y.mean() + sy / sx * (x0 - x.mean())
truth = {}
for w in (0.5, 5, 10, 15, 20, 30):
    xb, yb = draw(2_000_000, w, np.random.default_rng(7))
    truth[w] = lambda x0, xb=xb, yb=yb: link(xb, yb, x0)
x0s = np.array([50.0, 60.0, 72.5, 85.0, 95.0])
rows = []
for n in (5, 6, 7, 8, 10, 12, 15):
    for w in (0.5, 5, 10, 15, 20, 30):
        tr = truth[w](x0s)
        for ds in range(int(sys.argv[1]) if len(sys.argv) > 1 else 200):
            x, y = draw(n, w, rng)
            if x.std() == 0 or y.std() == 0:
                continue
            est = link(x, y, x0s)
            idx = rng.integers(0, n, (B, n))
            xs, ys = x[idx], y[idx]
            sxs = xs.std(axis=1, ddof=1); ok = sxs > 1e-9
            drop = 1 - ok.mean()
            xs, ys, sxs = xs[ok], ys[ok], sxs[ok]
            reps = ys.mean(1)[:, None] + (ys.std(1, ddof=1) / sxs)[:, None] * (x0s[None, :] - xs.mean(1)[:, None])
            k = np.sqrt(n / (n - 1))
            se = k * reps.std(axis=0, ddof=1)
            t = stats.t.ppf(0.975, n - 1)
            cov = np.abs(est - tr) <= t * se
            # normal-theory SE (Kolen & Brennan, single group)
            r = np.corrcoef(x, y)[0, 1]
            z = (x0s - x.mean()) / x.std(ddof=1)
            se_n = np.sqrt(y.var(ddof=1) * (1 - r) * (2 + (1 + r) * z**2) / n)
            err = np.abs(est - tr)
            v = [se, np.maximum(se, se_n), se_n if drop > 0 else se, se_n if drop > 0.01 else se, np.maximum(se, se_n) if drop > 0 else se, np.maximum(se, se_n) if drop > 0.01 else se]
            covs = [err <= t * q for q in v]
            wid = [q / se for q in v]
            cov_n = covs[1]
            distinct = len(np.unique(x))
            vals, counts = np.unique(x, return_counts=True)
            off_mode = n - counts.max()
            for j in range(len(x0s)):
                rows.append((n, w, drop, cov[j], cov_n[j], distinct, off_mode, j) + tuple(c[j] for c in covs) + tuple(q[j] for q in wid))

R = np.array(rows, dtype=float)
names = ["boot","max","norm|d>0","norm|d>1%","max|d>0","max|d>1%"]
def show(label, m):
    print(f"{label:22s} {int(m.sum()):6d} " + " ".join(f"{R[m,8+i].mean():.3f}/{np.median(R[m,14+i]):.2f}" for i in range(6)))
print(" "*29 + "  ".join(names))
print("(each cell: coverage / median SE ratio to the bootstrap's; kompass since 2026-12-02 is")
print(" `max|d>0` where at least 2 municipalities are off the modal score, no SE where fewer)")
show("all", R[:,0] > 0)
show("off_mode >= 2", R[:,6] >= 2)
for k in range(1, 6):
    show(f"off_mode={k}", R[:,6] == k)
for lo, hi in [(0,1e-9),(1e-9,0.01),(0.01,0.05),(0.05,0.2),(0.2,1.1)]:
    show(f"drop [{lo},{hi})", (R[:,2] >= lo) & (R[:,2] < hi))
for j in range(5):
    show(f"x0 #{j}", R[:,7] == j)
