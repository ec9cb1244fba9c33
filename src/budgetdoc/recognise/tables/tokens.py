"""Split one line of table text into tokens: numbers, integers (codes, 行次), words, blank markers.

Text extracted from PDFs glues cells together (``2,132.07一、一般公共服务支出``, ``0.0331003 专用设备购置``)
and puts spaces inside numbers (``1, 466.86``). :func:`tokenize` undoes both:

* a number immediately followed by Chinese text ends where the text begins;
* a decimal number with more than two decimals is an amount glued to a classification code: amounts
  have one or two decimals and codes 3, 5 or 7 digits, so the length of the digit run after the point
  tells the split apart (``0.0331003`` = ``0.03`` + ``31003``; ``17.230227`` = ``17.2`` + ``30227``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ...decimals import to_decimal
from ..text import compact

NUM = "num"  # an amount with a decimal point or thousands separators
INT = "int"  # digits only: a code, a 行次, a 栏次 or an amount without decimals
WORD = "word"
DASH = "dash"  # a printed placeholder for an empty cell (-, —)
ID = "id"  # a long alphanumeric identifier (project codes)

_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_SPACE_IN_NUMBER = (
    (re.compile(r"(?<=\d,)\s+(?=\d{3}(?:\D|$))"), ""),  # "1, 466.86"
    (re.compile(r"(?<=\d)\s+(?=\.\d)"), ""),  # "466 .86"
    (re.compile(r"(?<=\d\.)\s+(?=\d{1,2}(?:\D|$))"), ""),  # "466. 86"
)
_DASHES = {"-", "—", "–", "--", "——", "－", "/"}
_WORD_SUFFIX = "年月日%％"  # "2023年" is a word, not a number
_IDENT = re.compile(r"^(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{10,}$")
# digits alone, more than any amount prints (10 万亿 元 has 14): a project's code (420100265030030000100)
_DIGIT_IDENT = re.compile(r"^\d{15,}$")
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    line: int = 0
    page: int = 0
    bbox: tuple[float, float, float, float] | None = None  # the cell's box (PDF grids), else None

    @property
    def value(self) -> Decimal | None:
        return amount(self.text) if self.kind in (NUM, INT) else None

    @property
    def is_number(self) -> bool:
        return self.kind in (NUM, INT)


@lru_cache(maxsize=1 << 16)
def amount(text: str) -> Decimal | None:
    """The value of a printed amount (``1,466.86`` → ``Decimal('1466.86')``); None if it is not one."""
    t = text.strip().replace(",", "").replace(" ", "")
    if not t or not re.fullmatch(r"-?\d+(?:\.\d+)?", t):
        return None
    return to_decimal(t)  # None for a digit string too long to be an amount


def default_is_code(digits: str) -> bool:
    """A classification code: functional 类/款/项 (201…234) or economic 类/款 (301…399, 501…599)."""
    from .codes import is_code

    return bool(_CODE.match(digits)) and is_code(digits)


def join_number_spaces(text: str) -> str:
    for pattern, repl in _SPACE_IN_NUMBER:
        text = pattern.sub(repl, text)
    return text


def split_glued(number: str, is_code: Callable[[str], bool] = default_is_code) -> tuple[str, str] | None:
    """``0.0331003`` → (``0.03``, ``31003``); None when the number is not an amount glued to a code."""
    head, dot, frac = number.partition(".")
    if not dot or len(frac) <= 2:
        return None
    for decimals in (1, 2):
        code = frac[decimals:]
        if len(code) in (3, 5, 7) and is_code(code):
            return f"{head}.{frac[:decimals]}", code
    return None


def tokenize(
    text: str, line: int = 0, page: int = 0, is_code: Callable[[str], bool] = default_is_code
) -> list[Token]:
    """The tokens of one line of table text, in order."""
    out: list[Token] = []
    for chunk in join_number_spaces(text).split():
        if chunk in _DASHES:
            out.append(Token(DASH, chunk, line, page))
            continue
        if _IDENT.match(chunk) and (not chunk.isdigit() or _DIGIT_IDENT.match(chunk)):
            out.append(Token(ID, chunk, line, page))
            continue
        _chunk(chunk, out, line, page, is_code)
    return _merge_words(out)


def _chunk(chunk: str, out: list[Token], line: int, page: int, is_code: Callable[[str], bool]) -> None:
    pos = 0
    word = ""
    while pos < len(chunk):
        m = _NUMBER.match(chunk, pos)
        # a minus sign belongs to a number only at the start of a chunk or after a word
        if m and chunk[pos] == "-" and pos > 0 and chunk[pos - 1].isdigit():
            m = None
        if not m:
            word += chunk[pos]
            pos += 1
            continue
        num = m.group(0)
        end = m.end()
        after = chunk[end] if end < len(chunk) else ""
        if after == "年" and chunk[end + 1:end + 2] in ("初", "末", "终") and len(num) < 4:
            after = ""  # ``28年末…``: a 行次 glued to the next row's 年末结转和结余, not a year
        if (word and not word[-1].isspace() and num.isdigit() and len(num) <= 2 and _in_word(word)) or (
            after and after in _WORD_SUFFIX and num.isdigit() and len(num) <= 4
        ):
            # digits inside a word (表1, 3月, 2023年) stay in the word
            word += num + (after if after in _WORD_SUFFIX else "")
            pos = end + (1 if after in _WORD_SUFFIX else 0)
            continue
        if word:
            out.append(Token(WORD, word, line, page))
            word = ""
        glued = split_glued(num, is_code)
        if glued:
            out.append(Token(NUM, glued[0], line, page))
            out.append(Token(INT, glued[1], line, page))
        else:
            kind = INT if re.fullmatch(r"\d+", num) else NUM
            out.append(Token(kind, num, line, page))
        pos = end
    if word:
        out.append(Token(WORD, word, line, page))


def _in_word(word: str) -> bool:
    """True when ``word`` ends inside a name that digits may continue (表, 第, 附件, 目标)."""
    return word.endswith(("表", "第", "附件", "目标", "年度", "指标"))


def _merge_words(tokens: list[Token]) -> list[Token]:
    """Adjacent words (split by spaces the extractor put inside a name) become one word."""
    out: list[Token] = []
    for tok in tokens:
        if tok.kind == WORD and out and out[-1].kind == WORD:
            prev = out[-1]
            out[-1] = Token(WORD, prev.text + tok.text, prev.line, prev.page)
        else:
            out.append(tok)
    return out


def cell_tokens(
    cell: str, line: int = 0, page: int = 0, bbox: tuple[float, float, float, float] | None = None
) -> list[Token]:
    """Tokens of one cell of a markdown/PDF grid: the cell's own kind, never split into pieces
    unless it holds an amount glued to text. Every token carries the cell's ``bbox`` (PDF)."""
    c = cell.strip()
    if not c:
        return []
    if c in _DASHES:
        return [Token(DASH, c, line, page, bbox)]
    compacted = compact(c)
    if _DIGIT_IDENT.match(compacted):
        return [Token(ID, compacted, line, page, bbox)]
    if amount(compacted) is not None or _NUMBER.fullmatch(compacted):
        kind = INT if compacted.lstrip("-").isdigit() else NUM
        return [Token(kind, compacted, line, page, bbox)]
    if _IDENT.match(compacted):
        return [Token(ID, compacted, line, page, bbox)]
    if not _DIGIT.search(c) and not any(w in _DASHES for w in c.split()):
        return [Token(WORD, compacted, line, page, bbox)]  # what tokenize makes of it: words only
    toks = tokenize(c, line, page)
    if all(t.kind == WORD for t in toks):
        return [Token(WORD, compacted, line, page, bbox)]
    if bbox is not None:
        toks = [Token(t.kind, t.text, t.line, t.page, bbox) for t in toks]
    return toks


__all__ = [
    "DASH",
    "ID",
    "INT",
    "NUM",
    "WORD",
    "Token",
    "amount",
    "cell_tokens",
    "default_is_code",
    "join_number_spaces",
    "split_glued",
    "tokenize",
]
