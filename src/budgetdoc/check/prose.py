"""The prose of a document as the content rules read it: the lines of its narrative parts (主要职能 …
情况说明, 其他相关说明, 项目经费情况说明, 名词解释), outside the tables, the performance forms and the 目录,
joined without their whitespace so that a sentence wrapped over lines (or a number split by a space) reads
as printed, each character traced back to its line.

Paragraphs start at a numbered item or a heading (``一、`` ``（二）`` ``3.`` ``第三部分``; a heading is a paragraph
of its own) and, on a PDF, after a line that ends a sentence well short of its page's right margin. A document whose parts were not found has the
lines outside its tables and 目录 as prose.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

from ..data.content import parts
from ..model import Disclosure, Location
from ..read import Line
from .parts import key, part_map

_ITEM = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}(?:[、．]|\.(?!\d))|注[:：]|说明[:：]|备注[:：])"
)
_END = "。；;：:！!？?”）)"
_PUNCT = re.compile(r"[，,。；;：:！？]")
# a line that ends its paragraph: this many half-width characters (or this share of the line) short of the
# widest line of its page
_SHORT, _SHORT_SHARE = 4, 0.12
_LONG_LINE = 30
_TERMINAL = "。；;：:！!？?"
_CLOSING = "”’）)》」』"
_MIN_FULL, _FULL_SHARE, _MIN_LINES = 20, 0.75, 8
_PARAGRAPH_LINES = 0.7  # the share of long lines ending a sentence in a text of one paragraph a line
# the words a numbered heading ends with (一、项目概述 … 七、绩效目标; （一）机关运行经费支出情况): a numbered line
# cut by the page's width ends anywhere
_HEADING_END = re.compile(r"(?:情况|说明|概况|概述|职能|职责|设置|构成|解释|安排|依据|主体|方案|周期|目标|经费|支出|收入|预算|决算|科目)$")


def _typeset_break(prev: Line | None, ln: Line, before: str, right: dict[int, float], left: dict[int, float]) -> bool:
    """On a PDF page: the line before ends short of the right margin after a sentence, or ends short and
    this line is indented (a paragraph's first line, two characters in)."""
    if prev is None or prev.bbox is None or ln.bbox is None or prev.page != ln.page:
        return False
    short = prev.bbox[2] < right.get(ln.page, prev.bbox[2]) - 24
    if not short:
        return False
    indented = ln.bbox[0] > left.get(ln.page, ln.bbox[0]) + 10
    return before[-1:] in _END or indented


def _width(text: str) -> int:
    """The printed width of a line of text, in half-width characters (a CJK character or mark is two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _text_break(prev: Line | None, ln: Line, before: str, full: int) -> bool:
    """In text (no boxes), as :func:`_typeset_break` on a page: the line before ends a sentence well short
    of a full line of the document's prose (``full``), or ends short and this line is indented."""
    if prev is None or prev.bbox is not None or ln.bbox is not None or prev.page != ln.page or not full:
        return False
    # (a text's widths only approximate the print: digits and Latin letters are not exactly half a character)
    width = _width("".join(prev.text.split()))
    if width > full - max(_SHORT, full * _SHORT_SHARE):
        return False
    if before.rstrip(_CLOSING)[-1:] in _TERMINAL or ln.text[:1].isspace():  # a sentence's end; an indent
        return True
    # a bracket or a quote closing a line half as wide (a heading's note: “二、…构成（…“机构设置”）”); one
    # closing a longer line may be cut by the page's width (“…（款）” / “…（项）”20 万元”)
    return before[-1:] in _CLOSING and 2 * width <= full


def _full_width(texts: list[str]) -> int:
    """The width of a full line of the prose: most lines of a paragraph are full (a line an extractor
    joined with the next, or a heading, is not the measure)."""
    widths = sorted(w for w in map(_width, texts) if w >= _MIN_FULL)
    return widths[int(len(widths) * _FULL_SHARE)] if len(widths) >= _MIN_LINES else 0


def _numbered_heading(t: str) -> bool:
    """A numbered line that is a heading: short, no sentence punctuation, its quotes and brackets closed,
    ending with a heading's word."""
    if not _ITEM.match(t) or len(t) > 34 or _PUNCT.search(t) or not _HEADING_END.search(t):
        return False
    return t.count("“") == t.count("”") and t.count("（") + t.count("(") == t.count("）") + t.count(")")


@dataclass
class Prose:
    text: str = ""
    lines: list[Line] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # offset of each line in text
    parts: list[str] = field(default_factory=list)  # the part of each line
    para: list[bool] = field(default_factory=list)  # a paragraph starts at this line
    heading: list[bool] = field(default_factory=list)  # the line is (part of) a heading

    def line_index(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def line_at(self, offset: int) -> Line:
        return self.lines[self.line_index(offset)]

    def location(self, doc: Disclosure, offset: int) -> Location:
        ln = self.line_at(offset)
        return Location(file=doc.source, page=ln.page, line=ln.number, bbox=ln.bbox)

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) offsets of each paragraph."""
        out: list[tuple[int, int]] = []
        begin = 0
        for i in range(1, len(self.lines)):
            if self.para[i] or self.parts[i] != self.parts[i - 1]:
                out.append((begin, self.starts[i]))
                begin = self.starts[i]
        if self.lines:
            out.append((begin, len(self.text)))
        return out

    def sentence_start(self, offset: int) -> int:
        """Offset of the sentence holding ``offset`` (after the previous 。or ；)."""
        return max(self.text.rfind("。", 0, offset), self.text.rfind("；", 0, offset)) + 1

    def sentence(self, offset: int, limit: int = 120) -> str:
        """The sentence around ``offset`` (from the previous 。；to the next), cut to ``limit`` characters."""
        a = max(self.text.rfind("。", 0, offset), self.text.rfind("；", 0, offset)) + 1
        ends = [e for e in (self.text.find("。", offset), self.text.find("；", offset)) if e >= 0]
        b = min(ends) + 1 if ends else len(self.text)
        if b - a > limit:
            a = max(a, offset - limit // 2)
            b = min(b, a + limit)
        return self.text[a:b]


_CACHE: list[tuple[list, Prose]] = []


def prose(doc: Disclosure) -> Prose:
    """The document's prose (computed once per document)."""
    lines = doc.lines()
    if _CACHE and _CACHE[0][0] is lines:
        return _CACHE[0][1]
    p = _build(doc)
    _CACHE[:] = [(lines, p)]
    return p


def _build(doc: Disclosure) -> Prose:
    pm = part_map(doc)
    narrative = {pid for pid, spec in parts().items() if spec.narrative}
    found = pm.present() & narrative
    out = Prose()
    chunks: list[str] = []
    prev: Line | None = None
    prev_heading = False
    kept: list[tuple[Line, str, str, int]] = []
    right: dict[int, float] = {}  # the right margin of the prose on each page
    pos = -1
    for ln in doc.lines():
        if not ln.text.strip():
            continue
        pos += 1  # the line's position among the non-empty lines (as the part map counts them)
        t = "".join(ln.text.split())
        k = key(ln.page, ln.number)
        part = pm.part_at(pos)
        if part == "toc" or pm.in_table(k, pos, t):
            continue
        if found and part not in narrative:
            continue
        if not found and part == "cover":
            continue
        kept.append((ln, t, part, pos))
        if ln.bbox is not None:
            right[ln.page] = max(right.get(ln.page, 0.0), ln.bbox[2])
    left: dict[int, float] = {}
    for ln, _, _, _ in kept:
        if ln.bbox is not None:
            left[ln.page] = min(left.get(ln.page, ln.bbox[0]), ln.bbox[0])
    full = _full_width([t for ln, t, _, _ in kept if ln.bbox is None])  # text: a full line's width
    lengths = sorted(len(t) for _, t, _, _ in kept)
    # text whose lines are paragraphs (converter output): no line was cut by a page's width — long lines
    # that end their sentences (a PDF's text, its lines cut by the page's width, ends most of them inside one)
    long = [t for _, t, _, _ in kept if len(t) >= _LONG_LINE]
    ended = sum(t[-1] in _END for t in long)
    one_per_line = bool(lengths) and not any(ln.bbox for ln, *_ in kept) and lengths[len(lengths) // 2] >= 50 \
        and ended >= _PARAGRAPH_LINES * len(long)
    char = 0
    for ln, t, part, at in kept:
        heading = at in pm.heading_lines or _numbered_heading(t)
        new_para = heading or prev_heading or bool(_ITEM.match(t)) or prev is None or one_per_line \
            or _typeset_break(prev, ln, chunks[-1] if chunks else "", right, left) \
            or _text_break(prev, ln, chunks[-1] if chunks else "", full)
        out.lines.append(ln)
        out.starts.append(char)
        out.parts.append(part)
        out.para.append(new_para)
        out.heading.append(heading)
        chunks.append(t)
        char += len(t)
        prev, prev_heading = ln, heading
    out.text = "".join(chunks)
    return out


__all__ = ["Prose", "prose"]
