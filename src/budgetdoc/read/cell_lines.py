"""Text written one table cell per line (blank cells dropped), brought back to one row per line.

Some extractors print every cell of a table on a line of its own: a functional row ``208 05 01
行政单位离退休 2,614,680 2,614,680`` becomes ``208`` / ``05`` / ``01`` / ``行政单位离退休`` / ``2,614,680`` /
``2,614,680``. Read line by line, the code parts would be amounts. On a page written that way (most of
the amounts it prints stand alone on their lines) the cells of a row are joined again:

- a code (3, 5 or 7 digits) alone on its line, followed by its 2-digit 款/项 parts, its name (a name
  wrapped inside its cell comes as several short lines) and its amounts, is one row;
- a row label (a short line of words, not a column heading) followed by amounts alone on their lines is
  one row; amounts alone on consecutive lines are one row of amounts (a 三公 table's only row);
- anything else (sentences, headings, lines that already hold several cells) is left as it is.

Each joined line keeps the page, the number of its first amount line (where findings point) and, in
``raw``, its source lines. The blank cells stay dropped, as in other extracted text: which column each
amount is in is decided later, by the table's header and identities (:mod:`budgetdoc.recognise.tables.resolve`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lines import Line
from .normalise import normalise

# (digits alone, more than any amount prints, are a project's code: no amount)
_AMOUNT = re.compile(r"^\s*(?:-?(?:\d{1,3}(?:,\d{3})+|\d{1,14})(?:\.\d+)?%?|[-—－–]{1,2})\s*$")
_DECIMAL = re.compile(r"\d\.\d|\d,\d{3}")
_CODE = re.compile(r"^\s*(?:\d{3}|\d{5}|\d{7})\s*$")
_PART = re.compile(r"^\s*\d{2}\s*$")
_NUMBERING = ("栏次", "行次")
_SHORT_NUMBER = re.compile(r"^\s*\d{1,2}\s*$")
_SHORT_PART = re.compile(r"^\s*\d{1,2}\s*$")  # a 款/项 part printed without its leading zero (``301`` / ``2``)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_SENTENCE = re.compile(r"[。；;！？!?]|[，,].*[，,]")
_ORDINAL = re.compile(r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d{1,2}[.．、]\s*\S)")
# column headings a table prints above its rows: never a row's label
_HEADINGS = re.compile(
    r"^(?:合计|小计|总计|金额|预算数|决算数|执行数|项目|科目|类|款|项|栏次|行次|单位|编码|名称|"
    r"基本支出|项目支出|人员经费|公用经费|购置费|运行费|运行维护费|本年收入|本年支出|"
    r"[^\d]{0,12}(?:科目编码|科目名称|分类科目|预算数|决算数|经费|费|收入|支出|预算|合计|小计))$"
)
_TOTALS = ("合计", "总计", "小计", "本年收入合计", "本年支出合计", "收入总计", "支出总计")
MAX_LABEL = 40
MIN_LONE = 4  # amounts alone on their lines before a page is taken as written one cell per line
MAX_NAME_LINES = 4  # a name wrapped inside its cell: at most this many lines


def _lone(text: str) -> bool:
    return bool(_AMOUNT.match(text))


def _printed(ln: Line) -> list[str]:
    """The lines as the file printed them: a line joined by reflow keeps its source lines in ``raw``
    (so that a page is judged the same before and after its rows are joined)."""
    if "\n" in ln.raw:
        return [normalise(r) for r in ln.raw.split("\n")]
    return [ln.text]


def cell_per_line(lines: list[Line]) -> bool:
    """Most amounts of the page stand alone on their lines as printed (and there are at least
    :data:`MIN_LONE`)."""
    lone = with_amounts = 0
    for ln in lines:
        for t in _printed(ln):
            if not _DECIMAL.search(t):
                continue
            with_amounts += 1
            if _lone(t):
                lone += 1
    return lone >= MIN_LONE and 2 * lone >= with_amounts


def _label(text: str) -> bool:
    """A short line of words that can be a cell: no sentence, some 汉字, no amount."""
    t = text.strip()
    return bool(
        t and len(t) <= MAX_LABEL and _CJK.search(t) and not _SENTENCE.search(t) and not _DECIMAL.search(t)
    )


def _heading(text: str) -> bool:
    t = "".join(text.split())
    return t not in _TOTALS and bool(_HEADINGS.match(t))


def _row_label(text: str) -> bool:
    """A label that begins a row on its own: an ordinal item, a total, or any label not a heading (of two
    characters at least: one alone is the end of a heading cut inside its cell, ``结转下年资`` / ``金``)."""
    t = "".join(text.split())
    return len(t) >= 2 and _label(text) and (bool(_ORDINAL.match(text)) or t in _TOTALS or not _heading(text))


@lru_cache(maxsize=1)
def _column_labels() -> frozenset[str]:
    """The column labels (and their aliases) of every table the catalog and the regions' layouts know."""
    from ..data import catalog, region_layouts

    tables = [*catalog()["tables"], *(t for layout in region_layouts() for t in layout.get("tables", []))]
    return frozenset("".join(x.split()) for t in tables for c in t.get("columns", [])
                     for x in (c.get("label", ""), *c.get("aliases", [])) if x)


