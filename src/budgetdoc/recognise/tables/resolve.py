"""Which column does each printed number belong to, when the text has lost the blank cells.

In text extracted from a PDF a row ``2080108 信息化建设 444.42 444.42`` of a 支出决算表 has two numbers
for six columns. A careful reader picks the columns so that the table's own identities hold
(``total = basic + project + …`` on the row) and so that the children of each code add up to their
parent in every column; only when that leaves a tie does the left-most placement win.

:func:`choices` lists the placements of one row (order of the numbers kept), best first;
:func:`resolve_tree` picks one per row jointly over the code hierarchy with a bounded search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

MAX_CHOICES = 4000  # placements listed per row (C(12, 6) = 924 for the 三公 row)
MAX_STATES = 20000  # partial sums kept while matching children to their parent
MAX_ROOT_TRIES = 64
MAX_RELAXED_CHOICES = 12  # children with several placements left when one parent column is set aside


@dataclass(frozen=True, slots=True)
class Expr:
    """``lhs = Σ sign·term`` over column indices."""

    lhs: int
    terms: tuple[tuple[int, int], ...]  # (sign, column index)


@dataclass(frozen=True, slots=True)
class Choice:
    cols: tuple[int, ...]  # the column index of each printed number, in order
    vec: tuple[int, ...]  # value in cents per column, 0 when blank
    viol: int  # identities this placement breaks
    rank: int  # position in left-first order (the last tie-breaker)


def cents(value: Decimal | None) -> int:
    return 0 if value is None else int((value * 100).to_integral_value())


def parse_exprs(identities: list[dict], column_ids: list[str]) -> list[Expr]:
    """The catalog's ``columns`` identities of a table as index expressions. A column the table does
    not print counts as blank; an identity applies when its left side and the columns it ``needs`` are
    printed, and at least one term is."""
    index = {c: i for i, c in enumerate(column_ids)}
    out: list[Expr] = []
    for ident in identities:
        if ident.get("kind") != "columns":
            continue
        lhs, _, rhs = ident["expr"].partition("=")
        lhs = lhs.strip()
        if lhs not in index or any(n not in index for n in ident.get("needs", ())):
            continue
        terms = tuple(
            (-1 if sign == "-" else 1, index[name])
            for sign, name in re.findall(r"([+-]?)\s*([A-Za-z_][A-Za-z_0-9]*)", rhs)
            if name in index
        )
        if terms:
            out.append(Expr(index[lhs], terms))
    return out


def rounding(terms: int) -> int:
    """Cents a sum of ``terms`` printed amounts may differ from its printed total (each cell is rounded
    on its own): none for a single term, about half a cent per term otherwise."""
    return 0 if terms <= 1 else (terms + 1) // 2


def choices(values: list[Decimal | None], ncols: int, exprs: list[Expr]) -> list[Choice]:
    """The placements of ``values`` (None = a printed blank marker) into ``ncols`` columns, order kept,
    that break the fewest identities, left-first. A depth-first search over the columns checks each
    identity as soon as all its columns are decided and drops branches already worse than the best
    placement found. Empty when there are more values than columns."""
    n = len(values)
    if n > ncols:
        return []
    vals = [cents(v) for v in values]
    bits = [(1 << i) if v is not None else 0 for i, v in enumerate(values)]
    by_max: list[list[tuple[int, tuple[tuple[int, int], ...], int, int]]] = [[] for _ in range(ncols)]
    for e in exprs:
        cols = [e.lhs, *(c for _, c in e.terms)]
        mask = sum(1 << c for c in set(cols))
        by_max[max(cols)].append((e.lhs, e.terms, mask, sum(1 << c for _, c in e.terms)))
    vec = [0] * ncols
    placed_cols: list[int] = []
    out: list[Choice] = []
    best = [1 << 30]
    visited = [0]

    def broken(lo: int, hi: int, mask: int) -> int:
        bad = 0
        for m in range(lo, hi):
            for lhs, terms, emask, tmask in by_max[m]:
                if mask & emask:
                    diff = vec[lhs]
                    for sign, c in terms:
                        diff -= sign * vec[c]
                    if diff and abs(diff) > rounding((mask & tmask).bit_count()):
                        bad += 1
        return bad

    def dfs(k: int, start: int, mask: int, viol: int) -> None:
        if visited[0] >= MAX_CHOICES:
            return
        if k == n:
            visited[0] += 1
            v = viol + broken(start, ncols, mask)
            if v < best[0]:
                best[0] = v
                out.clear()
            if v == best[0]:
                out.append(Choice(tuple(placed_cols), tuple(vec), v, visited[0]))
            return
        for c in range(start, ncols - (n - k) + 1):
            vec[c] = vals[k]
            m2 = mask | (bits[k] and (1 << c))
            v = viol + broken(start, c + 1, m2)
            if v <= best[0]:
                placed_cols.append(c)
                dfs(k + 1, c + 1, m2, v)
                placed_cols.pop()
            vec[c] = 0

    dfs(0, 0, 0, 0)
    return out


def good(options: list[Choice]) -> list[Choice]:
    """The placements that break the fewest identities."""
    if not options:
        return []
    best = options[0].viol
    return [c for c in options if c.viol == best]


def match_children(
    parent: tuple[int, ...], kids: list[list[Choice]], skip: int | None = None
) -> list[int] | None:
    """One placement per child such that the children add up to ``parent`` in every column (within
    rounding: half a cent per child); the closest, then left-most, such combination. None when there is none or the
    search would exceed its bound. ``skip``: a column the children need not add up to (a misprinted
    parent cell)."""
    found = match_children_all(parent, kids, skip)
    return found[0] if found else None


def match_children_all(
    parent: tuple[int, ...], kids: list[list[Choice]], skip: int | None = None
) -> tuple[list[int], bool] | None:
    """:func:`match_children` and whether its combination is the only one that adds up exactly as well
    (False: another placement of some child fits the parent as closely — the sums do not decide)."""
    ncols = len(parent)
    tol = max(1, rounding(len(kids)))
    nonneg = all(v >= 0 for v in parent) and all(v >= 0 for opts in kids for c in opts for v in c.vec)
    if skip is not None:  # the column takes no part: zero in the parent and in every child
        parent = tuple(0 if c == skip else p for c, p in enumerate(parent))
        kids = [[replace(ch, vec=tuple(0 if c == skip else v for c, v in enumerate(ch.vec))) for ch in opts]
                for opts in kids]
        if sum(len({ch.vec for ch in opts}) > 1 for opts in kids) > MAX_RELAXED_CHOICES:
            return None  # too many children still undecided to tell one misprint from another
    # state (the children's sums so far) → (cost, picks, several: more than one way of placing the
    # children's amounts reaches it)
    states: dict[tuple[int, ...], tuple[int, tuple[int, ...], bool]] = {tuple([0] * ncols): (0, (), False)}
    for opts in kids:
        nxt: dict[tuple[int, ...], tuple[int, tuple[int, ...], bool]] = {}
        vecs = {}
        for i, ch in enumerate(opts):
            vecs.setdefault(ch.vec, i)  # placements giving the same cells are one way
        for state, (cost, picks, several) in states.items():
            for i, ch in enumerate(opts):
                if vecs[ch.vec] != i:
                    continue
                s = tuple(a + b for a, b in zip(state, ch.vec, strict=True))
                if nonneg and any(x > p + tol for x, p in zip(s, parent, strict=True)):
                    continue
                c = cost + ch.rank
                old = nxt.get(s)
                if old is None:
                    nxt[s] = (c, (*picks, i), several)
                else:
                    best_c, best_p, _ = (c, (*picks, i), 0) if c < old[0] else old
                    nxt[s] = (best_c, best_p, True)
        if len(nxt) > MAX_STATES or not nxt:
            return None
        states = nxt
    best: tuple[int, int, tuple[int, ...], bool] | None = None
    ties = 0
    for s, (cost, picks, several) in states.items():
        devs = [abs(x - p) for x, p in zip(s, parent, strict=True)]
        if max(devs) > tol:
            continue
        key = sum(devs)
        if best is None or (key, cost) < best[:2]:
            ties = 1 if best is None or key < best[0] else ties + 1
            best = (key, cost, picks, several)
        elif key == best[0]:
            ties += 1
    if best is None:
        return None
    return list(best[2]), not best[3] and ties == 1


def _one_cell_off(parent: tuple[int, ...], kids: list[list[Choice]]) -> list[int] | None:
    """The children's placement when they add up to the parent in every column but one (the parent's
    cell there is misprinted, and is reported where it is), and only one column can be that one. A
    child whose own identities fail stays undecided all the same (see :func:`resolve_tree`)."""
    if not any(len(opts) > 1 for opts in kids):
        return None
    found = [sol for c in range(len(parent)) if parent[c]  # a printed cell, not a blank
             and (sol := match_children(parent, kids, skip=c)) is not None]
    return found[0] if len(found) == 1 else None


def resolve_tree(
    options: list[list[Choice]], parent_of: list[int | None]
) -> tuple[list[Choice | None], set[int]]:
    """Pick one placement per row. ``options[i]`` are row i's placements (from :func:`choices`),
    ``parent_of[i]`` the index of its parent row (None for a top row). Returns the picks and the rows
    that stayed ambiguous (several placements fit and neither identities nor hierarchy decided, or
    none fits)."""
    n = len(options)
    kids: list[list[int]] = [[] for _ in range(n)]
    for i, p in enumerate(parent_of):
        if p is not None:
            kids[p].append(i)
    picked: list[Choice | None] = [None] * n
    unresolved: set[int] = set()

    def settle(i: int) -> None:
        """Row i is picked; pick its children."""
        children = [k for k in kids[i] if options[k]]
        if not children:
            return
        lists = [good(options[k]) for k in children]
        ch = picked[i]
        found = match_children_all(ch.vec, lists) if ch is not None else None
        sol = found[0] if found else None
        mine = good(options[i])
        if found and not found[1] or i in unresolved and not mine[0].viol and len({o.vec for o in mine}) > 1:
            # another placement of some children adds up as well (to this parent's placement, or to
            # another as good): the sums do not decide those
            unresolved.update(k for k, opts in zip(children, lists, strict=True) if len({o.vec for o in opts}) > 1)
        if sol is None and ch is not None:
            sol = _one_cell_off(ch.vec, lists)
            if sol is not None:  # the children that fit nowhere themselves stay undecided
                unresolved.update(k for k, opts in zip(children, lists, strict=True)
                                  if opts[0].viol and len(opts) > 1)
        if sol is None:
            # the parent's own placement is the reference; children keep their own best
            sol = [0] * len(children)
            for k, opts in zip(children, lists, strict=True):
                if len(opts) > 1 or (opts[0].viol and len(options[k]) > 1):
                    unresolved.add(k)
        for k, opts, j in zip(children, lists, sol, strict=True):
            picked[k] = opts[j]
        for k in children:
            settle(k)

    for i in range(n):
        if parent_of[i] is not None or not options[i]:
            continue
        opts = good(options[i])
        children = [k for k in kids[i] if options[k]]
        chosen = opts[0]
        if len({o.vec for o in opts}) > 1:
            # several placements as good: the children's sums decide, when only one of them fits
            lists = [good(options[k]) for k in children]
            fitting = [ch for ch in opts[:MAX_ROOT_TRIES] if children and match_children(ch.vec, lists) is not None]
            if fitting:
                chosen = fitting[0]
            if len({ch.vec for ch in fitting}) != 1:
                unresolved.add(i)
        if opts[0].viol and len(options[i]) > 1:
            unresolved.add(i)
        picked[i] = chosen
        settle(i)
    return picked, unresolved


__all__ = [
    "Choice", "Expr", "cents", "choices", "good", "match_children", "match_children_all", "parse_exprs",
    "resolve_tree",
]
