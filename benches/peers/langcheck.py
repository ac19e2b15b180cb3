"""An independent check of the English report against the Swedish one
(`make crosscheck`; `python3 langcheck.py SV_OUT EN_OUT`, two `kompass run`
outputs of the same inputs and options but `--lang`). `pagecheck.py` and
`indexcheck.py` read the Swedish pages against the CSVs; this script
shows that the English pages say the same, so that what they check holds
for both. Exits 1 on any difference.

- the CSV outputs are byte for byte the same;
- the same report pages, each with the same elements in the same order,
  the same attributes (links, classes, sort keys, sizes) but the texts
  (`alt`, `title`) and `<html lang>`;
- every text and text attribute has the same numbers in the same order,
  the Swedish ones with a decimal comma, the English with a point (an
  item id such as `1.1` is written so in both), the minus sign `−` in
  both; and, in a table cell or a hover, the same marks (`*`, `Σ`, `±`,
  `–`, `+`, `?`, `→`, `%`). But for a validation rule's description,
  which is shorter in Swedish (README, "Validation"): the English one is
  the README's rules table's, word for word, and its Swedish one is not
  compared.

Standard-library Python.
"""
import filecmp
import os
import re
import sys
from html.parser import HTMLParser

sv_out, en_out = sys.argv[1], sys.argv[2]
TEXTS = {"alt", "title", "placeholder", "aria-label"}
NUMBER = re.compile(r"[\u2212+-]?\d+(?:[.,]\d+)*")
MARKS = re.compile(r"[*\u03a3\u00b1\u2013+?\u2192%]")
bad = 0


# Markup within a text, which the two languages need not share (a rule's
# text is shorter in Swedish, without `<code>`): its texts are one.
INLINE = {"code", "em", "strong", "b", "i"}


class Page(HTMLParser):
    """A page as events: ("tag", name, its other attributes), ("end",
    name), ("attr", name, text) for its text attributes and ("text",
    where, text) for its texts, `where` "cell" inside a table cell."""

    def __init__(self, path):
        super().__init__(convert_charrefs=True)
        self.events, self.open, self.skip, self.lang = [], [], 0, None
        with open(path, encoding="utf-8") as f:
            self.feed(f.read())

    def handle_starttag(self, tag, attrs):
        if tag in INLINE:
            return
        self.skip += tag in ("script", "style")
        self.open.append(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        keep = tuple(sorted((k, v) for k, v in attrs if k not in TEXTS and not (tag == "html" and k == "lang")))
        self.events.append(("tag", tag, keep))
        for k, v in sorted(attrs):
            if k in TEXTS and v:
                self.events.append(("attr", k, v))

    def handle_endtag(self, tag):
        if tag in INLINE:
            return
        self.skip -= tag in ("script", "style")
        while self.open and self.open.pop() != tag:
            pass
        self.events.append(("end", tag))

    def handle_data(self, data):
        if not self.skip and data.strip():
            where = "cell" if {"td", "th"} & set(self.open) else "text"
            last = self.events[-1] if self.events else None
            if last and last[:2] == ("text", where):
                self.events[-1] = ("text", where, last[2] + data)
            else:
                self.events.append(("text", where, data))


def numbers(text, lang):
    """The numbers of a text as values' spellings: `49,5` (sv) and `49.5`
    (en) both `49.5`; a Swedish point only in an id (`1.1`), kept."""
    found = []
    for token in NUMBER.findall(text):
        token = token.replace("\u2212", "-")
        if lang == "sv":
            token = token.replace(",", ".")
        elif "," in token:
            token = "comma:" + token  # an English number with a comma
        found.append(token)
    return found


def rule_texts():
    """The meanings of the README's validation rules table, as the
    report writes them (no backticks)."""
    readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
    with open(readme, encoding="utf-8") as f:
        rows = re.findall(r"^\| `[a-z-]+` \| (?:error|warning|info) \| (.*) \|$", f.read(), re.M)
    return {r.replace("`", "").replace("\\|", "|") for r in rows}


RULES = rule_texts()


diffs = []
# The CSV outputs.
csvs = sorted(f for f in os.listdir(sv_out) if f.endswith(".csv"))
if csvs != sorted(f for f in os.listdir(en_out) if f.endswith(".csv")):
    diffs.append(("not the same CSV outputs",))
diffs += [("CSV differs", f) for f in csvs if not filecmp.cmp(f"{sv_out}/{f}", f"{en_out}/{f}", shallow=False)]
# The pages.
pages = sorted(os.listdir(f"{sv_out}/report"))
if pages != sorted(os.listdir(f"{en_out}/report")):
    diffs.append(("not the same pages",))
checked = rules = 0
for name in pages:
    if not name.endswith(".html") or not os.path.exists(f"{en_out}/report/{name}"):
        continue
    a, b = f"{sv_out}/report/{name}", f"{en_out}/report/{name}"
    pa, pb = Page(a), Page(b)
    if (pa.lang, pb.lang) != ("sv", "en"):
        diffs.append((name, "html lang", pa.lang, pb.lang))
    ea, eb = pa.events, pb.events
    if len(ea) != len(eb):
        diffs.append((name, "not the same elements", len(ea), len(eb)))
    for x, y in zip(ea, eb):
        checked += 1
        if x[0] not in ("text", "attr") or x[0] != y[0]:
            if x != y:
                diffs.append((name, "element", x, y))
                break
            continue
        if y[2] in RULES:
            rules += 1
            continue
        marked = x[1] in ("cell", "title")  # a table cell or a hover
        if x[1] != y[1] or numbers(x[2], "sv") != numbers(y[2], "en") or (
                marked and MARKS.findall(x[2]) != MARKS.findall(y[2])):
            diffs.append((name, x[2][:120], y[2][:120]))
print(f"langcheck: {len(csvs)} CSV files, {len(pages)} pages, {checked} elements and texts compared "
      f"({rules} rule descriptions the README's, of {len(RULES)} rules); {len(diffs)} differ")
for d in diffs[:10]:
    print("   ", d)
print("langcheck:", "agree" if not diffs else f"{len(diffs)} disagreement(s)")
sys.exit(1 if diffs else 0)
