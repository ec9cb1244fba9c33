"""What the recogniser could not read is said, never dropped silently."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure, Location
from ..findings import Finding
from ..rule import Rule


class Unrecognised(Rule):
    """Lines inside a table that could not be read, and amounts whose column is ambiguous.

    A checker that silently skips what it cannot read misses the wrong numbers there, and one that
    turns it into arithmetic errors cries wolf. What one table could not read is said once, as one
    warning naming the first place and how many more there are (the other places are listed as related
    locations); no arithmetic, relation or completeness finding is derived from it (check/certainty.py).

    An amount whose column could not be decided (text that lost its blank cells, where the table's
    identities leave two placements open) is read where it most likely is, as a guess: nothing is
    concluded from it. That is a note (info) — a warning when a check was left undone because of it
    (check/certainty.py).

    Bad:  a table row ``2080199 其他… 191.76 191.76 1.0`` whose numbers fit no column layout.
    Good: every row of every table read into its columns.
    """

    id = "REC001"
    name = "unrecognised"
    category = "recognition"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        groups: dict[tuple[str | None, str], list] = {}
        uncertain = {t.key: t for t in doc.tables if t.uncertain}
        for d in doc.diagnostics:
            if d.code in PAGE_CODES:
                continue  # REC002
            # diagnostics outside any table are each their own place; amounts placed by a guess and those
            # that fit no placement are one finding of their table; a table not read with certainty is said
            # once, whatever it could not read
            code = "ambiguous-columns" if d.code == GUESSED else d.code
            if d.location.table in uncertain and d.code != "unknown-table":
                code = "uncertain"
            key = (d.location.table, code) if d.location.table else (None, f"{d.code}:{len(groups)}")
            groups.setdefault(key, []).append(d)
        for (table, code), ds in groups.items():
            if code == "uncertain":  # the reason the table is uncertain first
                why = uncertain[table].uncertain
                ds.sort(key=lambda d: d.message != why)
            first = ds[0]
            msg = first.message
            if len(ds) > 1:
                msg += f"（本表另有 {len(ds) - 1} 处{'未能读取之处' if code == 'uncertain' else '同类情况'}）"
            if table in uncertain:
                msg += "；该表未能完整读取，不核对其各行之和"
            yield self.finding(
                msg,
                first.location.at(file=first.location.file or doc.source),
                related=[d.location.at(file=d.location.file or doc.source) for d in ds[1:]],
                # a table the catalog does not know (a region's extra table) is said, not a warning;
                # so are guessed columns, unless a check rested on them (certainty.settle)
                severity="info" if first.code == "unknown-table" or all(d.code == GUESSED for d in ds) else None,
            )


PAGE_CODES = ("page-skipped", "page-ocr")
GUESSED = "guessed-columns"  # the diagnostic of amounts placed by a guess (Cell.read == "guess")
_PAGE = re.compile(r"^第(\d+)页(.*)$", re.S)


def pages_text(numbers: list[int]) -> str:
    """``第3、4页``, ``第1至24页``, ``第2、5至7页``: runs of three or more pages as a range."""
    numbers = sorted(set(numbers))
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}至{r[-1]}" if len(r) >= 3 else "、".join(str(n) for n in r) for r in runs]
    return f"第{'、'.join(parts)}页"


class ScannedPages(Rule):
    """Pages without a usable text layer (scans) are said: skipped ones, and those read by OCR.

    A scanned page has no text for the checker to read. Without the ``ocr`` extra it is skipped, and
    every table and statement on it goes unchecked; that is a warning naming the pages, so nobody takes
    a clean report for a checked document. With the extra the page is read by OCR and checked like the
    others, and an info finding names those pages, so a reviewer knows their amounts came from OCR.

    Bad:  a PDF whose pages 3 and 4 are scanned images, read without OCR: “第3、4页没有可用的文字层
          （可能是扫描件），未能识别；安装 budgetdoc[ocr] 后可识别”.
    Good: every page has a text layer, or the scanned ones were read by OCR (info only).
    """

    id = "REC002"
    name = "scanned-pages"
    category = "recognition"
    severity = "warning"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        groups: dict[tuple[str, str], list[tuple[int, Location]]] = {}
        for d in doc.diagnostics:
            m = _PAGE.match(d.message)
            if d.code not in PAGE_CODES or not m:
                continue
            loc = d.location.at(file=d.location.file or doc.source)
            groups.setdefault((d.code, m.group(2)), []).append((int(m.group(1)), loc))
        for (code, why), pages in groups.items():
            pages.sort(key=lambda t: t[0])
            yield self.finding(
                f"{pages_text([n for n, _ in pages])}{why}",
                pages[0][1],
                severity="info" if code == "page-ocr" else None,
                related=[loc for _, loc in pages[1:]],
            )
