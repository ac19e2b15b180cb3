"""Shared by the check scripts `linkcheck.py` and `qualitycheck.py`: an
`equipercentile` link refitted from its pairs as the README's "Scale
linking" defines it (Kolen & Brennan 2014, ch. 2, the continuization of
R's `equate`), written from that text, not from kompass's code.

- F, G: the cumulative relative frequencies (exact fractions: where P
  equals G at a target point without pairs, the lower inverse jumps, and
  a float one unit off would move the link by h/2) of the pairs' source and
  target scores at every score point (0 to max in steps of the scale's
  resolution h, observed or not; a score between points counts at the
  nearest one, a half-way score at the one above);
- P(x) = F(x - h) + (F(x) - F(x - h)) / 2;
- the link at a score point is the mean of the upper inverse (y_U the
  smallest target point with G(y_U) > P) and the lower inverse (y_L the
  largest with G(y_L) < P); at P = 0 only the upper exists (the lowest
  target score - h/2), at P = 1 only the lower (the highest + h/2):
  kompass holds the link there, at the edge of the target scores;
- between score points the link is linear; a linked score is cut at
  [0, max] of the target item;
- a score point has an SE only where at least 7 pairs' source scores (at
  their score points) lie at or beyond it on either side and the pairs'
  normal fit expects at least 10 beyond it (n * P(Z > |x - mean| / SD),
  the pairs' own mean and sample SD).
"""
import bisect
import functools
import math
from fractions import Fraction

TAIL_PAIRS = 7
EXPECTED_BEYOND = 10.0


def _index(v, h):
    """The score point nearest v (half-way: the one above), as an index."""
    return max(math.floor(v / h + 0.5), 0)


def _cumulative(values, maximum, h):
    counts = [0] * (round(maximum / h) + 1)
    for v in values:
        counts[min(_index(v, h), len(counts) - 1)] += 1
    total, cum = 0, []
    for c in counts:
        total += c
        cum.append(Fraction(total, len(values)))
    return cum


def _inverse(g, h, p):
    """The mean of the upper and the lower inverse of p (g nondecreasing)."""
    ends = []
    u = bisect.bisect_right(g, p)  # the first point with G > p
    if u < len(g):
        below = g[u - 1] if u else 0
        ends.append(u * h - h / 2 + h * float((p - below) / (g[u] - below)))
    low = bisect.bisect_left(g, p) - 1  # the last point with G < p
    if low >= 0:
        ends.append(low * h + h / 2 + h * float((p - g[low]) / (g[low + 1] - g[low])))
    return sum(ends) / len(ends)


class Equipercentile:
    """The link of pairs [(x, y)] from a scale (max, resolution) to another."""

    def __init__(self, pairs, source, target):
        (self.max_x, self.hx), (self.max_y, self.hy) = source, target
        xs = [x for x, _ in pairs]
        f = _cumulative(xs, self.max_x, self.hx)
        g = _cumulative([y for _, y in pairs], self.max_y, self.hy)
        self.points = []
        for i in range(len(f)):
            below = f[i - 1] if i else 0
            p = below + (f[i] - below) / 2
            self.points.append(_inverse(g, self.hy, p))
        self.xs = xs

    def __call__(self, x):
        """The linked score of source score x, uncut."""
        t = min(max(x / self.hx, 0.0), len(self.points) - 1)
        i = min(math.floor(t), len(self.points) - 2)
        return self.points[i] + (t - i) * (self.points[i + 1] - self.points[i])

    @functools.cached_property
    def _tails(self):
        """The pairs' mean, sample SD and score points (sorted), made once
        for the tail rules (a link refitted only for its values, as
        leave-one-out's, never needs them)."""
        n = len(self.xs)
        mean = sum(self.xs) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in self.xs) / (n - 1))
        return mean, sd, sorted(_index(v, self.hx) for v in self.xs)

    def has_se(self, x):
        """Whether score point x has an SE by the README's tail rules."""
        mean, sd, at = self._tails
        n, i = len(at), round(x / self.hx)
        beyond = min(bisect.bisect_right(at, i), len(at) - bisect.bisect_left(at, i))
        expected = n * 0.5 * math.erfc(abs(i * self.hx - mean) / sd / math.sqrt(2)) if sd > 0 else n
        return beyond >= TAIL_PAIRS and expected >= EXPECTED_BEYOND
