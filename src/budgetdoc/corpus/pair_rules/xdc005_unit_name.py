"""XDC005: a unit names itself the same way in every year's documents."""

from __future__ import annotations

from collections.abc import Iterator

from ...check.findings import Finding
from ...model import Disclosure
from ..common import describe, identity_location
from ..group import Corpus, unit_key
from ..rule import PairRule

_ORDINALS = set("0123456789一二三四五六七八九十百零〇")


def _one_apart(a: str, b: str) -> bool:
    """The names differ by one character (replaced, added or dropped) that is not a number or ordinal:
    “黄陂区” / “黄浦区” in otherwise equal long names. Two units 第一/第二 … are told apart by their numbers."""
    if a == b or abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 8:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        rest_same = a[i + 1:] == b[i + 1:]
        changed = {a[i], b[i]}
    elif len(a) > len(b):
        rest_same, changed = a[i + 1:] == b[i:], {a[i]}
    else:
        rest_same, changed = a[i:] == b[i + 1:], {b[i]}
    return rest_same and not (changed & _ORDINALS)


def _shortened(a: str, b: str) -> bool:
    """One name is the other without its leading region (“普陀区商务委员会” / “上海市普陀区商务委员会”)."""
    short, long_ = sorted((a, b), key=len)
    return short != long_ and len(short) >= 6 and long_.endswith(short) and long_[: -len(short)].endswith(
        ("省", "市", "区", "县", "州", "盟", "旗"))


class UnitNameAcrossYears(PairRule):
    """A unit names itself the same way in every year's documents (its 预算 and 决算, 单位 and 部门 alike):
    two documents of different years whose publishers differ by one character (not a number), or where one
    name is the other without its leading region, name one unit two ways — one of them is misspelt, or the
    unit was renamed and the register must say so (primer §1: a document is identified by its publisher;
    §9: a unit name differing between tables). A warning: a reviewer confirms which name is right.

    Bad:  武汉市黄陂区人力资源和社会保障信息中心 (2022 决算) and 武汉市黄浦区人力资源和社会保障信息中心
          (2023 决算); 普陀区商务委员会 (2024) and 上海市普陀区商务委员会 (2025).
    Good: 上海市普陀区商务委员会 in both years.
    """

    id = "XDC005"
    name = "unit-name-across-years"
    severity = "warning"

    def run(self, corpus: Corpus) -> Iterator[Finding]:
        by_key: dict[str, list[Disclosure]] = {}
        for d in corpus.docs:
            k = unit_key(d)
            if k and d.identity.year:
                by_key.setdefault(k, []).append(d)
        # candidates without comparing every pair: names sharing a one-character deletion, and names that
        # are another's tail after a region
        variants: dict[str, set[str]] = {}
        for k in by_key:
            for v in {k} | {k[:i] + k[i + 1:] for i in range(len(k))}:
                variants.setdefault(v, set()).add(k)
        pairs: set[tuple[str, str]] = set()
        for group in variants.values():
            for a in group:
                for b in group:
                    if a < b and _one_apart(a, b):
                        pairs.add((a, b))
        for k in by_key:
            for i in range(1, len(k) - 5):
                tail = k[i:]
                if tail in by_key and _shortened(k, tail):
                    pairs.add(tuple(sorted((k, tail))))  # type: ignore[arg-type]
        reported: set[tuple[int, str]] = set()
        for a, b in sorted(pairs):
            for x, y in ((a, b), (b, a)):
                for later in by_key[x]:
                    earlier = [d for d in by_key[y] if d.identity.year < later.identity.year  # type: ignore[operator]
                               and (d.identity.region == later.identity.region or not d.identity.region
                                    or not later.identity.region)]
                    if not earlier or (id(later), y) in reported:
                        continue
                    reported.add((id(later), y))
                    first = earlier[0]
                    yield self.finding(
                        f"单位名称“{later.identity.publisher}”与{describe(first)}中的“{first.identity.publisher}”"
                        f"不一致：同一单位各年应使用同一名称（若已更名，请在单位名录中登记）",
                        identity_location(later), related=[identity_location(first)],
                        expected=first.identity.publisher, actual=later.identity.publisher,
                    )
