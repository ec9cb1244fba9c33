"""CNT012: the parts of a quantity stated in prose do not add up (floor areas, vehicles, people)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from ...data.content import content
from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_PARTS = re.compile(r"其中[:：，,]?")
_OPEN, _CLOSE = "（(", "）)"
_BACK = 60  # how far before 其中 the whole may be printed


def _tokens(text: str, units: list[str]) -> list[tuple[int, int, Decimal, str]]:
    """(start, end, value, unit) of each number followed by a quantity unit (not money, not a percent)."""
    alt = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    # a number of its own (not the end of a date or a code) and a unit that is a word (项 of 项目 is not)
    rx = re.compile(rf"(?<![\d.,\-/:：])(\d[\d,]*(?:\.\d+)?)({alt})(?![目级类款])")
    out = []
    for m in rx.finditer(text):
        unit = m.group(2).replace("(", "（").replace(")", "）")
        if unit in ("台", "套") and text[m.end(): m.end() + 3] in ("（套）",):
            unit = "台（套）"
        out.append((m.start(), m.end(), Decimal(m.group(1).replace(",", "")), unit))
    return out


def _depths(text: str) -> list[int]:
    out, d = [], 0
    for ch in text:
        if ch in _OPEN:
            d += 1
        out.append(d)
        if ch in _CLOSE:
            d = max(0, d - 1)
    return out


_MONEY = re.compile(r"\d(?:[\d,]*(?:\.\d+)?)万?元")


class QuantityParts(Rule):
    """The parts the narrative lists under “其中” add up to the whole it states, for quantities that are not
    money as for money (primer §6 “parts”; §10: “numbers in prose that do not add up even when they are
    not money”; NAR007 checks money): floor areas, vehicles by kind, people, items. Two parts or more in the
    whole's unit are their sum; a single part is at most the whole. A list ending in 等 is not complete.
    The units are data (``data/content.toml`` [quantity]).

    Bad:  “建筑面积约为13459平方米，其中地上建筑面积为8013平方米（其中计容面积7998平方米，不计容面积105平方米），
          地下建筑面积为5356平方米” (8013 + 5356 = 13369; 7998 + 105 = 8103);
          “共有车辆7辆，其中：…其他用车6辆” with no other kind.
    Good: “共有车辆63辆，其中：…执法执勤用车63辆、…其他用车0辆”.
    """

    id = "CNT012"
    name = "quantity-parts"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        text = p.text
        if "其中" not in text:
            return
        units = content()["quantity"]["units"]
        toks = _tokens(text, units)
        if not toks:
            return
        depth = _depths(text)
        for m in _PARTS.finditer(text):
            q = m.start()
            dq = depth[q]
            whole = None
            for t in reversed(toks):
                if t[1] > q:
                    continue
                if q - t[1] > _BACK or "。" in text[t[1]: q] or "；" in text[t[1]: q]:
                    break
                if depth[t[0]] <= dq:
                    whole = t
                    break
            if whole is None:
                continue
            parts, end, complete = self._parts(text, toks, depth, m.end(), dq, whole[3])
            if not parts:
                continue
            total = sum((t[2] for t in parts), Decimal(0))
            if len(parts) >= 2 and complete and total != whole[2] or total > whole[2]:
                listed = " + ".join(f"{t[2]}" for t in parts)
                yield self.finding(
                    f"说明中“{text[whole[0]: min(end, whole[0] + 110)]}”：各部分之和 {listed} = {total}{whole[3]}，"
                    f"与总数 {whole[2]}{whole[3]} 不符",
                    p.location(doc, whole[0]), expected=f"{whole[2]}", actual=f"{total}",
                )

    @staticmethod
    def _parts(text: str, toks, depth: list[int], start: int, dq: int, unit: str):
        """The tokens of ``unit`` listed at the marker's depth after it, to the end of the list."""
        parts = []
        end = len(text)
        for i in range(start, len(text)):
            ch = text[i]
            if depth[i] < dq or (depth[i] == dq and ch in "。；;"):
                end = i
                break
        complete = not text[max(start, end - 3): end].rstrip("）)").endswith("等")
        for t in toks:
            if t[0] < start or t[0] >= end:
                continue
            if depth[t[0]] != dq:
                continue
            if t[3] == unit:
                parts.append(t)
        money = _MONEY.search(text, start, end)
        if money is not None and parts and money.start() < parts[-1][0] and depth[money.start()] == dq:
            parts = [t for t in parts if t[0] < money.start()]
        return parts, end, complete
