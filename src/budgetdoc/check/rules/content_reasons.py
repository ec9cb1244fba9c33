"""CNT007: a reason left empty or made of template words."""

from __future__ import annotations

from collections.abc import Iterator

from ...data.content import content
from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule


class EmptyReason(Rule):
    """A change the narrative explains has its reason written out (primer §6, §10: “a reason cut off
    (“主要原因是。”)”, “a template reason (“增加（减少）的主要原因是…”)”; the Shanghai templates: “主要原因：
    XXXXXXXX”). What follows 主要原因(是) must say something: not the sentence's end, an ellipsis or a
    placeholder. The direction offered both ways (增加（减少）) is CNT005's.

    Bad:  “公务用车购置及运行费6.40万元，与2023年预算持平，主要原因是。其中：…”; “主要原因是……”.
    Good: “主要原因是根据实际公务用车运行情况编列。”.
    """

    id = "CNT007"
    name = "empty-reason"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        voc = content()["reason"]
        p = prose(doc)
        text = p.text
        seen: set[int] = set()
        for rx in voc["head_rx"]:
            for m in rx.finditer(text):
                rest = text[m.end(): m.end() + 12]
                if not any(e.search(rest) for e in voc["empty_rx"]):
                    continue
                i = p.sentence_start(m.start())
                if i in seen:
                    continue
                seen.add(i)
                yield self.finding(
                    f"说明中“{p.sentence(m.start(), 70)}”：“{m.group(0)}”之后没有写明原因",
                    p.location(doc, m.start()), expected="原因", actual=(m.group(0) + rest[:1]).strip(),
                )
