"""What 第一部分 概况 says, taken from an existing document (``extract --format xlsx``): the text under its
headings 主要职能 / 主要职责 (duties), 机构设置 / 单位构成 (structure) and 人员构成 (staff), as the recogniser
found those headings (:attr:`Disclosure.sections`: a 决算's ``一、单位主要职能`` under 第一部分, a Shanghai
预算's unnumbered part ``<部门>主要职能``), read from the document's lines up to the next heading of the 概况,
a heading of a higher level, a part or the heading numbered next (``三、名词解释`` after ``二、部门机构设置``). A paragraph wrapped over several lines (a PDF's, a converter's) is
joined back: a line continues the one before unless that one ends a sentence (。：；！？) or it opens a
numbered item (一、 1. （一） ①); a page number on a line of its own is no text."""

from __future__ import annotations

import re

from ..model import Disclosure, Section
from ..recognise.text import compact
from .document import cn

# heading words → the 文档信息 field the text under the heading fills (the first that fits)
HEADINGS: list[tuple[str, tuple[str, ...]]] = [
    ("duties", ("职能", "职责")),
    ("structure", ("机构设置", "内设机构", "单位构成", "机构情况", "机构", "单位设置")),
    ("staff", ("人员构成", "人员情况", "人员编制", "人员")),
]
_ITEM = re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．)）\s]|[①-⑳])")
_END = ("。", "：", ":", "；", ";", "！", "？")
_PAGE_NO = re.compile(r"^(?:[-—－–·\s]*\d{1,3}[-—－–·\s]*|第\s*\d+\s*页(?:\s*[/／共]\s*\d+\s*页?)?)$")
_SENTENCE = re.compile(r"[。，,；;：:]")
_TABLE_TITLE = re.compile(r"表\s*(?:[（(].{0,8}[)）])?$")


def kind_of(title: str) -> str | None:
    """The 概况 field a heading's title is about (None: no 概况 heading)."""
    t = compact(title)
    if len(t) > 30 or t.endswith(("表", "。")):
        return None
    for key, words in HEADINGS:
        if any(w in t for w in words):
            return key
    return None


def _at(s: Section) -> tuple[int, int]:
    return (s.location.page or 0, s.location.line or 0)


_ORDINALS = {cn(n): n for n in range(1, 40)}


def _next(s: Section, after: Section) -> bool:
    """Whether ``s`` is the heading numbered next after ``after`` at its level (二、 after 一、): the next
    section, where the 概况's headings are numbered like the parts (a written Shanghai 预算 read back)."""
    a, b = _ORDINALS.get(after.number or ""), _ORDINALS.get(s.number or "")
    heading = not _SENTENCE.search(s.title)  # not the first line of a numbered item (一、加强党的建设。落实…)
    return heading and s.level == after.level and a is not None and b == a + 1


def _end(sections: list[Section], i: int) -> tuple[int, int] | None:
    """Where the text under ``sections[i]`` ends: the next 概况 heading, a heading of a higher level, a part,
    the heading numbered next."""
    head = sections[i]
    for s in sections[i + 1:]:
        if _at(s) <= _at(head):
            continue
        if s.level < head.level or s.level == 1 or kind_of(s.title) is not None or _next(s, head):
            return _at(s)
    return None


def paragraphs(lines: list[str]) -> str:
    """Wrapped lines joined into paragraphs, one a line. A line continues the one before when that one is
    a full line (nearly as wide as the widest) not ending a sentence and this one opens no numbered item;
    a row of a table (cells apart by tabs) is a paragraph of its own, its cells apart by a space."""
    kept = [t for raw in lines if (t := raw.strip()) and not _PAGE_NO.match(t)]
    wide = max((len(compact(t)) for t in kept), default=0)
    out: list[str] = []
    joinable = False  # whether the last paragraph's last line may go on
    for text in kept:
        row = "\t" in text
        text = re.sub(r"\s*\t\s*", " ", text) if row else text
        if out and joinable and not row and not _ITEM.match(text):
            sep = " " if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii() \
                and text[:1].isalnum() else ""
            out[-1] += sep + text
        else:
            out.append(text)
        joinable = not row and not text.endswith(_END) and len(compact(text)) >= 0.8 * wide

    return "\n".join(out)


def overview_from_doc(doc: Disclosure) -> dict[str, str]:
    """duties / structure / staff: the text under each 概况 heading (the first heading of each kind)."""
    lines = doc.lines()
    if not lines or not doc.sections:
        return {}
    sections = sorted(doc.sections, key=_at)
    out: dict[str, str] = {}
    last: Section | None = None
    for i, s in enumerate(sections):
        key = kind_of(s.title)
        if key is None and last is not None and (s.level == 1 or _next(s, last)):
            break  # the part after the 概况: its numbered sections are the narrative's
        if key is None or key in out or s.location.line is None:
            continue
        last = s
        start, end = _at(s), _end(sections, i)
        body = []
        for ln in lines:
            at = (ln.page or 0, ln.number or 0)
            if at <= start:
                continue
            if end is not None and at >= end:
                break
            t = compact(ln.text)
            if t.startswith("第") and "部分" in t[:6] or (_TABLE_TITLE.search(t) and len(t) <= 40):
                break  # a part heading or a table title the recogniser did not take for a section
            body.append(ln.text)
        text = paragraphs(body)
        if text:
            out[key] = text
    return out


__all__ = ["HEADINGS", "kind_of", "overview_from_doc", "paragraphs"]
