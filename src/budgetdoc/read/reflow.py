"""Reflow: text as other tools' PDF extractors write it, brought back to the line forms the recognisers read.

Extractors that print one cell per line and break pages where the PDF does produce a few shapes that
the table and narrative readers do not expect. Each pass below turns one of them into the ordinary form;
a text without those shapes comes out unchanged, and every line keeps its page and its line number in
the file (a joined line takes the number of the line that holds its amounts, where findings point):

- page-break marker lines (``-- 3 of 44 --``, ``=== Page 3 ===``, ``[Page 3]``) in a text without form
  feeds start a new page and are dropped;
- a page that begins by repeating the end of the page before (an extractor that printed part of a page
  twice), or by repeating a table's column headings from the page before, and a block of lines printed
  twice in a row within a page: the repeated lines are dropped;
- a heading glued to the end of the line before it (``…情况。收入决算表``, ``合计 … 5,072,5382026年部门
  “三公”经费和机关运行经费预算表``, ``。第三部分 …``) and two rows of a functional or spaced-code table
  glued on one line (``… 7.7320138 市场监督管理事务 …``, ``302 05 水费 10,000 10,000302 06 电费 …``):
  split into lines (both halves keep the line's number);
- a row label wrapped around its amounts, one cell per line (``灾害防治及应急管理支`` / ``98.23`` / ``出``,
  ``机关事业单位基`` / ``2080505 本养老保险缴费 545.85 …`` / ``支出``, ``信息网络及软件购置`` / ``31007`` /
  ``更新``): joined into one row, code first, then the whole label, then the amounts.

The 目录 with dotted leaders and no page numbers is ended in :mod:`budgetdoc.recognise.sections`.
"""

from __future__ import annotations

import re
from collections import Counter

from .cell_lines import cell_per_line, join_cell_lines
from .lines import Line, Page, Source
from .wrapped_cells import join_wrapped_cells

# ---------------------------------------------------------------- page-break markers

_MARKER = re.compile(
    r"^\s*(?:"
    r"-{2,}\s*\d{1,4}\s*of\s*\d{1,4}\s*-{2,}"  # -- 3 of 44 --   (pdf-parse)
    r"|={2,}\s*[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*={2,}"  # === Page 3 ===
    r"|-{2,}\s*[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*-{2,}"  # --- Page 3 ---
    r"|\[\s*[Pp]age\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*\]"  # [Page 3]
    r"|<{2,}\s*[Pp]age\s*\d{1,4}\s*>{2,}"  # <<<PAGE 3>>>
    r"|[-=]{2,}\s*第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?\s*[-=]{2,}"  # ---- 第3页 ----
    r")\s*$"
)


_ONE_OF_ONE = re.compile(r"^\s*-{2,}\s*1\s*of\s*1\s*-{2,}\s*$")


def split_marker_pages(source: Source) -> None:
    """Page-break marker lines become page breaks — only in a text that has no form feeds (one page) and
    at least two markers: a single such line is as likely to be printed text, unless it is the last line
    of a text of one page as pdf-parse ends it (``-- 1 of 1 --``)."""
    if len(source.pages) != 1:
        return
    lines = source.pages[0].lines
    if sum(1 for ln in lines if _MARKER.match(ln.text)) < 2:
        last = next((ln for ln in reversed(lines) if ln.text.strip()), None)
        if last is not None and _ONE_OF_ONE.match(last.text):
            last.text = ""  # the page's end, no text of the document
        return
    pages: list[Page] = [Page(number=1)]
    broken = False  # a marker was passed: the next line with text starts a page
    for ln in lines:
        if _MARKER.match(ln.text):
            broken = True
            continue
        if broken and ln.text.strip():
            if any(x.text.strip() for x in pages[-1].lines):
                pages.append(Page(number=len(pages) + 1))
            broken = False
        ln.page = pages[-1].number
        pages[-1].lines.append(ln)
    source.pages = pages


# ---------------------------------------------------------------- page numbers

