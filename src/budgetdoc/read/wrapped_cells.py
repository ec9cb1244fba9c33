"""Names wrapped inside side-by-side cells, brought back to their cells.

A table row that prints several names side by side — a 收支总表 line (income item | expenditure class), a
基本支出 line of panels (人员经费 | 公用经费, each code, name, amount) — whose names wrap inside their cells
comes out of a text extractor as one line per printed line: the first pieces on the row's line (or on
the line above), the other pieces on the line below, one piece per wrapped cell, side by side::

    七、附属单 七、文化旅游体                        30108 机关事业单位基本 6.18 30299 其他商品和 0.50
    位上缴收入 育与传媒支出                          养老保险缴费 服务支出

Read as a stream of words, the pieces would join the wrong rows (``文化旅游体位上缴收入育与传媒支出``). A
line of words only whose pieces are as many as the names of the row line next to it is put back into
those names, piece by piece. When it could continue the row above or begin the row below, the names of
the reference lists decide (``机关事业单位基本`` + ``养老保险缴费`` is 30108's name); the row above
when they do not. A line of one piece beside a row of several names goes where the reference names say
(else it is left alone). Every line keeps its number; the joined pieces' lines are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lines import Line, Word

_NUM = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")
_LINE_NO = re.compile(r"^\d{1,2}$")
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|0)$")  # no year, no count
_CJK = re.compile(r"[\u4e00-\u9fff]")
_PIECE_BAD = re.compile(r"[0-9０-９。；;：:，,！？!?]")
_CODE = re.compile(r"^(?:\d{3}|\d{5}|\d{7})$")
_PART = re.compile(r"^\d{2}$")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十廿]+[、.．]|[（(][一二三四五六七八九十廿]+[)）][、.．]?|\d{1,2}[、.．])")
_HEADINGS = re.compile(r"项目|预算数|决算数|合计|总计|小计|科目|编码|名称|栏次|行次|金额|单位[:：]|^注|^第[一二三四五六七八九十]+部分")
MAX_PIECE = 24
MAX_LINE = 160


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """(code → its names in every year, every name) of both classifications, without ordinals or spaces."""
    from ..data import all_names

    by_code: dict[str, set[str]] = {}
    for scheme in ("functional", "economic"):
        for code, years in all_names(scheme).items():
            by_code.setdefault(code, set()).update("".join(n.split()) for n in years.values())
    every = frozenset(n for names in by_code.values() for n in names)
    return {c: frozenset(n) for c, n in by_code.items()}, every


def _piece(chunk: str) -> bool:
    return bool(chunk and len(chunk) <= MAX_PIECE and _CJK.search(chunk) and not _PIECE_BAD.search(chunk))


def _slots(chunks: list[str]) -> list[tuple[int, str | None]] | None:
    """The name chunks of a row line: (index among the line's chunks, the code before it), when the
    line holds an amount and two names at least, or a code of the reference lists (its name, if not
    printed beside it, an empty chunk put after the code); else None. ``chunks`` may gain such empty
    chunks."""
    if sum(len(c) + 1 for c in chunks) > MAX_LINE:
        return None
    by_code = _names()[0]
    out: list[tuple[int, str | None]] = []
    i = 0
    while i < len(chunks):
        c = chunks[i]
        if _CODE.match(c) and (i == 0 or _NUM.match(chunks[i - 1]) or _piece(chunks[i - 1])):
            code, k = c, i + 1
            while k < len(chunks) and _PART.match(chunks[k]) and len(code) < 7:
                code += chunks[k]
                k += 1
            if code in by_code:
                if k < len(chunks) and _piece(chunks[k]):
                    out.append((k, code))
                    i = k + 1
                    continue
                chunks.insert(k, "")  # a code without its name beside it
                out.append((k, code))
                i = k + 1
                continue
        elif _piece(c):
            out.append((i, None))
        i += 1
    coded = any(c for _, c in out)
    amounts = any(_AMOUNT.match(c) for c in chunks if c)
    numbered = sum(1 for c in chunks if _ORDINAL.match(c)) >= 2  # the halves of a blank summary row
    # names followed by their 行次 (``年初财政拨款 28 年末财政拨款 60``)
    lined = all(i + 1 < len(chunks) and _LINE_NO.match(chunks[i + 1]) for i, _ in out)
    if len(out) >= 2 and (amounts or numbered or coded or lined) or len(out) == 1 and (coded or lined):
        return out
    if len(out) >= 2 and len(out) == len([c for c in chunks if c]):
        return [(i, _WEAK) for i, _ in out]  # names only: pieces join them only where the names say so
    return None


_WEAK = "?"  # the code of a slot on a line of names only (no code, no amount)


def _fits(code: str | None, name: str) -> int:
    """2 when ``name`` is a reference name (of ``code`` when there is one), 1 when it begins one."""
    by_code, every = _names()
    key = _ORDINAL.sub("", name)
    names = by_code.get(code, frozenset()) if code else every | _row_labels()
    if key in names:
        return 2
    if (code or len(key) >= 4) and any(n.startswith(key) for n in (names if code else _row_labels())):
        return 1
    return 0


@lru_cache(maxsize=1)
def _row_labels() -> frozenset[str]:
    """The names of the summary rows the catalog knows (本年收入合计, 结余分配, 上级补助收入, …): its row
    identities' totals and items and the rows its relations name — rows, not pieces; those of every
    region's layout too (a text is read before its region is known: 当年收入小计, 上年结转资金)."""
    from ..data import catalog, region_layouts

    data = catalog()
    out: set[str] = set()
    tables = [*data["tables"], *(t for layout in region_layouts() for t in layout.get("tables", []))]
    for t in tables:
        for ident in t.get("identities", []):
            if ident.get("kind") != "rows":
                continue
            items = ident.get("items")
            for name in [ident.get("total", ""), *(items if isinstance(items, list) else [])]:
                out.update(n for n in name.split("|") if n)
    relations = [*data.get("relations", []), *(r for layout in region_layouts() for r in layout.get("relations", []))]
    for rel in relations:
        for side in (rel.get("left", ""), rel.get("right", "")):
            for ref in side.split("+"):
                parts = ref.strip().split(":")
                if len(parts) == 3 and not parts[1].startswith("*"):
                    out.add(parts[1].split("@")[0])
    for t in tables:  # the rows a group declares (基本支出, 单位预留机动经费)
        for g in t.get("groups", []):
            out.update(g.get("rows", []))
    return frozenset(out)


def _label(piece: str) -> bool:
    """A piece that is a name of its own: a reference name or a summary row's."""
    key = _ORDINAL.sub("", piece)
    return key in _names()[1] or key in _row_labels()


def _score(row: list[str], slots: list[tuple[int, str | None]], pieces: list[str], below: bool) -> int:
    """How well the pieces complete the names (see :func:`_fits`); -1 when a piece would go to a name
    that is whole already and not with it."""
    total = 0
    for (i, code), p in zip(slots, pieces, strict=False):
        code = None if code == _WEAK else code
        joined = _fits(code, row[i] + p if below else p + row[i])
        if row[i] and joined < 2 and _fits(code, row[i]) == 2:
            return -1
        total += joined
    return total


def _overlap(a: tuple, b: tuple) -> float:
    """Horizontal overlap of two boxes, relative to the narrower."""
    inter = min(a[2], b[2]) - max(a[0], b[0])
    return inter / max(min(a[2] - a[0], b[2] - b[0]), 1e-6)


def _under(piece: Line, row: Line) -> list[tuple[int, int]] | None:
    """PDF lines: (piece word, the row's name word it is printed under or over) for every word of the
    line of pieces, when each lies within the span of a different name of the row."""
    if not piece.words or not row.words:
        return None
    pairs = []
    words = row.words
    for k, w in enumerate(piece.words):
        centre = (w.bbox[0] + w.bbox[2]) / 2
        at = None
        for j, r in enumerate(words):
            if not _piece(r.text):
                continue
            # the name's column: from the word before it to the word after it (a wrapped name may be
            # centred in its cell)
            lo = words[j - 1].bbox[2] if j else float("-inf")
            hi = words[j + 1].bbox[0] if j + 1 < len(words) else float("inf")
            if lo <= centre <= hi or _overlap(w.bbox, r.bbox) > 0.3:
                at = j
                break
        if at is None or any(at == j for _, j in pairs):
            return None
        pairs.append((k, at))
    return pairs


def _code_before(row: Line, j: int) -> str | None:
    words = row.words or []
    return words[j - 1].text if j and _CODE.match(words[j - 1].text) else None


def _join_by_boxes(lines: list[Line]) -> list[Line]:
    """PDF lines (words with boxes, no grid): each line of pieces goes to the names it is printed under
    (or over); between a row above and a row below, where the reference names say, else the nearer."""
    keep = [True] * len(lines)
    for w, ln in enumerate(lines):
        if ln.cells is not None or not ln.words or not all(_piece(x.text) for x in ln.words) \
                or _ORDINAL.match(ln.words[0].text) or _HEADINGS.search(ln.text) \
                or any(_label(x.text) for x in ln.words):
            continue
        options = []
        for j, below in ((w - 1, True), (w + 1, False)):
            if not 0 <= j < len(lines) or not keep[j] or lines[j].cells is not None or lines[j].bbox is None:
                continue
            row = lines[j]
            if not any(_AMOUNT.match(x.text) or _CODE.match(x.text) for x in row.words or []):
                continue
            pairs = _under(ln, row)
            if not pairs:
                continue
            gap = (ln.bbox[1] - row.bbox[3]) if below else (row.bbox[1] - ln.bbox[3])
            # the piece ends the name (or begins it) as the reference names say, else as printed
            for after in ((below, not below) if below else (below, not below)):
                fits = [(_fits(_code_before(row, t), row.words[t].text),
                         _fits(_code_before(row, t), (row.words[t].text + ln.words[k].text) if after
                               else (ln.words[k].text + row.words[t].text))) for k, t in pairs]
                if any(alone == 2 and joined < 2 for alone, joined in fits):
                    continue  # a name whole without the piece
                score = sum(joined for _, joined in fits)
                if after != below and not score:
                    continue
                options.append((-score, abs(gap), after != below, after, j, pairs))
        if not options:
            continue
        _, _, _, below, j, pairs = min(options)
        row = lines[j]
        words = list(row.words or [])
        for k, t in pairs:
            a, b = (words[t], ln.words[k]) if below else (ln.words[k], words[t])
            box = (min(a.bbox[0], b.bbox[0]), min(a.bbox[1], b.bbox[1]), max(a.bbox[2], b.bbox[2]),
                   max(a.bbox[3], b.bbox[3]))
            words[t] = Word(a.text + b.text, box)
        box = (min(row.bbox[0], ln.bbox[0]), min(row.bbox[1], ln.bbox[1]), max(row.bbox[2], ln.bbox[2]),
               max(row.bbox[3], ln.bbox[3]))
        lines[j] = Line(text=" ".join(x.text for x in words), page=row.page, number=row.number, bbox=box,
                        words=words, raw="\n".join((row.raw, ln.raw)) if below else "\n".join((ln.raw, row.raw)))
        keep[w] = False
    return [x for k, x in enumerate(lines) if keep[k]]


MAX_ROUNDS = 4


def join_wrapped_cells(lines: list[Line]) -> list[Line]:
    """See the module's docstring. Repeated until nothing more joins (a piece that could go to either of
    two rows goes once the other row has taken its own): the same lines come out of lines already joined."""
    join = _join_by_boxes if any(ln.words for ln in lines) else _join_by_names
    for _ in range(MAX_ROUNDS):
        before = len(lines)
        lines = join(list(lines))
        if len(lines) == before:
            break
    return lines


def _join_by_names(lines: list[Line]) -> list[Line]:
    texts = [ln.text for ln in lines]
    keep = [True] * len(lines)
    chunks = [t.split() for t in texts]
    slots = [_slots(c) for c in chunks]
    for w, ln in enumerate(lines):
        if ln.cells is not None or not texts[w].strip():
            continue
        pieces = chunks[w]
        if not pieces or not all(_piece(p) for p in pieces) or _ORDINAL.match(pieces[0]) \
                or _HEADINGS.search(texts[w]):
            continue
        up = next((j for j in range(w - 1, max(-1, w - 3), -1) if keep[j] and texts[j].strip()), None)
        down = next((j for j in range(w + 1, min(len(lines), w + 3)) if texts[j].strip()), None)
        options = []
        for j, below in ((up, True), (down, False)):
            if j is None or lines[j].page != ln.page or slots[j] is None or lines[j].cells is not None:
                continue
            s = slots[j]
            if len(pieces) == len(s) and len(s) >= 2 and not any(_label(p) for p in pieces):
                options.append((_score(chunks[j], s, pieces, below), below, j, s, pieces))
            # the whole line one piece (a space inside it) beside one of the names: where the names say
            whole = ["".join(pieces)]
            for k in range(len(s)):
                score = _score(chunks[j], [s[k]], whole, below)
                if score:
                    options.append((score, below, j, [s[k]], whole))
        if not options:
            continue
        options = [o for o in options if o[0] >= 0 and (o[0] > 0 or all(c != _WEAK for _, c in o[3]))]
        if not options:
            continue
        options.sort(key=lambda o: (-o[0], not o[1]))
        best = options[0]
        if len(best[4]) == 1 and len(options) > 1 and options[1][0] == best[0]:
            continue  # the names do not say where it goes
        if not best[1] and best[0] == 0:
            continue  # the heads of the row below only where the names say so
        _, below, j, s, pieces = best
        for (i, _code), p in zip(s, pieces, strict=True):
            chunks[j][i] = chunks[j][i] + p if below else p + chunks[j][i]
        keep[w] = False
        old = lines[j]
        lines[j] = Line(text=" ".join(c for c in chunks[j] if c), page=old.page, number=old.number, bbox=old.bbox,
                        raw="\n".join((old.raw, ln.raw)) if below else "\n".join((ln.raw, old.raw)))
        texts[j] = lines[j].text
    return [ln for k, ln in enumerate(lines) if keep[k]]


__all__ = ["join_wrapped_cells"]
