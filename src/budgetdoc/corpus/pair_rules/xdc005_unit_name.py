"""XDC005: a unit names itself the same way in every year's documents."""

from __future__ import annotations

from collections.abc import Iterator

from ...check.findings import Finding
from ...model import Disclosure
from ..common import bound, describe, identity_location, previous_amount, ref_cell
from ..group import Corpus, unit_key
from ..rule import PairRule
from .xdc002_final_previous import names_year
from .xdc003_budget_previous import final_ref

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


def _year_links(later: Disclosure, earlier: Disclosure) -> tuple[int, int]:
    """How many of last year's amounts ``later`` states (“与2023年度相比…增加…”, “比2024年预算增加…”,
    “比2024年预算执行数…”) are, and are not, ``earlier``'s table amounts for the same quantity (distinct
    non-zero quantities; ``earlier`` the year before)."""
    year = later.identity.year
    if not year or earlier.identity.year != year - 1:
        return 0, 0
    agree: set[str] = set()
    disagree: set[str] = set()
    for st in later.narrative:
        if st.kind not in ("yoy", "budget_yoy") or not names_year(st.words, year - 1):
            continue
        ref = st.refs.get("current")
        execution = "执行" in st.words.get("base", "") + st.words.get("comparison", "")
        if later.identity.kind == "预算" and earlier.identity.kind == "决算" and execution:
            ref = final_ref(ref)
        elif later.identity.kind != earlier.identity.kind or execution:
            continue
        derived = previous_amount(st)
        cv = ref_cell(earlier, ref)
        if derived is None or cv is None or not ref or derived[0] == 0 or cv.value == 0:
            continue
        (agree if abs(derived[0] - cv.wan) <= bound(derived[1], cv.table.unit) else disagree).add(ref)
    return len(agree), len(disagree - agree)


def _same_unit(later: Disclosure, earlier: Disclosure) -> bool:
    """The two documents are one unit's by what they print, not by their names: at least two of last
    year's amounts ``later`` states are ``earlier``'s, and more agree than disagree."""
    agree, disagree = _year_links(later, earlier)
    return agree >= 2 and agree > disagree


class UnitNameAcrossYears(PairRule):
    """A unit names itself the same way in every year's documents (its 预算 and 决算, 单位 and 部门 alike):
    two documents of different years whose publishers name one unit two ways — one of them is misspelt, or
    the unit was renamed and the register must say so (primer §1: a document is identified by its
    publisher; §9: a unit name differing between tables). A warning: a reviewer confirms which name is right.

    Names alone prove nothing: neighbouring units differ by one character (石泉路街道 / 甘泉路街道,
    财政局 / 民政局). A pair of names one character apart (not a number) is reported only when the
    documents show they are one unit's: the later one states last year's amounts (“与2023年度相比…”,
    “比2024年预算增加…”) and at least two of them (more than disagree) are the earlier document's table
    amounts. A pair where one name is the other without its leading region (普陀区商务委员会 /
    上海市普陀区商务委员会) names one unit. Names the register (``members``) lists as units of their own are
    two units, never one misspelt.

    Bad:  武汉市黄陂区人力资源和社会保障信息中心 (2022 决算) and 武汉市黄浦区人力资源和社会保障信息中心
          (2023 决算, whose “与2022年度相比” amounts are the 2022 决算's); 普陀区商务委员会 (2024) and
          上海市普陀区商务委员会 (2025).
    Good: 上海市普陀区商务委员会 in both years; 石泉路街道办事处 (2024) and 甘泉路街道办事处 (2025), whose
          figures do not continue each other.
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
        registered = corpus.registered()
        # candidates without comparing every pair: names sharing a one-character deletion, and names that
        # are another's tail after a region
        variants: dict[str, set[str]] = {}
        for k in by_key:
            for v in {k} | {k[:i] + k[i + 1:] for i in range(len(k))}:
                variants.setdefault(v, set()).add(k)
        pairs: dict[tuple[str, str], bool] = {}  # (a, b) → the names alone show one unit
        for group in variants.values():
            for a in group:
                for b in group:
                    if a < b and _one_apart(a, b):
                        pairs[(a, b)] = False
        for k in by_key:
            for i in range(1, len(k) - 5):
                tail = k[i:]
                if tail in by_key and _shortened(k, tail):
                    pairs[tuple(sorted((k, tail)))] = True  # type: ignore[index]
        reported: set[tuple[int, str]] = set()
        for (a, b), by_name in sorted(pairs.items()):
            if a in registered and b in registered:
                continue  # the register knows both: two units
            for x, y in ((a, b), (b, a)):
                for later in by_key[x]:
                    earlier = [d for d in by_key[y] if d.identity.year < later.identity.year  # type: ignore[operator]
                               and (d.identity.region == later.identity.region or not d.identity.region
                                    or not later.identity.region)
                               and (by_name or _same_unit(later, d))]
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