_PAGE_NO = re.compile(r"^\s*[-—–]?\s*(?:第\s*)?(\d{1,4})\s*页?\s*[-—–]?\s*$")
MIN_NUMBERED_PAGES = 3


def drop_page_numbers(source: Source) -> None:
    """A page's number printed alone on its last (or first) line — a PDF's footer that a text extractor
    wrote as a line — is no table row's amount: blanked where the pages number themselves (three pages or
    more whose number line runs with the page sequence, one offset for most of them)."""
    if len(source.pages) < MIN_NUMBERED_PAGES:
        return
    found: list[tuple[Line, int]] = []  # (line, printed number − page's position)
    for i, page in enumerate(source.pages):
        texts = [ln for ln in page.lines if ln.text.strip()]
        for ln in {id(x): x for x in (texts[-1:] + texts[:1])}.values():
            m = _PAGE_NO.match(ln.text)
            if m:
                found.append((ln, int(m.group(1)) - i))
    if len(found) < MIN_NUMBERED_PAGES:
        return
    offsets = Counter(off for _, off in found)
    offset, n = offsets.most_common(1)[0]
    if n < MIN_NUMBERED_PAGES or 5 * n < 4 * len({id(ln) for ln, _ in found}):
        return
    for ln, off in found:
        if off == offset:
            ln.text = ""


# ---------------------------------------------------------------- a page repeated in part

_SPACE = re.compile(r"\s+")
MIN_REPEAT_LINES = 2
MIN_REPEAT_CHARS = 20
MAX_PAGE_LINES = 300  # bounds the searches below on input that is no real page
MAX_LINE = 400  # a line longer than this is no table row or heading: not split


def _key(ln: Line) -> str:
    return "".join(ln.text.split())


_DIGIT = re.compile(r"\d")
_PART_OR_ITEM = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．])")
_UNIT_LINE = re.compile(r"^(?:编制|金额)?(?:单位|部门)(?:名称)?[:：]|单位[:：]?(?:万元|元)$")


def _repeated_head(before: list[str], after: list[str]) -> int:
    """How many first lines of a page (``after``) repeat lines of the page before (``before``): the
    longest run that ends the page before (any lines: a page printed again in part), or a run found
    elsewhere on it without any digit (a table's column headings printed again on its next page).
    Only the last :data:`MAX_PAGE_LINES` lines of the page before count (a real page has fewer)."""
    before = before[-MAX_PAGE_LINES:]
    for k in range(min(len(before), len(after)), MIN_REPEAT_LINES - 1, -1):
        if before[-k:] == after[:k] and sum(len(t) for t in after[:k]) >= MIN_REPEAT_CHARS:
            return k
    best = 0
    for j in range(len(before)):
        k = 0
        while j + k < len(before) and k < len(after) and before[j + k] == after[k]:
            if _DIGIT.search(after[k]) or _UNIT_LINE.search(after[k]) or _PART_OR_ITEM.match(after[k]):
                # (each table opens with its 编制部门 / 单位 lines: not headings printed again; a part's or
                # an item's heading — “第一部分 部门概况” / “一、主要职能” — is the 目录's entry printed again)
                break
            k += 1
        best = max(best, k)
    if best >= MIN_REPEAT_LINES and sum(len(t) for t in after[:best]) >= MIN_REPEAT_CHARS // 2:
        return best
    return 0


def drop_repeated_heads(source: Source) -> None:
    """The first lines of a page that repeat lines of the page before (see :func:`_repeated_head`) are
    dropped from the later page."""
    # each page is compared with the page before as printed (not with what is left of it once its own
    # repeated head is dropped: a table's headings printed on each of its pages)
    printed = [[_key(ln) for ln in p.lines if _key(ln)] for p in source.pages]
    for before, page in zip(printed, source.pages[1:], strict=False):
        while best := _repeated_head(before, [_key(ln) for ln in page.lines if _key(ln)]):
            kept: list[Line] = []
            dropped = 0
            for ln in page.lines:
                if dropped < best:
                    if _key(ln):
                        dropped += 1
                    continue
                kept.append(ln)
            page.lines = kept


