"""Classification: every printed code carries the national list's name for the document's year (primer §4).

Names are compared after removing whitespace and HTML tags, folding full-/half-width forms and brackets,
and dropping a leading ordinal (``十八、`` in the summary tables). A name cut by extraction (a wrapped cell
whose tail was lost) is not a defect: a printed name that is a prefix of the reference name of at least
6 characters, or of 4-5 characters where it ends its source line, is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ...data import all_names, code_year, codes
from ...model import Disclosure, Location, Row, Table
from ..findings import Finding
from ..rule import Rule
from ..util import fold, misread_rows, table_name

# Names in force before the years shipped in data/functional (the 2019 renames and earlier), so that an
# outdated name is told from a wrong one: code → former names.
FORMER_NAMES: dict[str, tuple[str, ...]] = {
    "207": ("文化体育与传媒支出",),
    "210": ("医疗卫生与计划生育支出",),
    "215": ("资源勘探信息等支出",),
    "220": ("国土海洋气象等支出", "国土资源气象等支出"),
    "20805": ("行政事业单位离退休",),
    "21001": ("医疗卫生与计划生育管理事务",),
    "21301": ("农业",),
    "21302": ("林业",),
    "22001": ("国土资源事务",),
}

_ORDINAL = re.compile(r"^(?:(?:[一二三四五六七八九十廿]+|\d{1,2})[、.．,，]|\((?:[一二三四五六七八九十廿]+|\d{1,2})\)[、.．]?)")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"})


@lru_cache(maxsize=65536)
def norm_name(name: str) -> str:
    """A printed name reduced for comparison with the reference list: :func:`fold`, and further every
    kind of bracket as ``()`` (【】〔〕[] too), no leading ordinal, no trailing ellipsis or ``*#:``."""
    s = fold(name).translate(_BRACKETS)
    s = _ORDINAL.sub("", s)
    s = _strip_ellipsis(s)  # template ellipsis cells glued to the name
    return s.strip("*#:：")


def _strip_ellipsis(s: str) -> str:
    r"""``re.sub(r"(?:…|\.{2,}|。{2,}|⋯)+$", "", s)`` in linear time: that pattern backtracks
    exponentially on a long run of dots followed by something else (a 目录 leader line in a table)."""
    k = cut = len(s)
    while k and s[k - 1] in "….。⋯":
        c, m = s[k - 1], k - 1
        while m and s[m - 1] == c:
            m -= 1
        if c in ".。" and k - m < 2:  # one dot is not an ellipsis: the ellipsis ends after it
            break
        cut = k = m
    return s[:cut]


def scheme_of(code: str | None) -> str | None:
    """``functional`` (2xx / 2xxxx / 2xxxxxx) or ``economic`` (3xx / 3xxxx); None for anything else."""
    if not code or not code.isdigit():
        return None
    if code[0] == "2" and len(code) in (3, 5, 7):
        return "functional"
    if code[0] == "3" and len(code) in (3, 5):
        return "economic"
    return None


def _ends_its_line(doc: Disclosure, row: Row, printed: str) -> bool:
    """True when the printed name is the last text of its source line (or the line is unknown)."""
    line_no = row.location.line
    if not line_no:
        return True
    for ln in doc.lines():
        if ln.number == line_no and (row.location.page is None or ln.page == row.location.page):
            text = norm_name(ln.text)
            text = re.sub(r"[\d.,\-]+$", "", text)  # amounts printed after the name on the same line
            return text.endswith(printed)
    return True


def is_cut(doc: Disclosure, row: Row, printed: str, expected: str) -> bool:
    """A printed name that is the reference name cut short by extraction."""
    if not printed or printed == expected or not expected.startswith(printed):
        return False
    if len(printed) >= 6:
        return True
    return len(printed) >= 4 and len(printed) * 2 >= len(expected) and _ends_its_line(doc, row, printed)


def _year(doc: Disclosure, table: Table) -> int | None:
    return doc.identity.year or table.year


def _coded_rows(doc: Disclosure) -> Iterator[tuple[Table, Row, str, str]]:
    """(table, row, code, normalised printed name) for every row with a classification code and a name
    (not those whose name was misread: REC001 says them)."""
    misread = misread_rows(doc)
    for t in doc.tables:
        for r in t.rows:
            if (t.key, r.key) in misread:
                continue
            scheme = scheme_of(r.code)
            printed = norm_name(r.name)
            if scheme and printed and printed != r.code:
                yield t, r, r.code or "", printed


def _loc(doc: Disclosure, t: Table, r: Row) -> Location:
    base = r.location if (r.location.line or r.location.page) else t.location
    return base.at(file=base.file or doc.source, table=t.key, row=r.key or r.code, part=r.part)


def verdict(doc: Disclosure, table: Table, row: Row, code: str, printed: str) -> tuple[str, str | None]:
    """How a printed name fares: ``ok``, ``unknown``, ``old`` or ``wrong``, with the reference name."""
    scheme = scheme_of(code) or "functional"
    year = _year(doc, table)
    history = all_names(scheme).get(code, {})
    if year is None:
        # no year: any year's name is right
        names = {norm_name(n) for n in history.values()}
        if not names:
            return "unknown", None
        if printed in names or any(is_cut(doc, row, printed, n) for n in names):
            return "ok", None
        return "wrong", next(iter(history.values()))
    ref = codes(scheme, year)
    expected = ref.get(code)
    if expected is None:
        return "unknown", None
    e = norm_name(expected)
    if printed == e or is_cut(doc, row, printed, e):
        return "ok", expected
    used = code_year(scheme, year)
    older = [n for y, n in history.items() if y < used] + list(FORMER_NAMES.get(code, ()))
    if any(printed == norm_name(n) or is_cut(doc, row, printed, norm_name(n)) for n in older):
        return "old", expected
    return "wrong", expected


