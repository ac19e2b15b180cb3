"""Shared by the check scripts: Student's t and the 95 % interval of a mean
as the README's "Uncertainty of an average" and "Two sources of error"
form it (native, Welch-Satterthwaite's nu, or each error its own t below 5
pairs or for a mean of two values). Needs scipy (installed with pip when missing)."""
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


def half_width(n, se, se_link, p):
    """Half the 95 % interval of a mean of n values with sampling SE se
    and linking SE se_link through links of p pairs (the fewest): native
    (t(n - 1)) without a link or linking error, Welch-Satterthwaite's nu
    from 5 pairs and 3 values, else each error its own t."""
    if p is None or se_link == 0:
        return t975(n - 1) * se
    total = math.hypot(se, se_link)
    if p >= 5 and n > 2:
        return t975(total ** 4 / (se ** 4 / (n - 1) + se_link ** 4 / (p - 1))) * total
    return math.hypot(t975(n - 1) * se, t975(p - 1) * se_link)