MIN_BLOCK_LINES = 3
MIN_BLOCK_CHARS = 40


_ROW_AMOUNT = re.compile(r"\d\.\d{2}(?!\d)|\d,\d{3}(?!\d)")


def drop_repeated_headings(lines: list[Line]) -> list[Line]:
    """A table's column headings printed again between its rows, where a lost page break was: three or
    more lines without any digit or ordinal (``二十、…`` is a row), between a line with amounts and a
    line with amounts, that were printed before within the last :data:`MAX_PAGE_LINES` lines as
    headings (after a line without amounts: the title or the 单位 line), are dropped."""
    keys = [_key(ln) for ln in lines]
    idx = [i for i, k in enumerate(keys) if k]
    texts = [keys[i] for i in idx]
    drop: set[int] = set()
    i = 1
    while i < len(texts):
        if _DIGIT.search(texts[i]) or not _ROW_AMOUNT.search(texts[i - 1]):
            i += 1
            continue
        end = i
        while end < len(texts) and not _DIGIT.search(texts[end]):
            end += 1
        k = end - i
        if k >= MIN_BLOCK_LINES and end < len(texts) and _ROW_AMOUNT.search(texts[end]) \
                and sum(len(t) for t in texts[i:end]) >= MIN_REPEAT_CHARS \
                and not any(_ORDINAL_HEAD.match(t) for t in texts[i:end]):
            lo = max(1, i - MAX_PAGE_LINES)
            block = texts[i:end]
            before = range(lo, i - k)
            if any(texts[j:j + k] == block and not _ROW_AMOUNT.search(texts[j - 1]) for j in before):
                drop.update(idx[i:end])
        i = end + 1
    return [ln for j, ln in enumerate(lines) if j not in drop]


def drop_repeated_blocks(lines: list[Line]) -> list[Line]:
    """A block of lines printed twice in a row inside a page (a text that lost its page breaks: the
    page repeated in part follows the lines it repeats): ``A B C A B C`` keeps ``A B C`` once. At least
    3 lines and 40 characters, so that two equal short lines (a form's 满意 / 满意) stay."""
    keys = [_key(ln) for ln in lines]
    idx = [i for i, k in enumerate(keys) if k]
    texts = [keys[i] for i in idx]
    drop: set[int] = set()
    kept: list[str] = []  # the texts kept so far
    chars = [0]  # chars[m] = characters of kept[:m]
    seen: dict[str, list[int]] = {}  # text -> its positions in ``kept``
    i = 0
    while i < len(texts):
        found = 0
        for j in reversed(seen.get(texts[i], [])[-4:]):  # a block starting where this text was last seen
            k = len(kept) - j
            if k < MIN_BLOCK_LINES or k > min(len(texts) - i, MAX_PAGE_LINES):
                continue
            if chars[-1] - chars[j] >= MIN_BLOCK_CHARS and kept[j:] == texts[i:i + k]:
                found = k
                break
        if found:
            drop.update(idx[i:i + found])
            i += found
            continue
        seen.setdefault(texts[i], []).append(len(kept))
        kept.append(texts[i])
        chars.append(chars[-1] + len(texts[i]))
        i += 1
    return [ln for j, ln in enumerate(lines) if j not in drop]


# ---------------------------------------------------------------- glued headings and rows

