"""The jackknife replicates of a `linear` link of 5-8 municipalities, as
the README's "Uncertainty" defines them, for `jackcheck.py` (the links'
SEs), `linkcheck.py` and `avgcheck.py` (the linking error of a summary
through such a link): each municipality left out in turn with all its
pairs and the mean-sigma line refitted on the rest, made into N
replicates around the link, e(x) + (N - 1)/sqrt(N) (e_-i(x) - mean), at
every score point; where their SD (over N - 1) at a point is below the
normal-theory SE, sqrt(s_y^2 (1 - r) (2 + (1 + r) z^2) / N), their
deviations there are scaled up to it (where they are all 0, the widest
point's deviations in its SDs, times that SE, as kompass's `raise`). A summary's linking error is the SD
over the replicates of its signed sum of linked scores over n, a score
between two points taking the interpolation of their deviations.
Standard-library Python; deterministic, so compared exactly."""
import math

from intervals import mean_sd
from links import Run
from output import JACKKNIFE, config, rows


def line(pairs):
    """The mean-sigma line (slope, intercept) of pairs, None without
    spread on the source scale."""
    (mx, sx), (my, sy) = mean_sd([p[0] for p in pairs]), mean_sd([p[1] for p in pairs])
    return None if not sx else (sy / sx, my - sy / sx * mx)


class Replicates:
    """The jackknife replicates of one link: `by_municipality` its pairs
    per municipality, `points` the score points of `concordance.csv`."""

    def __init__(self, by_municipality, points):
        pairs = [p for ps in by_municipality.values() for p in ps]
        n = len(by_municipality)
        self.n = n
        self.full = line(pairs)
        self.left_out = [line([p for m, ps in by_municipality.items() if m != gone for p in ps])
                         for gone in by_municipality]
        if self.full is None or any(f is None for f in self.left_out):
            raise ValueError("a fit leaving a municipality out has no spread")
        (mx, sx), (my, sy) = mean_sd([p[0] for p in pairs]), mean_sd([p[1] for p in pairs])
        r = sum((p[0] - mx) * (p[1] - my) for p in pairs) / (len(pairs) - 1) / (sx * sy)
        self.floor = lambda x: math.sqrt(sy * sy * (1 - r) * (2 + (1 + r) * ((x - mx) / sx) ** 2) / n)
        self.floor_slope = math.sqrt(sy * sy * (1 - r * r) / n) / sx
        self.points = sorted(points)
        self.deviations = self._raised()

    def pseudo(self, values):
        """Each left-out figure's deviation, scaled: c (v_i - mean)."""
        mean = sum(values) / self.n
        c = (self.n - 1) / math.sqrt(self.n)
        return [c * (v - mean) for v in values]

    def _raised(self):
        """Every point's deviations, raised to the floor where below it."""
        sd = lambda d: math.sqrt(sum(v * v for v in d) / (self.n - 1))
        raw = {x: self.pseudo([a + b * x for b, a in self.left_out]) for x in self.points}
        widest = max(self.points, key=lambda x: sd(raw[x]))
        pattern = [v / sd(raw[widest]) for v in raw[widest]] if sd(raw[widest]) > 0 else None
        out = {}
        for x, d in raw.items():
            s, want = sd(d), self.floor(x)
            if want <= s:
                out[x] = d
            elif s > 0:
                out[x] = [v * want / s for v in d]
            else:
                out[x] = [z * want for z in pattern] if pattern else d
        return out

    def se_at(self, x):
        d = self.deviations[x]
        return math.sqrt(sum(v * v for v in d) / (self.n - 1))

    def slope_se(self):
        d = self.pseudo([b for b, _ in self.left_out])
        return max(math.sqrt(sum(v * v for v in d) / (self.n - 1)), self.floor_slope)

    def at(self, x):
        """The replicates' deviations at score x (interpolated between
        the points around it)."""
        if x in self.deviations:
            return self.deviations[x]
        lo = max(p for p in self.points if p <= x)
        hi = min(p for p in self.points if p >= x)
        frac = (x - lo) / (hi - lo)
        return [a + frac * (b - a) for a, b in zip(self.deviations[lo], self.deviations[hi])]

    def variance(self, terms):
        """The variance over the replicates of the signed sum over terms
        [(score, sign)]."""
        sums = [0.0] * self.n
        for x, sign in terms:
            for i, d in enumerate(self.at(x)):
                sums[i] += sign * d
        mean = sum(sums) / self.n
        return sum((s - mean) ** 2 for s in sums) / (self.n - 1)


def is_jackknife(link):
    return link["method"] == "linear" and int(link["n_municipalities"]) in JACKKNIFE and link["slope_se"] != ""


def of_run(out):
    """Every jackknife link of the run in `out`: (scale, item) ->
    (its linking.csv row, Replicates)."""
    run = Run(out, config(out))
    points = {}
    for r in rows(out, "concordance"):
        points.setdefault((r["from_scale"], r["item"]), []).append(float(r["from_score"]))
    return {key: (link, Replicates(run.pairs[key], points.get(key, [])))
            for key, link in sorted(run.links.items()) if is_jackknife(link)}


def attach(out, variances):
    """`output.link_variances`'s "jackknife" entries replaced by their
    replicates, so that `output.link_error` recomputes the linking error of
    a summary through them."""
    if "jackknife" not in variances.values():
        return variances
    links = of_run(out)
    for key, v in variances.items():
        if v == "jackknife" and key in links:
            variances[key] = links[key][1]
    return variances
