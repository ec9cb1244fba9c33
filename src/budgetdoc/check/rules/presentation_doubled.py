"""PRS001: a punctuation mark printed twice (“。。”)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_DOUBLED = re.compile(r"([。，；、：！？])\1+")


class DoubledPunctuation(Rule):
    """A sentence ends with one full stop and a clause with one comma (GB/T 15834《标点符号用法》; primer §10:
    “punctuation: a missing or doubled full stop”). Checked in the narrative.

    Bad:  “主要用于机关运行。。”; “办公费，，印刷费”.
    Good: “主要用于机关运行。”; a leader of dots in the 目录 (not prose).
    """

    id = "PRS001"
    name = "doubled-punctuation"
    category = "presentation"
    severity = "info"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        for m in _DOUBLED.finditer(p.text):
            yield self.finding(
                f"说明中“{p.text[max(0, m.start() - 20): m.end() + 4]}”：标点“{m.group(0)}”重复，应只用一个“{m.group(1)}”",
                p.location(doc, m.start()), expected=m.group(1), actual=m.group(0),
            )