_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+\.\d{2}"
_TITLE_WORDS = ("收入", "支出", "预算", "决算", "经费", "收支", "财政拨款")
# a table title glued after the end of a sentence or after an amount
_GLUED_TITLE = re.compile(
    r"^(?P<head>.*(?:[。；）)]|\d,\d{3}|\d\.\d{2}))(?P<title>(?:20\d\d\s*年度?)?[^\d。；，,：:、\s][^。；，,：:]{3,40}?表)$"
)
# a title that starts with its year, glued to a table's note: ``注：…故本表无数据2026年部门…预算表``
_GLUED_YEAR_TITLE = re.compile(
    r"^(?P<head>\s*(?:注|说明|备注).*[\u4e00-\u9fff）)])(?P<title>20\d\d\s*年度?[^。；，,：:\d]{3,40}?表)$"
)
# a thousands-grouped amount glued to a following number: ``5,072,5382026年…`` = 5,072,538 + 2026年…
_GLUED_GROUPED = re.compile(r"^(?P<head>.*?\d{1,3}(?:,\d{3})+)(?P<tail>\d.*)$")
_GLUED_PART = re.compile(
    r"^(?P<head>.*[。；]|第[一二三四五六七八九十]+部分\s*\S.{0,60}?)(?P<tail>第[一二三四五六七八九十]+部分.{2,60})$"
)
# two numbered 目录 entries or headings on one line: ``四、…情况说明五、一般公共预算…说明``
_GLUED_ENTRY = re.compile(
    r"^(?P<head>[一二三四五六七八九十]{1,3}、[^。；，,：:\d\s]{2,40}?(?:说明|情况|表))"
    r"(?P<tail>[一二三四五六七八九十]{1,3}、[^。；，,：:\d\s]{2,40})$"
)
_GLUED_TOC = re.compile(r"^(?P<head>.*(?:决算|预算|公开|\d))\s*(?P<tail>目\s*录)$|^(?P<h2>.*\S)(?P<t2>目\s+录)$")
# text glued after a 目录 entry's dotted leader: ``七、项目经费情况说明 ……………普陀区…主要职能``
_GLUED_AFTER_LEADER = re.compile(r"^(?P<head>.*?[…‥⋯·.．]{3,})(?P<tail>[^…‥⋯·.．\d\s].*)$")
# a part heading of a Shanghai 预算 (项目经费情况说明, 其他相关情况说明, …) glued after a sentence
_GLUED_HEADING = re.compile(
    r"^(?P<head>.*(?:。|\d\.\d{2}|\d,\d{3}))(?P<tail>(?!具体|详细|有关|以下|下面|如下)(?:20\d\d年度?)?"
    r"[^。；;，,：:\d\s]{0,16}(?:情况说明|编制说明|名词解释|主要职能|机构设置))$"
)
# two rows of a coded table on one line: an amount glued to the next row's code and name
_FUNCTIONAL = r"2\d{2}(?:\d{2}){0,2}(?![\d.,])"
_SPACED = r"\d{3}(?:\s\d{2}){1,2}(?![\d.,])"
_ROW_HEAD = re.compile(rf"^\s*(?:{_FUNCTIONAL}|{_SPACED})\s*[\u4e00-\u9fff]")
_GLUED_ROW = re.compile(
    rf"(?P<amount>\d\.\d{{2}}|\d,\d{{3}})(?P<code>(?:{_FUNCTIONAL}|{_SPACED})\s*[\u4e00-\u9fff])"
)


# a row's last amount glued to the head of the next row's wrapped label: ``… 615.12其他城乡社区公共设施支``
_GLUED_LABEL_HEAD = re.compile(r"(?:\d\.\d{2}|\d,\d{3})(?P<tail>[\u4e00-\u9fff][^\d。；，,：:]{0,39})$")
# the tail of a wrapped label glued to the next row: ``管理支出22402 消防救援事务 98.23 98.23``
_GLUED_LABEL_TAIL = re.compile(
    rf"^[\u4e00-\u9fff][^\d\s。；，,：:]{{0,9}}(?P<row>(?:{_FUNCTIONAL}|{_SPACED})\s+[\u4e00-\u9fff])"
)


_HEADING_ENDS = ("表", "部分", "录", "说明", "情况", "解释", "职能", "设置", "……")


def _glued_title(text: str) -> int | None:
    """Where a glued table title starts in ``text`` (None: there is none)."""
    if not any(w in text for w in _HEADING_ENDS):
        return None
    m = _GLUED_GROUPED.match(text)
    if m and re.match(r"20\d\d\s*年", m.group("tail")) and _is_title(m.group("tail")):
        return m.start("tail")
    for pat in (_GLUED_TITLE, _GLUED_YEAR_TITLE):
        m = pat.match(text)
        if m and _is_title(m.group("title")) and m.group("head").strip():
            return m.start("title")
    m = _GLUED_TOC.match(text)
    if m:
        return m.start("tail") if m.group("tail") else m.start("t2")
    for pat in (_GLUED_PART, _GLUED_HEADING, _GLUED_ENTRY, _GLUED_AFTER_LEADER):
        m = pat.match(text)
        if m and m.group("head").strip():
            return m.start("tail")
    return None


