"""Shared by the check scripts that read the report's pages
(`pagecheck.py`, `indexcheck.py`): numbers as the pages write them, table
cells, a page's sections."""
import html
import re

NUMBER = re.compile(r"([+\u2212]?)(\d+)(?:,(\d+))?")


def parse(text, signed=False, spread=False):
    """A shown number and its decimals: `−5,9` -> (-5.9, 1). A difference
    (`signed`) has its sign but for 0; a value has none but a minus; no
    trailing zero (`72`, not `72,0`), but in a `spread` (an SD or a ±),
    which has one decimal, kept (`3,0`)."""
    m = NUMBER.fullmatch(text)
    decimals = m.group(3) or "" if m else ""
    if (not m or (signed and not m.group(1) and text != "0") or (not signed and m.group(1) == "+")
            or (spread and len(decimals) != 1) or (not spread and decimals.endswith("0"))):
        raise ValueError(f"not a number as the pages write it: {text!r}")
    value = float(f"{m.group(2)}.{m.group(3) or 0}")
    return (-value if m.group(1) == "\u2212" else value), len(m.group(3) or "")


def close(shown, decimals, value):
    """Whether a figure shown to `decimals` (the rule's: a mean to one
    decimal shown `72` is 72.0) is `value` rounded, the CSV's four
    decimals allowed for."""
    return value is not None and abs(shown - value) <= 0.5 * 10 ** -decimals + 1e-4


def text(fragment):
    """The text of a piece of HTML, its no-break spaces plain."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\xa0", " ").strip()


def cells(table):
    """Each row of a table but its headers: [(text, html)] per cell."""
    found = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)
        if tds:
            found.append([(text(td), td) for td in tds])
    return found


def headers(table):
    """The texts of a table's header cells, row by row."""
    return [[text(th) for th in re.findall(r"<th[^>]*>(.*?)</th>", tr, re.S)]
            for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S) if "<th" in tr]


def item_of(label):
    return "total" if label == "Totalt" else label.split(" ")[0]


def section(page, anchor):
    """The part of a page under its heading `id=anchor`, to the next
    heading of that level (empty where the page has no such heading)."""
    start = page.find(f'<h2 id="{anchor}"')
    if start < 0:
        return ""
    end = page.find("<h2", start + 1)
    return page[start:end if end > 0 else len(page)]


def readable(diffs, where, check, *args):
    """Runs one table's or row's check and returns what it returns; a cell
    it cannot read is a difference in `diffs`, and the others are still
    checked."""
    try:
        return check(*args)
    except (ValueError, AttributeError, TypeError, IndexError, KeyError) as e:
        diffs.append((where, "a cell the script cannot read", repr(e)))
