# Coverage of a linear (mean-sigma) link's 95 % intervals when every
# municipality's old score is one of two (50 or 80, by a latent cut at a
# share p80 at 80): the bootstrap SE as kompass takes it, and with the
# normal-theory floor where resamples were dropped (see ties.py). Only data
# sets with at least two municipalities on each side (others kompass leaves
# unestimated). Written independently of kompass's code (numpy); usage:
# python3 benches/coverage/two_scores.py (about 20 s). Columns: coverage at
# old 50, 65 and 80.
import numpy as np, sys
from scipy import stats
B=400
def draw(n, p80, rng):
    th = rng.normal(55, 10, n)
    xc = 12 + 1.1*th + rng.normal(0, 4.4, n)
    cut = np.quantile(12 + 1.1*np.random.default_rng(3).normal(55,10,200000) + np.random.default_rng(4).normal(0,4.4,200000), 1-p80)
    x = np.where(xc > cut, 80.0, 50.0)
    y = np.clip(np.round(th + rng.normal(0, 4, n)), 0, 100)
    return x, y
def link(x, y, x0):
    return y.mean() + y.std(ddof=1)/x.std(ddof=1)*(x0 - x.mean())
for n in (5,6,8,10,12):
  for p80 in (0.2, 1/3, 0.5):
    rng = np.random.default_rng(11)
    xb, yb = draw(1_000_000, p80, np.random.default_rng(7))
    x0s = np.array([50.0, 65.0, 80.0]); tr = link(xb, yb, x0s)
    res = {"boot":[], "max":[], "drop":[], "off":[]}
    for ds in range(300):
        x, y = draw(n, p80, rng)
        off = n - max((x==50).sum(), (x==80).sum())
        if off < 2 or y.std()==0: continue
        est = link(x, y, x0s)
        idx = rng.integers(0, n, (B, n)); xs, ys = x[idx], y[idx]
        sxs = xs.std(1, ddof=1); ok = sxs > 1e-9
        drop = 1-ok.mean(); xs, ys, sxs = xs[ok], ys[ok], sxs[ok]
        reps = ys.mean(1)[:,None] + (ys.std(1,ddof=1)/sxs)[:,None]*(x0s[None,:]-xs.mean(1)[:,None])
        se = np.sqrt(n/(n-1))*reps.std(0, ddof=1)
        r = np.corrcoef(x,y)[0,1]; z=(x0s-x.mean())/x.std(ddof=1)
        sen = np.sqrt(y.var(ddof=1)*(1-r)*(2+(1+r)*z**2)/n)
        t = stats.t.ppf(0.975, n-1); err = np.abs(est-tr)
        res["boot"].append(err <= t*se); res["max"].append(err <= t*(np.maximum(se,sen) if drop>0 else se)); res["drop"].append(drop)
    b=np.array(res["boot"]); m=np.array(res["max"])
    print(f"n={n:2d} p80={p80:.2f} sets={len(b)} drop={np.mean(res['drop']):.3f} boot={b.mean(0).round(3)} max={m.mean(0).round(3)}")
