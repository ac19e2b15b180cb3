"""Estimands by Monte Carlo (1e6 draws) of the generating process in gen.py."""
import os
import json, sys
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen

ITEMS = [str(i) for i in range(1, 9)] + ["total"]
MAXS = [100.0] * 8 + [800.0]


def kb_equipercentile(xs, ys, hx, hy, xmax, ymax, points):
    """Kolen & Brennan percentile-rank equating with uniform continuization, population version."""
    gx = np.arange(0, xmax + hx / 2, hx)
    gy = np.arange(0, ymax + hy / 2, hy)
    fx = np.bincount(np.round(xs / hx).astype(int), minlength=len(gx))[: len(gx)] / len(xs)
    fy = np.bincount(np.round(ys / hy).astype(int), minlength=len(gy))[: len(gy)] / len(ys)
    Fx, Gy = np.cumsum(fx), np.cumsum(fy)
    out = []
    for x in points:
        i = int(round(x / hx))
        P = (Fx[i - 1] if i > 0 else 0.0) + 0.5 * fx[i]
        u = int(np.argmax(Gy > P))  # smallest y with G(y) > P
        Gm = Gy[u - 1] if u > 0 else 0.0
        yU = gy[u] - hy / 2 + hy * (P - Gm) / (Gy[u] - Gm)
        l = int(np.nonzero(Gy < P)[0].max()) if (Gy < P).any() else -1
        if l >= 0:
            yL = gy[l] + hy / 2 + hy * (P - Gy[l]) / (Gy[l + 1] - Gy[l])
        else:
            yL = yU
        out.append(0.5 * (yU + yL))
    return np.array(out)


def eq_link(x, y, top):
    """The population's equipercentile link of old scores x to new ones y
    (0 to top) as a function: at every half point the old scores reach,
    held at the ends beyond them, linear between."""
    grid = np.arange(0, top + 0.25, 0.5)
    inside = grid[(grid >= x.min()) & (grid <= x.max())]
    linked = kb_equipercentile(x, y, 0.5, 1.0, top, top, inside)
    return lambda v: np.interp(v, inside, linked)


def scenario_truth(shift, rel, gain=6.0, n=1_000_000):
    pop = gen.population(n, shift=shift, gain=gain, rel=rel)
    t = {}
    for j, it in enumerate(ITEMS):
        x, y = pop["pair_old"][:, j], pop["pair_new"][:, j]
        mx, sx, my, sy = x.mean(), x.std(), y.mean(), y.std()
        slope = sy / sx
        lin = lambda v: np.clip(my + slope * (v - mx), 0, MAXS[j])
        mean = lambda v: np.clip(v + my - mx, 0, MAXS[j])
        po, pn = pop["panel_old"][:, j], pop["panel_new"][:, j]
        # check points: pair old mean + k SD, on the half-point grid
        pts = [round(2 * (mx + k * sx)) / 2 for k in (-2, -1, 0, 1, 2)]
        eq = kb_equipercentile(x, y, 0.5, 1.0, MAXS[j], MAXS[j], pts)
        eq_of = eq_link(x, y, MAXS[j])  # for the linked average and the change
        # structural: panel's new-scale score in 2008 (no gain), E new(theta)

        t[it] = dict(mx=mx, sx=sx, my=my, sy=sy, slope=slope, int_lin=my - slope * mx, int_mean=my - mx,
                     pts=pts, lin_pts=list(lin(np.array(pts))), mean_pts=list(mean(np.array(pts))), eq_pts=list(eq),
                     avg2008_lin=lin(po).mean(), avg2008_mean=mean(po).mean(),
                     delta_lin=pn.mean() - lin(po).mean(), delta_mean=pn.mean() - mean(po).mean(),
                     avg2008_eq=eq_of(po).mean(), delta_eq=pn.mean() - eq_of(po).mean(),
                     panel_new_mean=pn.mean())
    # structural truth: E new-scale score of the panel in 2008 (same draws, no gain) and true change
    rng = np.random.default_rng(7)
    th = rng.normal(gen.MU + shift * gen.SD_THETA, gen.SD_THETA, (n, 8))
    y08 = gen.new_score(th, rng); y08 = np.c_[y08, y08.sum(1)]
    for j, it in enumerate(ITEMS):
        t[it]["avg2008_struct"] = y08[:, j].mean()
        t[it]["delta_struct"] = t[it]["panel_new_mean"] - y08[:, j].mean()
    return t


if __name__ == "__main__":
    res = {}
    for shift in (0.0, -1.0, -2.0):
        for rel in ("equal", "unequal"):
            res[f"{shift}_{rel}"] = scenario_truth(shift, rel)
    json.dump(res, open("/tmp/covaudit/truth.json", "w"), indent=1, default=float)
    for k, v in res.items():
        print(k)
        for it in ("1", "2", "total"):
            d = v[it]
            print(f"  {it}: slope {d['slope']:.4f} (1/b={1/gen.B[int(it)-1] if it!='total' else 0:.4f}) delta_lin {d['delta_lin']:.3f} delta_mean {d['delta_mean']:.3f} struct {d['delta_struct']:.3f} avg_lin {d['avg2008_lin']:.3f} struct {d['avg2008_struct']:.3f}")
            print("     lin", np.round(d['lin_pts'], 3), "eq", np.round(d['eq_pts'], 3))
