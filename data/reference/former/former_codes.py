#!/usr/bin/env python3
"""Derives `no_former_codes.csv`: Norway's municipality codes before the
reforms of 2020 and 2024, each with the municipality of today's register
that took it over and how (standard library only).

    python3 data/reference/former/former_codes.py kommuner-1994-2024.xlsx \
        data/reference/no_municipalities.csv > data/reference/former/no_former_codes.csv

The workbook is SSB's grouping of municipality codes 1994-2024 to the 2024
codes (classification 131), as kept in lauriejh/regtools
(`data-raw/kommuner-1994-2024.xlsx`; see data/reference/SOURCES.md). Each
row is a group (today's code, `GRUPPEKODE` `K.3201`) and one code in it
(`KODE`), its name with the years it was in use (`TEKST`, `Bærum
(2020-2023)`, `Bærum (-2019)`; today's code without years).

A former code is `renumbered` where it is today's municipality under
another number. From the year it came into use on, the codes of its group
were in use one after another (no two at once: no merger since), each
under today's name (or one part of a parallel name; a county in brackets
aside), and each step to the next code, today's included, changed the
county's two digits: a Norwegian municipality keeps its number unless its
county changes, so a new number within the county marks a merger or a
division (Ålesund's 1507 of 2020-2023 became 1508 in 2024, when Haram left
it, which the grouping does not show). Otherwise it is `merged`: a merger
since it came into use (its years unknown: at any time since 1994),
another name, or a new number within its county. kompass counts a
renumbered code's scores as today's municipality's and keeps a merged one
as a municipality of its own. A code that is not all digits (`0716u`,
SSB's mark of Våle before 2002) is no code and left out.
"""
import csv
import re
import sys
import zipfile
import xml.etree.ElementTree as ET
from collections import defaultdict

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
YEARS = re.compile(r"\s*\((\d{4})?(-)?(\d{4})?\)\s*$")


def sheet_rows(path):
    """The first sheet's rows, each a dict of column letter to text."""
    z = zipfile.ZipFile(path)
    strings = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
            strings.append("".join(t.text or "" for t in si.iter(NS + "t")))
    for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(NS + "row"):
        cells = {}
        for c in row.iter(NS + "c"):
            col = re.match(r"[A-Z]+", c.get("r")).group()
            v = c.find(NS + "v")
            if c.get("t") == "s":
                cells[col] = strings[int(v.text)]
            elif c.get("t") == "inlineStr":
                cells[col] = "".join(t.text or "" for t in c.iter(NS + "t"))
            else:
                cells[col] = v.text if v is not None else ""
        yield cells


def with_years(text):
    """(name, first year or None, last year or None, current?) of `TEKST`."""
    m = YEARS.search(text)
    if not m or not (m.group(1) or m.group(3)):
        return text.strip(), None, None, True
    first = int(m.group(1)) if m.group(1) else None
    last = int(m.group(3)) if m.group(3) else (None if m.group(2) else first)
    return text[: m.start()].strip(), first, last, False


def names(name):
    """The forms of a name compared: lower case, a county in brackets
    dropped, and each part of a parallel name (`Oslo - Oslove`)."""
    n = re.sub(r"\s*\([^()]*\)\s*$", "", name).lower().strip()
    return {n} | {p.strip() for p in n.split(" - ")}


def renumbered(first, former, code, name):
    """Whether the former code that came into use in year `first` (None:
    not known) is today's municipality `code` (`name`) renumbered, its
    group's former codes being `former` (code, name, first, last, _)."""
    since = [m for m in former if m[3] >= (first or 0)]
    chain = sorted(since, key=lambda m: (m[2] or 0, m[3]))
    one_after_another = all(a[3] < (b[2] or 0) for a, b in zip(chain, chain[1:]))
    same_name = all(names(m[1]) & names(name) for m in chain)
    codes = [m[0] for m in chain] + [code]
    county_changed = all(a[:2] != b[:2] for a, b in zip(codes, codes[1:]))
    return one_after_another and same_name and county_changed


def next_code(x, former, name_today):
    """The former code `x` (code, name, first, last, _) was renumbered to
    in the year after its last, if one: a code of its group that came into
    use that year under its name, in another county, in a year of no
    merger in the group (each of its codes that went out of use then went
    on under its own name, in a code that came into use that year or, if
    none did, today's code)."""
    step = x[3] + 1
    began = [m for m in former if m[2] == step]
    went_on = [m for m in began if names(m[1]) & names(x[1])]
    if len(went_on) != 1 or went_on[0][0][:2] == x[0][:2]:
        return None
    for ended in (m for m in former if m[3] == x[3]):
        heirs = [m for m in began if names(m[1]) & names(ended[1])]
        if not heirs and names(name_today) & names(ended[1]):
            heirs = ["today"]
        if len(heirs) != 1:
            return None
    heirs_of = [m for m in former if m[3] == x[3] and names(m[1]) & names(went_on[0][1])]
    return went_on[0] if heirs_of == [x] else None


def main(workbook, register):
    today = {r["code"]: r["name"] for r in csv.DictReader(open(register, encoding="utf-8"))}
    rows = list(sheet_rows(workbook))
    head = rows[0]
    col = {v: k for k, v in head.items()}
    groups = defaultdict(list)
    for r in rows[1:]:
        group = r.get(col["GRUPPEKODE"], "").removeprefix("K.")
        if group not in today:  # Svalbard, the rest: no municipality
            continue
        groups[group].append((r[col["KODE"]],) + with_years(r[col["TEKST"]]))
    out = []
    for code, members in groups.items():
        former = [m for m in members if not m[4] and m[0].isdigit()]
        change = {}
        for old, name, first, last, _ in former:
            if old == code or old in today or last is None:
                sys.exit(f"{old} ({name}) is a code of today's register")
            is_renumbered = renumbered(first, former, code, today[code])
            change[old] = "renumbered" if is_renumbered else "merged"
        for m in former:
            kept_as, x = (code, m) if change[m[0]] == "renumbered" else (m[0], m)
            while change[m[0]] == "merged" and (x := next_code(x, former, today[code])):
                if change[x[0]] != "merged":
                    sys.exit(f"{m[0]} ({m[1]}) is merged, the code it went on under renumbered")
                kept_as = x[0]
            out.append(("NO", m[0], m[1], m[3], code, change[m[0]], kept_as))
    w = csv.writer(sys.stdout, lineterminator="\n")
    w.writerow(["country", "old_code", "old_name", "until", "code", "change", "kept_as"])
    w.writerows(sorted(out))


if __name__ == "__main__":
    main(*sys.argv[1:3])
