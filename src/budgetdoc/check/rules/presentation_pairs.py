"""PRS003: a quotation mark or bracket opened and not closed (or closed and not opened)."""

from __future__ import annotations

from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "【": "】", "「": "」"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_SAME = {"（": "(", "(": "（", "）": ")", ")": "）"}  # a bracket may close with the other width (CNT003)


class UnmatchedPair(Rule):
    """Quotation marks, book-title marks and brackets come in pairs within a paragraph (GB/T 15834; primer §10:
    “an unmatched quotation mark”). Reported once per paragraph, at the mark left alone.

    Bad:  “平均得分99.33分（其中，绩效评级为“优”的项目39个；…“不合格”的项目0个。” (the bracket never closes);
          “1.“一般公共服务支出（类）”306.90万元” with one quotation mark missing.
    Good: “（其中，…正在整改的0个）。”.
    """

    id = "PRS003"
    name = "unmatched-pair"
    category = "presentation"
    severity = "info"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        text = p.text
        for a, b in p.paragraphs():
            bad = _unmatched(text, a, b)
            if bad is None:
                continue
            at, mark, why = bad
            yield self.finding(
                f"说明中“{text[max(a, at - 20): at + 20]}”：{why}“{mark}”",
                p.location(doc, at), expected=_PAIRS.get(mark, _CLOSERS.get(mark, "")), actual=mark,
            )


def _unmatched(text: str, a: int, b: int) -> tuple[int, str, str] | None:
    stack: list[tuple[int, str]] = []
    for i in range(a, b):
        ch = text[i]
        if ch in _PAIRS:
            stack.append((i, ch))
        elif ch in _CLOSERS:
            want = _CLOSERS[ch]
            match = next((k for k in range(len(stack) - 1, -1, -1)
                          if stack[k][1] == want or _SAME.get(stack[k][1]) == want), None)
            if match is None:
                return i, ch, "多出右半边"
            if match != len(stack) - 1:
                j, opened = stack[-1]
                return j, opened, "缺少与之配对的"
            stack.pop()
    if stack:
        j, opened = stack[0]
        return j, opened, "缺少与之配对的"
    return None
