"""Shared by the check scripts: Student's t and the 95 % interval of a mean
as the README's "Uncertainty of an average" and "Two sources of error"
form it (native, Welch-Satterthwaite's nu, or each error its own t below 5
pairs). Needs scipy (installed with pip when missing)."""
import math

from common import need

t_dist = need("scipy.stats", "scipy").t


def t975(df):
    return float(t_dist.ppf(0.975, df))


def mean_sd(v):
    """The mean of v and its sample SD (None for one value)."""
    m = sum(v) / len(v)
    return m, math.sqrt(sum((a - m) ** 2 for a in v) / (len(v) - 1)) if len(v) > 1 else None


def half_width(n, se, se_link, p):
    """Half the 95 % interval of a mean of n values with sampling SE se
    and linking SE se_link through links of p pairs (the fewest): native
    (t(n - 1)) without a link or linking error, Welch-Satterthwaite's nu
    from 5 pairs, else each error its own t."""
    if p is None or se_link == 0:
        return t975(n - 1) * se
    total = math.hypot(se, se_link)
    if p >= 5:
        return t975(total ** 4 / (se ** 4 / (n - 1) + se_link ** 4 / (p - 1))) * total
    return math.hypot(t975(n - 1) * se, t975(p - 1) * se_link)
