"""PRS002: a paragraph whose last sentence has no full stop."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure
from ..findings import Finding
from ..prose import prose
from ..rule import Rule

_TERMINAL = "。；;：:！!？?….．"
_CLOSERS = "”’）)》」』"  # after a full stop (“……。”） or before one: what precedes them decides
_CJK = re.compile(r"[\u4e00-\u9fff]")
_MIN_CJK = 8  # characters of a sentence; a shorter tail is a heading or a label
# a figure's caption, a date or a signature closing the document, an amount: no sentence to end
_NOT_SENTENCE = re.compile(r"^图\s*\d|^表\s*\d|\d{4}年\d{1,2}月\d{1,2}日$|\d$|》等?$")
_CLAUSE = re.compile(r"[，,。；]")
_ITEM = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、．])")
_DIGITS = re.compile(r"[\d\s]")
_BRACKETED = re.compile(r"[（(][^）)]*[）)]$")
_CAPTION = re.compile(r"^(?:图|表)\s*\d")
_NAME_END = re.compile(r"(?:局|委员会|会|处|办|办公室|院|中心|所|站|队|部|厅|室|公司|街道|政府)$")


class MissingFullStop(Rule):
    """Every sentence of the narrative ends with its punctuation (GB/T 15834; primer §10: “a sentence
    without its full stop”). A paragraph (up to the next numbered item or heading) that ends on words, with
    a sentence of some length (a heading alone, a list of titles, a date are not sentences), lacks its
    full stop.

    Bad:  “八、国有资本经营预算财政拨款支出决算情况说明 / 本单位当年无国有资本经营预算财政拨款支出” (no 。);
          “…组织项目审核跟踪、评估，按程序落实专项资金拨付” before “五、实施周期”.
    Good: “本单位当年无国有资本经营预算财政拨款支出。”; “七、绩效目标” (a heading).
    """

    id = "PRS002"
    name = "missing-full-stop"
    category = "presentation"
    severity = "info"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        p = prose(doc)
        text = p.text
        for a, b in p.paragraphs():
            para = text[a:b]
            first, last = p.line_index(a), p.line_index(b - 1)
            bare = para.rstrip(_CLOSERS)
            if not bare or bare[-1] in _TERMINAL or all(p.heading[first: last + 1]):
                continue
            cut = max(para.rfind(ch) for ch in "。；;：:！？")
            tail = para[cut + 1:]
            if len(_CJK.findall(tail)) < _MIN_CJK or _NOT_SENTENCE.search(tail):
                continue
            if tail[:1] in "（(" and tail[-1:] in "）)":
                continue  # a note in brackets standing alone (a template's instruction is CNT005's)
            raw = p.lines[last].text.strip()
            if len(raw.split()) >= 3 and not _CLAUSE.search(raw):
                continue  # a row of a table the narrative prints (cells apart), not a sentence
            if _CAPTION.match(raw) or p.parts[last] == "key_work":
                continue  # a figure's caption; the 重点工作 part is mostly a table of works
            if _ITEM.match(para) and not _CLAUSE.search(para) and len(para) <= 45:
                continue  # a numbered heading wrapped over two lines
            if not _CLAUSE.search(raw) and any(_NAME_END.search(_DIGITS.sub("", _BRACKETED.sub("", x)))
                                               and not _CLAUSE.search(x) for x in (raw, tail)):
                # a name closing the paragraph (三、实施主体 / 上海市普陀区商务委员会; a list of units, its 序号
                # printed between the lines of a wrapped name)
                continue
            yield self.finding(
                f"说明中“{tail[-40:]}”：句末缺少句号",
                p.location(doc, b - 1), expected="。", actual=tail[-6:],
            )