def _more_heading(lines: list[Line], i: int) -> bool:
    """A column label right under a column heading: the header of a table printed one cell per line goes
    on (``单位预留机动经费`` / ``结转下年资金`` / ``18,330.37``: the amounts under a one-row table's header)."""
    return i > 0 and "".join(lines[i].text.split()) in _column_labels() and _heading(lines[i - 1].text)


def _starts_row(text: str) -> bool:
    """A label that is a row of its own, never the rest of a wrapped name: a total or an ordinal item."""
    t = "".join(text.split())
    return bool(_ORDINAL.match(text)) or t.endswith(("合计", "总计", "小计"))


def _joined(parts: list[Line], number_from: Line) -> Line:
    texts: list[str] = []
    for ln in parts:
        t = ln.text.strip()
        if texts and _CJK.match(t) and _CJK.search(texts[-1][-1:]) and not _AMOUNT.match(texts[-1]):
            texts[-1] += t  # a name wrapped inside its cell: one name again
        else:
            texts.append(t)
    return Line(
        text=" ".join(texts),
        page=number_from.page,
        number=number_from.number,
        bbox=number_from.bbox,
        raw="\n".join(ln.raw for ln in parts),
    )


def _parts(lines: list[Line], i: int) -> int:
    """How many lines from ``i`` on are 款/项 parts of a code: 2-digit parts, or parts of one digit (a
    leading zero dropped) when the name follows them."""
    k = 0
    while k < 2 and i + k < len(lines) and _SHORT_PART.match(lines[i + k].text):
        k += 1
    if k and not all(_PART.match(lines[i + m].text) for m in range(k)):
        if not (i + k < len(lines) and _label(lines[i + k].text)):
            k = 0
    return k


def _code_start(lines: list[Line], i: int) -> bool:
    """A code alone on its line, followed by a 2-digit part of it or by a name: a coded row begins."""
    if not _CODE.match(lines[i].text) or i + 1 >= len(lines):
        return False
    nxt = lines[i + 1].text
    return bool(_parts(lines, i + 1)) or _label(nxt)


def _column_numbers(lines: list[Line], i: int) -> int:
    """How many lines from ``i`` on count 1, 2, 3 … (three at least): the column numbers of a table's
    head, else 0."""
    k = 0
    while i + k < len(lines) and lines[i + k].text.strip() == str(k + 1):
        k += 1
    return k if k >= 3 else 0


def _misprinted_code(lines: list[Line], i: int) -> bool:
    """Two or three short numbers before a name (``7`` / ``11`` / ``02`` / ``事业单位医疗``): the parts of a
    code printed wrong, which begin a row of their own (that the table reader reports), not amounts of
    the row before."""
    k = 0
    while k < 3 and i + k < len(lines) and _SHORT_PART.match(lines[i + k].text):
        k += 1
    return 2 <= k and i + k < len(lines) and _label(lines[i + k].text) and bool(
        _PART.match(lines[i + k - 1].text)) and any(lines[i + m].text.strip() not in ("0", "00") for m in range(k))


def join_cell_lines(lines: list[Line]) -> list[Line]:
    """The rows of a page written one cell per line (:func:`cell_per_line`), joined (see the module's
    docstring)."""
    out: list[Line] = []
    n = len(lines)
    i = 0
    while i < n:
        ln = lines[i]
        if ln.cells is not None:
            out.append(ln)
            i += 1
            continue
        j = i
        parts: list[Line] = []
        if "".join(ln.text.split()) in _NUMBERING:
            # the column numbers under the headings (``栏次`` / ``1`` / ``栏次`` / ``2`` / ``3`` …): one line
            j = i + 1
            while j < n and lines[j].page == ln.page and (
                    _SHORT_NUMBER.match(lines[j].text) or "".join(lines[j].text.split()) in _NUMBERING):
                j += 1
            if j - i > 1:
                out.append(_joined(lines[i:j], ln))
                i = j
                continue
        k = _column_numbers(lines, i)
        if k:  # the columns numbered under their headings (``1`` / ``2`` / ``3`` …): one line
            out.append(_joined(lines[i:i + k], ln))
            i += k
            continue
        if _code_start(lines, i):
            parts.append(ln)
            j = i + 1
            for _ in range(_parts(lines, j)):
                if lines[j].page != ln.page:
                    break
                parts.append(lines[j])
                j += 1
            names = 0
            while j < n and names < MAX_NAME_LINES and _label(lines[j].text) and lines[j].page == ln.page \
                    and not _CODE.match(lines[j].text) and not (names and _starts_row(lines[j].text)):
                parts.append(lines[j])
                names += 1
                j += 1
        elif _row_label(ln.text) and i + 1 < n and _lone(lines[i + 1].text) and not _more_heading(lines, i):
            parts.append(ln)
            j = i + 1
        elif _lone(ln.text) and _DECIMAL.search(ln.text) or _lone(ln.text) and i + 1 < n and _lone(lines[i + 1].text):
            j = i
        else:
            out.append(ln)
            i += 1
            continue
        first_amount = None
        while j < n and _lone(lines[j].text) and lines[j].page == ln.page and not _code_start(lines, j) \
                and not _misprinted_code(lines, j) and not _column_numbers(lines, j):
            if first_amount is None:
                first_amount = lines[j]
            parts.append(lines[j])
            j += 1
        if len(parts) < 2:
            out.append(ln)
            i += 1
            continue
        out.append(_joined(parts, first_amount or parts[0]))
        i = j
    return out


__all__ = ["cell_per_line", "join_cell_lines"]
