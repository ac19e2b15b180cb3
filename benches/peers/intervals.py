"""Shared by the check scripts: Student's t and the 95 % interval of a mean
as the README's "Uncertainty of an average" and "Two sources of error"
form it (native, Welch-Satterthwaite's nu, or each error its own t below 5
pairs or for a mean of two values), and the degrees of freedom of a
linking error (README, "Uncertainty"). Needs scipy (installed with pip when missing)."""
import math

from common import need

t_dist = need("scipy.stats", "scipy").t


def t975(df):
    return float(t_dist.ppf(0.975, df))


def mean_sd(v):
    """The mean of v and its sample SD (None for one value; 0 where the
    values are one but for float noise, a range below 1e-9, as the README
    has it: 5.6 as 100 − 94.4 and 70 − 64.4 is one change, not an SD of
    1e-15 with an interval of no width)."""
    m = sum(v) / len(v)
    if len(v) < 2:
        return m, None
    if max(v) - min(v) < 1e-9:
        return m, 0.0
    return m, math.sqrt(sum((a - m) ** 2 for a in v) / (len(v) - 1))


def half_width(n, se, se_link, p, df_link=None):
    """Half the 95 % interval of a mean of n values with sampling SE se
    and linking SE se_link through links of p pairs (the fewest) whose
    error has df_link degrees of freedom (`link_df`; p - 1 when not
    given): native (t(n - 1)) without a link or linking error,
    Welch-Satterthwaite's nu from 5 pairs and 3 values, else each error
    its own t."""
    if p is None or se_link == 0:
        return t975(n - 1) * se
    dl = max(p - 1, 1) if df_link is None else df_link
    total = math.hypot(se, se_link)
    if p >= 5 and n > 2:
        return t975(total ** 4 / (se ** 4 / (n - 1) + se_link ** 4 / dl)) * total
    return math.hypot(t975(n - 1) * se, t975(dl) * se_link)


def link_df(link, terms):
    """The degrees of freedom of the error, through the link `link` (its
    linking.csv row), of a sum of linked scores `terms` [(score linked
    from, weight)], as the README's "Uncertainty" derives them:
    n_municipalities - 1, but for a linear link of 5 or more
    municipalities with a correlation and a spread 2 (N - 1) / (kappa -
    1), kappa = 3 (1 + 6 s2 + 3 s2^2) / (1 + s2)^2, s2 = (1 + r) / 2 (sum
    w z / sum w)^2 with z = (score - mean_from) / sd_from; the slope's
    alone (kappa 9) where the weights sum to 0; at least 1. None where the
    terms of a mean or linear link cancel (the link does not enter; an
    equipercentile curve's do not cancel so)."""
    n1 = max(int(link["n_municipalities"]) - 1, 1)
    level = sum(w for _, w in terms)
    spread = link["sd_from"] != "" and float(link["sd_from"]) > 0
    z = [((x - float(link["mean_from"])) / float(link["sd_from"]) if spread else 0.0, w) for x, w in terms]
    centred = sum(v * w for v, w in z)
    plain = link["method"] != "linear" or int(link["n_municipalities"]) < 5 or link["r"] == "" or not spread
    if level == 0 and abs(centred) < 1e-9 and link["method"] != "equipercentile":
        return None
    if plain:
        return float(n1)
    rho = min(max(float(link["r"]), -1.0), 1.0)
    if level == 0:
        kappa = 9.0
    else:
        s2 = (1 + rho) / 2 * (centred / level) ** 2
        kappa = 3 * (1 + 6 * s2 + 3 * s2 * s2) / (1 + s2) ** 2
    return max(2 * n1 / (kappa - 1), 1.0)


def fewest_df(links, terms):
    """The fewest degrees of freedom of the links' errors (`link_df`) over
    terms [((from_scale, item), score linked from, weight)]; `links` the
    linking.csv rows by (from_scale, item). None without a link entering."""
    by = {}
    for key, x, w in terms:
        by.setdefault(key, []).append((x, w))
    dfs = [d for key, ts in by.items() if (d := link_df(links[key], ts)) is not None]
    return min(dfs) if dfs else None
