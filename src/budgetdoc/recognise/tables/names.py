"""A row name that no person printed: pieces of other cells joined by the reader.

Text that lost its layout (side-by-side panels flattened, names wrapped over several lines, a page break
that repeats the column headings) can give a row a name built from pieces of other cells. Such a name is
not the document's error, it is a misreading; reported as a wrong classification name (CLS001) it cries
wolf. A printed name is taken as a misreading when it is none of the names of the reference lists and it

- holds column headings (``…支出项目一般公共预算支出功能分类科目编码功能分类科目名称合计``);
- is several reference names run together (``商品和服务支出基本工资办公费津贴补贴印刷费``), the first and
  last possibly cut where they wrapped (``会议费庭的补助``);
- holds the expected name's characters out of order, or with other characters among them (``险机缴关费事
  支业出单位职业年金缴`` for 机关事业单位职业年金缴费支出, ``出抚恤`` for 抚恤);
- is a piece of the expected name (``对个人和家`` for 对个人和家庭的补助) — a name cut where it wrapped.

A name a person could have printed stays a classification finding: another code's name, a former name,
a name with a character missing (``机关事业单位基本养老保险费``), a different word (``租房补贴``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ...data import all_names, catalog
from ..text import compact

_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿\d]+[)）][、.．]?|\d{1,2}[、.．])")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
# words of column headings that are in no classification name; the weak ones may be in a name a person
# wrote (``离退休人员经费``), so they count only two together
_HEAD_WORDS = ("科目编码", "科目名称", "功能分类", "经济分类", "栏次", "行次", "预算数", "决算数")
_WEAK_HEAD_WORDS = ("项目支出", "基本支出", "人员经费", "公用经费", "合计", "小计", "金额", "项目")
MIN_PIECE = 2


def norm(name: str) -> str:
    """A printed name as compared: no whitespace, no leading ordinal, brackets folded, no trailing ellipsis."""
    s = _ORDINAL.sub("", compact(name)).translate(_BRACKETS)
    return s.rstrip("…．.。")


@lru_cache(maxsize=2)
def _known(scheme: str) -> frozenset[str]:
    return frozenset(norm(n) for names in all_names(scheme).values() for n in names.values())


@lru_cache(maxsize=2)
def _pieces(scheme: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the heads, the tails) of the reference names, two characters or more: where a name is cut."""
    heads: set[str] = set()
    tails: set[str] = set()
    for n in _known(scheme):
        for k in range(MIN_PIECE, len(n)):
            heads.add(n[:k])
            tails.add(n[k:])
    return frozenset(heads), frozenset(tails)


@lru_cache(maxsize=64)
def _head_words(labels: tuple[str, ...] | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(strong, weak) column-heading words: the usual ones, and the column labels of the table (``labels``;
    None: of every catalog table), strong from five characters on. A table's own labels, not another
    table's: a row of one table may be named as another table's column (Jiangsu's 单位预留机动经费)."""
    strong, weak = set(_HEAD_WORDS), set(_WEAK_HEAD_WORDS)
    if labels is None:
        labels = tuple(c["label"] for t in catalog()["tables"] for c in t.get("columns", []))
    for raw in labels:
        label = norm(raw)
        (strong if len(label) >= 5 else weak).add(label)
    return frozenset(w for w in strong if len(w) >= 2), frozenset(w for w in weak if len(w) >= 2)


def _heading_word(p: str, e: str, scheme: str, labels: tuple[str, ...] | None = None) -> str | None:
    """A column-heading word the name holds (not one of the expected name, nor of any reference name)."""
    strong, weak = _head_words(labels)
    names = _known(scheme)

    def found(words: frozenset[str]) -> list[str]:
        return [w for w in sorted(words) if w in p and w not in e and not any(w in n for n in names)]

    hits = found(strong)
    if hits:
        return hits[0]
    hits = found(weak)
    return hits[0] if len(hits) >= 2 else None


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _run_together(s: str, scheme: str, known: frozenset[str]) -> bool:
    """``s`` is two or more reference names run together, the first possibly a tail, the last a head,
    one of them at least a whole name."""
    heads, tails = _pieces(scheme)
    n = len(s)
    # reach[i]: (pieces so far, a whole name among them) for a split of s[:i]
    reach: dict[int, set[tuple[int, bool]]] = {0: {(0, False)}}
    for i in range(n):
        if i not in reach:
            continue
        for j in range(i + MIN_PIECE, n + 1):
            piece = s[i:j]
            whole = piece in known
            if not (whole or (i == 0 and piece in tails) or (j == n and piece in heads)):
                continue
            for count, any_whole in reach[i]:
                reach.setdefault(j, set()).add((min(count + 1, 2), any_whole or whole))
    return (2, True) in reach.get(n, set())


def misread(printed: str, expected: str | None, scheme: str, labels: tuple[str, ...] | None = None) -> str | None:
    """Why the printed name of a row is a misreading (see the module's docstring), else None.
    ``expected``: the reference name of the row's code (None: a row without a code, such as a
    收支总表 class row whose name is no class); ``labels``: the table's column labels (None: every
    catalog table's)."""
    p = norm(printed)
    e = norm(expected) if expected else ""
    known = _known(scheme)
    if not p or p == e or p in known:
        return None
    strong, weak = _head_words(labels)
    if p in strong or p in weak:
        return "是表头文字"
    word = _heading_word(p, e, scheme, labels)
    if word:
        return f"夹有表头文字“{word}”"
    if e:
        if Counter(p) == Counter(e) or (Counter(e) <= Counter(p) and not _subsequence(e, p)
                                         and len(p) - len(e) <= max(2, len(e) // 2)):
            return "字序错乱"
        if _subsequence(e, p) and len(p) > len(e):
            return f"“{e}”中夹有其他文字"
        if p in e:
            return "名称不全（换行处被截断）"
    elif any(p in n for n in known) and len(p) < 30:
        return "只是某个科目名称的一部分"
    else:
        rest = [p.replace(n, "", 1) for n in known if len(n) >= 4 and n in p]
        if any(len(re.sub(r"\(.*?\)", "", r)) >= 2 for r in rest):
            return "是科目名称夹有其他文字"
    if _run_together(p, scheme, known):
        return "由几个科目名称拼接而成"
    return None


__all__ = ["misread", "norm"]