def _owner(doc: Disclosure, table: Table, code: str, printed: str) -> str | None:
    """The code whose reference name the printed name is (when it names another code)."""
    scheme = scheme_of(code) or "functional"
    return next((o for o in _by_name(scheme, _year(doc, table)).get(printed, ()) if o != code), None)


@lru_cache(maxsize=64)
def _by_name(scheme: str, year: int | None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for other, name in codes(scheme, year).items():
        out.setdefault(norm_name(name), []).append(other)
    return out


class CodeName(Rule):
    """A classification code is printed with its name in the national list for the document's year
    (财政部《政府收支分类科目》; primer §4). Checked on every coded row of every table, including the
    class rows of the 收支总表 / 财政拨款收支总表.

    Bad:  ``2101102 其他行政事业单位医疗支出`` in a 2023 document (seed 000): that is 2101199's name;
          2101102 is 事业单位医疗 → error, once per table where it is printed.
    Bad (milder): ``210 医疗卫生与计划生育支出`` in a 2023 document: the name before the 2019 rename → warning.
    Good: ``2101102 事业单位医疗``; ``2080199 其他人力资源和社会保障管`` (a wrapped name cut by extraction).
    A code the shipped reference data does not list is reported as information only.
    """

    id = "CLS001"
    name = "code-name"
    category = "classification"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        seen: set[tuple[str, str, str]] = set()
        unknown: set[str] = set()
        for t, r, code, printed in _coded_rows(doc):
            key = (t.key, code, printed)
            if key in seen:
                continue
            seen.add(key)
            state, expected = verdict(doc, t, r, code, printed)
            year = _year(doc, t)
            where = table_name(t)
            if state == "ok":
                continue
            if state == "unknown":
                if code not in unknown:
                    unknown.add(code)
                    yield self.finding(
                        f"{where}：科目编码 {code}（“{r.name.strip()}”）参考数据未收录"
                        f"（{year or '未知'}年），未核对其名称",
                        _loc(doc, t, r), severity="info", actual=r.name.strip(),
                    )
                continue
            if state == "old":
                yield self.finding(
                    f"{where}：科目 {code} 印为“{r.name.strip()}”，该名称已更名，"
                    f"{year}年科目名称为“{expected}”",
                    _loc(doc, t, r), severity="warning", expected=expected, actual=r.name.strip(),
                )
                continue
            other = _owner(doc, t, code, printed)
            tail = f"（“{r.name.strip()}”是科目 {other} 的名称）" if other else ""
            yield self.finding(
                f"{where}：科目 {code} 印为“{r.name.strip()}”，{year or ''}{'年' if year else ''}"
                f"科目名称为“{expected}”{tail}",
                _loc(doc, t, r), expected=expected, actual=r.name.strip(),
            )


def _same(printed: str, name: str) -> bool:
    """The printed name is ``name`` or a wrapped prefix of it (4 characters at least)."""
    return printed == name or (len(printed) >= 4 and name.startswith(printed))


class CodeNameConsistent(Rule):
    """The same code carries the same name in every table of a document (primer §2.2, §4).

    Reported once per code, where the name first departs from the one printed first. Where the national
    reference already judges the variants (CLS001 reports each wrong one at its place) this rule stays
    silent, so the one defect is not reported twice; it speaks for codes the reference data does not list
    and for variants that are each acceptable on their own (an old and a current name).

    Bad:  ``2089901 …`` printed as 甲 in 收入决算表 and as 乙 in 支出决算表 (code not in the reference data).
    Good: the same name (or a wrapped prefix of it) in every table.
    """

    id = "CLS002"
    name = "code-name-consistent"
    category = "classification"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        variants: dict[str, list[tuple[str, Table, Row]]] = {}
        for t, r, code, printed in _coded_rows(doc):
            variants.setdefault(code, []).append((printed, t, r))
        for code, occ in variants.items():
            # drop variants CLS001 reports as wrong, and wrapped prefixes of a longer variant
            kept = [(p, t, r) for p, t, r in occ if verdict(doc, t, r, code, p)[0] != "wrong"]
            names: list[str] = []
            for p, _, _ in sorted(kept, key=lambda x: -len(x[0])):
                if not any(_same(p, n) for n in names):
                    names.append(p)
            if len(names) < 2:
                continue
            base = next(n for n in names if _same(kept[0][0], n))
            odd = next(((p, t, r) for p, t, r in kept if not _same(p, base)), None)
            if odd is None:
                continue
            p, t, r = odd
            shown = "、".join(f"“{n}”" for n in names)
            yield self.finding(
                f"科目 {code} 在同一文件的不同表中名称不一致：{shown}；{table_name(t)}印为“{r.name.strip()}”",
                _loc(doc, t, r), expected=kept[0][2].name.strip(), actual=r.name.strip(),
                related=[_loc(doc, kept[0][1], kept[0][2])],
            )