def _is_title(text: str) -> bool:
    t = _SPACE.sub("", text)
    return t.endswith("表") and 5 <= len(t) <= 50 and any(w in t for w in _TITLE_WORDS)


def _split_points(text: str) -> list[int]:
    points: list[int] = []
    if _ROW_HEAD.match(text):
        for m in _GLUED_ROW.finditer(text):
            points.append(m.start("code"))
        m = _GLUED_LABEL_HEAD.search(text)
        if m:
            points.append(m.start("tail"))
    m = _GLUED_LABEL_TAIL.match(text)
    if m and _ROW_HEAD.match(text[m.start("row"):]):
        points.append(m.start("row"))
    title = _glued_title(text)
    if title is not None and title not in points:
        points.append(title)
    return sorted(p for p in points if 0 < p < len(text))


def split_glued(lines: list[Line]) -> list[Line]:
    """A heading glued to the end of a line, and two coded rows glued on one line, become two lines
    with the line's page and number."""
    out: list[Line] = []
    for ln in lines:
        if ln.cells is not None or not ln.text or len(ln.text) > MAX_LINE:
            out.append(ln)
            continue
        points = _split_points(ln.text)
        if not points:
            out.append(ln)
            continue
        start = 0
        for p in [*points, len(ln.text)]:
            part = ln.text[start:p].strip()
            if part:
                out.append(Line(text=part, page=ln.page, number=ln.number, bbox=ln.bbox, raw=ln.raw))
            start = p
    return out


# ---------------------------------------------------------------- labels wrapped around their amounts

_NUM = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")
_CODE = r"(?:\d{3}(?:\s\d{2}){1,2}|\d{3}|\d{5}|\d{7})"
_CODE_LINE = re.compile(rf"^(?P<code>{_CODE})(?:\s+(?P<rest>.*))?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FRAGMENT_BAD = re.compile(r"[0-9０-９。；;：:，,！？!?\t]")
_ORDINAL_HEAD = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.．、])")
_NOT_LABEL = {"合计", "总计", "小计", "项目", "说明", "注", "单位", "金额"}
MAX_HEAD_FRAGMENT = 24
MAX_TAIL_FRAGMENT = 10


def _fragment(text: str, limit: int, least: int = 1) -> bool:
    """One cell of words (no space inside: several cells are a header line), ``least``…``limit`` long,
    without digits or punctuation."""
    t = text.strip()
    return bool(
        t and least <= len(t) <= limit and not _SPACE.search(t) and _CJK.search(t)
        and not _FRAGMENT_BAD.search(t) and t not in _NOT_LABEL
        and not t.startswith(("注", "说明", "备注", "单位", "编制"))
    )


def _row(text: str) -> tuple[str, str, str] | None:
    """(code, label part, the rest from the first amount on) of a table row whose label may be partial:
    a code alone, a code and amounts, a code, some words and amounts, or amounts alone; None otherwise."""
    text = text.strip()
    code = ""
    rest = text
    m = _CODE_LINE.match(text)
    if m:
        code, rest = m.group("code"), (m.group("rest") or "")
    tokens = rest.split()
    i = 0
    while i < len(tokens) and not _NUM.match(tokens[i]):
        i += 1
    label, amounts = tokens[:i], tokens[i:]
    if not amounts:
        return (code, "", "") if code and not label else None
    if not code and not all(_NUM.match(a) for a in amounts):
        return None  # without a code, a row of amounts only (no 63.6%, no 万元, no more words)
    if not code and "." not in amounts[0] and "," not in amounts[0]:
        return None  # bare integers without a code are no row (years, counts)
    if label and (not code or not _fragment("".join(label), MAX_HEAD_FRAGMENT)):
        return None
    return code, "".join(label), " ".join(amounts)


