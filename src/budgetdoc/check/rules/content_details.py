"""CNT013: a detail the disclosure rules require is not stated (三公 counts, 机关运行经费, 政府采购, 国有资产, 绩效)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...data.content import content
from ...model import Disclosure, Location
from ..findings import Finding
from ..parts import part_map
from ..prose import prose
from ..rule import Rule
from ..util import line_location

_SENTENCE_END = re.compile(r"[。；]")
_WINDOW = 3  # the sentence naming the topic and the next two
_MAX_WINDOW = 400
_NOTES = ("other_notes", "other_matters", "budget_notes", "final_notes")
_MIN_PROSE = 300  # characters of narrative below which a document has no 情况说明 to judge (a tables file)


def region_text(doc: Disclosure) -> str:
    ident = doc.identity
    head = "".join(ln.text for ln in doc.lines()[:8])
    return f"{ident.region or ''}{ident.title or ''}{ident.publisher or ''}{head}"


class RequiredDetails(Rule):
    """The narrative states what the disclosure rules require of it (primer §10: 决算 — 因公出国 团组数 and
    人次, 公务用车 购置数 and 保有量, 国内公务接待 批次 and 人次; 机关运行经费; 政府采购 with 货物/工程/服务 and
    the amount awarded to small and medium enterprises and its share; 国有资产占用 (车辆, large equipment);
    绩效目标 or 绩效评价 coverage (projects, amounts); “a missing one is a defect of its row”). The details,
    the words that find their topic and what must be said there are data (``data/content.toml``
    [[detail]]), by kind and region (the Shanghai templates state the SME amounts without a share). A detail
    is moot when its money is 0 (no 接待, no 批次). For a 决算 a topic missing altogether is CMP004's.

    Bad:  “国内公务接待支出0.39万元（含外宾接待支出0.00万元）。主要用于接待上级部门调研。” (no 批次 / 人次);
          a 预算 whose 其他相关情况说明 says nothing of 机关运行经费.
    Good: “…列明公务接待2批次、26人次，其中：接待外宾0批次、0人次。”.
    """

    id = "CNT013"
    name = "required-details"
    category = "content"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        kind = doc.identity.kind
        if kind is None:
            return
        p = prose(doc)
        if len(p.text) < _MIN_PROSE:
            return
        where = region_text(doc)
        text = p.text
        ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        for d in content().get("detail", []):
            if d.get("kind") not in (None, kind):
                continue
            if "region_rx" in d and not d["region_rx"].search(where):
                continue
            if d.get("since") and (doc.identity.year or 0) < d["since"]:
                continue
            hits = [m for m in d["topic_rx"].finditer(text) if p.parts[p.line_index(m.start())] != "glossary"]
            if not hits:
                if d.get("missing"):
                    yield self.finding(
                        f"情况说明中没有说明{d['label']}", self._place(doc), expected=d["label"], actual="未说明",
                    )
                continue
            paras = p.paragraphs()
            windows = [text[p.sentence_start(m.start()): _window_end(ends, paras, m.start())] for m in hits]
            if "unless_rx" in d and any(d["unless_rx"].search(w) for w in windows):
                continue
            if "ignore_rx" in d:
                windows = [d["ignore_rx"].sub("", w) for w in windows]
            lacking = [rx for rx in d["needs_rx"] if not any(rx.search(w) for w in windows)]
            if not lacking:
                continue
            m = hits[0]
            yield self.finding(
                f"说明中“{p.sentence(m.start(), 80)}”：未说明{d['label']}",
                p.location(doc, m.start()), expected=d["label"], actual="未说明",
            )

    @staticmethod
    def _place(doc: Disclosure) -> Location:
        """Where a missing topic belongs: the heading of the notes part it would be in."""
        pm = part_map(doc)
        for pid in _NOTES:
            k = pm.heading_key(pid)
            if k is not None:
                return line_location(doc, k[0], k[1])
        return Location(file=doc.source)


def _window_end(ends: list[int], paras: list[tuple[int, int]], start: int) -> int:
    """Where the sentences on a topic end: the ``_WINDOW``-th sentence from ``start`` or the end of its
    paragraph, whichever is later (at most ``_MAX_WINDOW`` characters on)."""
    following = [e for e in ends if e > start]
    end = following[_WINDOW - 1] if len(following) >= _WINDOW else (following[-1] if following else start + 200)
    para = next((b for a, b in paras if a <= start < b), end)
    return min(max(end, para), start + _MAX_WINDOW)
