"""Independent data generator with known truth (kompass coverage audit).

Per area a (1..8), independent latent theta ~ N(mu_a + shift, sd_theta):
  new = clamp(round(theta + gain + N(0, sn)), 0, 100)            (whole points)
  old = clamp(round_half(c_a + b_a*theta + N(0, so_a)), 0, 100)  (half points)
Pairs: dual-scored in 2010 (old+new, same theta, no shift, no gain).
Panel: old in 2008 (theta), new in 2012 (theta + gain); theta shifted by `shift` SDs.
Wide layout, area columns only (total derived by kompass).
"""
import os
import numpy as np

AREAS = 8
MU = np.array([52., 48., 58., 55., 45., 60., 50., 54.])
B = np.array([1.1, 0.9, 1.15, 0.85, 1.05, 0.95, 1.1, 0.9])
OFF = np.array([11., 13.5, 4., 13., 16., -7., 4., 12.])  # old mean - new mean at pairs' mean
C = OFF + MU * (1 - B)
SD_THETA = 10.0
SN = 4.0


def params(rel="equal"):
    so = B * SN if rel == "equal" else np.full(AREAS, SN * 0.5)  # 'unequal': old more reliable
    return so


def new_score(theta, rng):
    return np.clip(np.round(theta + rng.normal(0, SN, theta.shape)), 0, 100)


def old_score(theta, rng, so):
    return np.clip(np.round(2 * (C + B * theta + rng.normal(0, so, theta.shape))) / 2, 0, 100)


def dataset(seed, pairs, panel, shift=0.0, gain=6.0, rel="equal"):
    rng = np.random.default_rng(seed)
    so = params(rel)
    codes = [l.split(",")[0] for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../data/reference/se_municipalities.csv"), encoding="utf-8").read().splitlines()[1:]]
    assert pairs + panel <= len(codes)
    lines = ["municipality_code,eval_year,scale," + ",".join(f"a{i}" for i in range(1, 9))]
    fmt = lambda v: ",".join(("%g" % x) for x in v)
    th = rng.normal(MU, SD_THETA, (pairs, AREAS))
    nw, od = new_score(th, rng), old_score(th, rng, so)
    for i in range(pairs):
        lines.append(f"{codes[i]},2010,new,{fmt(nw[i])}")
        lines.append(f"{codes[i]},2010,old,{fmt(od[i])}")
    th = rng.normal(MU + shift * SD_THETA, SD_THETA, (panel, AREAS))
    od, nw = old_score(th, rng, so), new_score(th + gain, rng)
    for i in range(panel):
        c = codes[pairs + i]
        lines.append(f"{c},2008,old,{fmt(od[i])}")
        lines.append(f"{c},2012,new,{fmt(nw[i])}")
    return "\n".join(lines) + "\n"


def population(n, shift=0.0, gain=6.0, rel="equal", seed=12345):
    """Huge Monte Carlo sample: returns dict of arrays (n x 9: 8 areas + total)."""
    rng = np.random.default_rng(seed)
    so = params(rel)
    out = {}
    th = rng.normal(MU, SD_THETA, (n, AREAS))
    y, x = new_score(th, rng), old_score(th, rng, so)
    out["pair_new"] = np.c_[y, y.sum(1)]
    out["pair_old"] = np.c_[x, x.sum(1)]
    th = rng.normal(MU + shift * SD_THETA, SD_THETA, (n, AREAS))
    x, y = old_score(th, rng, so), new_score(th + gain, rng)
    out["panel_old"] = np.c_[x, x.sum(1)]
    out["panel_new"] = np.c_[y, y.sum(1)]
    return out