def join_wrapped_labels(lines: list[Line]) -> list[Line]:
    """``label head`` / ``[code] [label middle] amounts`` / ``label tail`` on three lines of one page,
    the heads and tails being short word fragments: one row ``[code] head+middle+tail amounts``."""
    out: list[Line] = []
    i = 0
    n = len(lines)
    while i < n:
        if i + 2 < n:
            head, mid, tail = lines[i], lines[i + 1], lines[i + 2]
            after = lines[i + 3] if i + 3 < n else None
            joined = _join(head, mid, tail, after)
            if joined is not None:
                out.append(joined)
                i += 3
                continue
        out.append(lines[i])
        i += 1
    return out


def _join(head: Line, mid: Line, tail: Line, after: Line | None) -> Line | None:
    if len(tail.text) > 2 * MAX_TAIL_FRAGMENT or len(head.text) > 2 * MAX_HEAD_FRAGMENT:
        return None  # quick: a fragment is short
    if head.cells is not None or mid.cells is not None or tail.cells is not None:
        return None
    if "\n" in head.raw or "\n" in mid.raw or "\n" in tail.raw:
        return None  # a line joined already (its raw holds its source lines): joined once, not again
    if not (head.page == mid.page == tail.page):
        return None
    if not _fragment(head.text, MAX_HEAD_FRAGMENT, 2) or not _fragment(tail.text, MAX_TAIL_FRAGMENT):
        return None
    if _ORDINAL_HEAD.match(tail.text.strip()):
        return None
    row = _row(mid.text)
    if row is None:
        return None
    code, middle, rest = row
    # the line after, as it was printed (a row joined already begins with the fragment it was joined from)
    first = after.raw.split("\n", 1)[0] if after is not None and "\n" in after.raw else (after.text if after else "")
    goes_on = after is not None and after.page == tail.page and _fragment(first, MAX_HEAD_FRAGMENT)
    if not rest and goes_on:
        return None  # a code alone between words that go on: not one label around its code
    label = _SPACE.sub("", head.text) + middle + _SPACE.sub("", tail.text)
    if code and not _head_fits(code.replace(" ", ""), _SPACE.sub("", head.text), middle + _SPACE.sub("", tail.text)):
        return None  # the words above end the row above (two rows each wrapped over two lines)
    text = " ".join(p for p in (code, label, rest) if p)
    raw = "\n".join((head.raw, mid.raw, tail.raw))
    return Line(text=text, page=mid.page, number=mid.number, bbox=mid.bbox, raw=raw)


def _head_fits(code: str, head: str, rest: str) -> bool:
    """False when the code's name in the reference lists is the rest of the label without the words
    above it (``208 05 行政事业单`` / ``位养老支出`` under ``就业支出``: 行政事业单位养老支出), and not with them."""
    from ..data import all_names

    scheme = "economic" if code[:1] in "35" else "functional"
    names = {_SPACE.sub("", n) for n in all_names(scheme).get(code, {}).values()}
    if not names or not any(n.startswith(rest) for n in names):
        return True
    return any(n.startswith(head + rest) for n in names)


# ---------------------------------------------------------------- the pass

def reflow(source: Source) -> Source:
    """All passes, in place; returns ``source``. Idempotent: a reflowed text reflows to itself."""
    split_marker_pages(source)
    drop_page_numbers(source)
    for page in source.pages:
        page.lines = split_glued(page.lines)
    drop_repeated_heads(source)
    for page in source.pages:
        lines = drop_repeated_headings(drop_repeated_blocks(page.lines))
        # a page written one cell per line has no labels wrapped around their amounts: its cells are joined
        page.lines = join_cell_lines(lines) if cell_per_line(lines) else join_wrapped_labels(join_wrapped_cells(lines))
    return source


__all__ = ["drop_repeated_heads", "join_wrapped_labels", "reflow", "split_glued", "split_marker_pages"]
