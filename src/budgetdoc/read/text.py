"""Plain text (as PDF extractors write it) and converter markdown/TSV/HTML into pages of lines.

A form feed starts a new page. Plain text is then reflowed (:mod:`.reflow`): the shapes other tools'
extractors leave (labels wrapped around their amounts, headings glued at page breaks, a page repeated
in part, page-break marker lines) become the line forms the recognisers read. In markdown, ``#``
headings keep their level, tab-separated lines (and ``|`` pipe tables) become cells, and HTML tags
inside cells (``<b>``, ``<p>``, ``<br>``) are removed.
"""

from __future__ import annotations

import html
import re

from .lines import Line, Page, Source
from .normalise import normalise, normalise_keep_ff, split_lines
from .reflow import reflow

_TAG = re.compile(r"<[^>]{0,200}>")
_HEADING = re.compile(r"^(#{1,6})\s*(.*)$")
_PIPE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")
_EMPH = re.compile(r"\*\*|__")


def looks_like_markdown(text: str) -> bool:
    sample = text[:200000]
    heads = len(re.findall(r"(?m)^#{1,6} ", sample))
    tabs = sample.count("\t")
    pipes = len(re.findall(r"(?m)^\|.*\|\s*$", sample))
    return heads >= 3 or tabs >= 20 or pipes >= 5


def _clean_cell(cell: str) -> str:
    cell = _TAG.sub(" " if "<br" in cell.lower() else "", cell)
    cell = html.unescape(cell)
    cell = _EMPH.sub("", cell)
    return normalise(cell).strip()


def read_text(text: str, path: str, markdown: bool | None = None) -> Source:
    if markdown is None:
        markdown = looks_like_markdown(text)
    source = Source(path=path, form="markdown" if markdown else "text")
    page = Page(number=1)
    source.pages.append(page)
    if not markdown:
        # line ends first: a control character between \r and \n, removed by normalising, must not
        # make one line end of two (the raw and normalised lines must pair up)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        # one pass over the whole text is several times faster than normalising line by line
        pairs = zip(split_lines(text), split_lines(normalise_keep_ff(text)), strict=True)
        for number, (raw, norm) in enumerate(pairs, 1):
            if "\f" in raw:
                for i, part in enumerate(raw.split("\f")):
                    if i:
                        page = Page(number=page.number + 1)
                        source.pages.append(page)
                    page.lines.append(Line(text=normalise(part), page=page.number, number=number, raw=part))
            else:
                # one string for both when normalising changed nothing (memory: a line is kept once)
                page.lines.append(Line(text=raw if norm == raw else norm, page=page.number, number=number, raw=raw))
        return reflow(source)
    for number, raw in enumerate(split_lines(text), start=1):
        parts = raw.split("\f")
        for i, part in enumerate(parts):
            if i:
                page = Page(number=page.number + 1)
                source.pages.append(page)
            line = _line(part, page.number, number, markdown)
            if line is not None:
                page.lines.append(line)
    return source


def _line(raw: str, page: int, number: int, markdown: bool) -> Line | None:
    if not markdown:
        return Line(text=normalise(raw), page=page, number=number, raw=raw)
    heading = 0
    body = raw
    m = _HEADING.match(raw)
    if m:
        heading, body = len(m.group(1)), m.group(2)
    if body.lstrip().startswith("|") and body.rstrip().endswith("|"):
        if _PIPE_RULE.match(body):
            return Line(text="", page=page, number=number, raw=raw)
        cells = [_clean_cell(c) for c in body.strip().strip("|").split("|")]
    elif "\t" in body:
        cells = [_clean_cell(c) for c in body.split("\t")]
    else:
        cells = None
    if cells is not None:
        while cells and not cells[-1]:
            cells.pop()
        text = "\t".join(cells)
    else:
        text = _clean_cell(re.sub(r"^\s*[-*+]\s+", "", body))
    return Line(text=text, page=page, number=number, cells=cells, heading=heading, raw=raw)
