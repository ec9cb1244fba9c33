"""The unit's name is written the same way throughout the text (primer §9: a unit name differing)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ...recognise.text import compact
from ..findings import Finding
from ..rule import Rule
from ..util import line_location

MAX_EDITS = 1  # (``_edits`` counts no further) a slip (黄陂 → 黄浦, 和 → 与) is one character; two (信息 → 数据) is often another unit
MIN_NAME = 8  # shorter names are too easily near other words
_HEADER = re.compile(r"^(单位|部门)[:：]|^第[一二三四五六七八九十]+部分")  # IDN001 checks these


def _edits(a: str, b: str) -> int:
    """0 when equal, 1 for one substitution, insertion or deletion, 2 for anything further (capped:
    only ``<= MAX_EDITS`` matters, and a linear check is much cheaper than a full edit distance)."""
    if a == b:
        return 0
    if len(a) == len(b):
        return 1 if sum(x != y for x, y in zip(a, b, strict=True)) == 1 else 2
    if abs(len(a) - len(b)) != 1:
        return 2
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k, (x, y) in enumerate(zip(short, long_, strict=False)) if x != y), len(short))
    return 1 if short[i:] == long_[i + 1 :] else 2


def _short(name: str) -> str | None:
    """The name without its city or province (武汉市黄陂区… → 黄陂区…), as documents also write it."""
    m = re.match(r"^[\u4e00-\u9fff]{2,3}?[省市](?=[\u4e00-\u9fff]{" + str(MIN_NAME) + ",})", name)
    return name[m.end():] if m else None


def near_misses(text: str, name: str) -> list[str]:
    """Spellings in ``text`` one character away from ``name`` (or from its form without the
    city), never the name itself. Anchored on the name's last two characters (中心, 管理处, 局 …), so a
    slip anywhere before them is found."""
    out: list[str] = []
    targets = [t for t in (name, _short(name)) if t]
    tail = name[-2:]
    end = text.find(tail)
    while end >= 0:
        stop = end + len(tail)
        best: tuple[int, str] | None = None
        for target in targets:
            for length in range(len(target) - MAX_EDITS, len(target) + MAX_EDITS + 1):
                if length > stop:
                    break
                cand = text[stop - length : stop]
                d = _edits(cand, target)
                if best is None or d < best[0]:
                    best = (d, cand)
        if best and 0 < best[0] <= MAX_EDITS and not any(best[1] in t or t in best[1] for t in targets):
            out.append(best[1])
        end = text.find(tail, end + 1)
    return out


class UnitNameInText(Rule):
    """The document writes its own unit's name the same way everywhere: in the overview, the narrative
    and the performance forms (table headers and part headings are checked by IDN001).

    A spelling one character away from the unit's name, ending like it, is a slip — the classic
    is a district's name mistyped for a neighbouring district.

    Bad:  “单位名称 武汉市黄浦区人力资源和社会保障信息中心” in the document of 武汉市黄陂区人力资源和社会保障信息中心.
    Good: the name exactly as the document's title and tables give it; the parent bureau's own name
          (武汉市人力资源和社会保障局) is another unit, not a slip, and is not reported.
    """

    id = "IDN006"
    name = "unit-name-in-text"
    category = "identity"
    severity = "error"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        name = compact(doc.identity.publisher or "")
        if len(name) < MIN_NAME or not doc.tables:
            return
        name = name.replace("(", "（").replace(")", "）")
        places: dict[str, list] = {}
        for ln in doc.lines():
            text = compact(ln.text).replace("(", "（").replace(")", "）")
            if name[-2:] not in text or _HEADER.search(text):
                continue
            for wrong in near_misses(text, name):
                places.setdefault(wrong, []).append(line_location(doc, ln.page, ln.number))
        for wrong, locs in places.items():  # one finding per wrong spelling, at its first place
            more = f"（共 {len(locs)} 处）" if len(locs) > 1 else ""
            yield self.finding(
                f"单位名称写作“{wrong}”，与文件的单位“{name}”不一致{more}",
                locs[0],
                expected=name,
                actual=wrong,
                related=locs[1:],
            )
