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
        # A link is declared in either version's file (README, "Instrument
        # definitions"): `links = { new = "1" }` on old area 1, or
        # `links = { old = "1" }` on new area 1 where the target is old.
        for inst in instruments(options).values():
            own = inst["id"]
            self.resolution[own] = float(inst.get("resolution", 1))
            self.top[(own, "total")] = float(inst["total_max"])
            items = [i for a in inst.get("area", []) for i in [a, *a.get("question", [])]]
            for item in items:
                self.top[(own, item["id"])] = float(item["max"])
                for other, their in item.get("links", {}).items():
                    if own != target and other == target:
                        self.defined[(own, item["id"])] = their
                    elif own == target:
                        self.defined[(other, their)] = item["id"]
            for other in inst.get("total_links", []):
                if own == target or other == target:
                    self.defined[(other if own == target else own, "total")] = "total"
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
