"""Shared by the check scripts `linkcheck.py` and `qualitycheck.py`: a
run's native scores, the links its instruments define, every link's
pairs, and a link refitted from pairs by its method, as the README's
"Scale linking" defines them (`identity`: x * max_y / max_x; `mean`:
x + (mean y - mean x); `linear`: mean y + (sd y / sd x)(x - mean x);
`equipercentile`: see `equip.py`). A linked score is the link's value
cut at [0, max] of the target item."""
from collections import defaultdict

from equip import Equipercentile
from intervals import mean_sd
from output import instruments, rows

METHODS = ("identity", "mean", "linear", "equipercentile")


class Run:
    """What the checks need of a run's output folder `out` whose options
    (`manifest.json`) are `options`."""

    def __init__(self, out, options):
        self.target = target = options["link_to"]
        self.scores, self.top = {}, {}  # the scores; (scale, item) -> max
        for r in rows(out, "evaluations"):
            muni = (r["country"], r["municipality_code"])
            self.scores[(muni, int(r["eval_year"]), r["scale"], r["item"])] = float(r["score"])
            self.top[(r["scale"], r["item"])] = float(r["max"])
        self.links = {(r["from_scale"], r["item"]): r for r in rows(out, "linking")}
        self.defined = {}  # (scale, item) -> target item, as the instruments link them
        self.resolution = {}  # scale -> the step of its scores
        for inst in instruments(options).values():
            self.resolution[inst["id"]] = float(inst.get("resolution", 1))
            self.top[(inst["id"], "total")] = float(inst["total_max"])
            for area in inst.get("area", []):
                self.top[(inst["id"], area["id"])] = float(area["max"])
                if target in area.get("links", {}):
                    self.defined[(inst["id"], area["id"])] = area["links"][target]
            if target in inst.get("total_links", []):
                self.defined[(inst["id"], "total")] = "total"
        self.pairs = defaultdict(lambda: defaultdict(list))  # link -> municipality -> [(x, y)]
        for (muni, year, scale, item), x in self.scores.items():
            to_item = self.defined.get((scale, item))
            if to_item is not None and (muni, year, target, to_item) in self.scores:
                self.pairs[(scale, item)][muni].append((x, self.scores[(muni, year, target, to_item)]))

    def fit(self, key, method, ps):
        """The link of `key` (scale, item) of `method` fitted to pairs ps:
        (its function, uncut; slope; intercept), the slope and intercept
        None for `equipercentile`. None where the pairs give no link (no
        spread to a line's source scores)."""
        to_item = self.defined[key]
        top_x, top_y = self.top[key], self.top[(self.target, to_item)]
        if method == "identity":
            slope = top_y / top_x
            return (lambda x: slope * x), slope, 0.0
        if method == "equipercentile":
            return Equipercentile(ps, (top_x, self.resolution[key[0]]),
                                  (top_y, self.resolution[self.target])), None, None
        (mx, sx), (my, sy) = mean_sd([p[0] for p in ps]), mean_sd([p[1] for p in ps])
        if method == "linear" and not sx:
            return None
        slope = 1.0 if method == "mean" else sy / sx
        intercept = my - slope * mx
        return (lambda x: slope * x + intercept), slope, intercept

    def cut(self, key, value):
        """A linked value cut at [0, max] of the target item of `key`."""
        return min(max(value, 0.0), self.top[(self.target, self.defined[key])])
