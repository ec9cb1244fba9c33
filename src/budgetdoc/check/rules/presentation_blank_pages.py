"""PRS005: a blank page (after the 目录, among the tables, anywhere inside the document)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...model import Disclosure, Location
from ..findings import Finding
from ..parts import part_map
from ..rule import Rule

_PAGE_NUMBER = re.compile(r"^[\s\-—─–_·.第页共/]*\d{1,4}[\s\-—─–_·.页共/\d]*$")


class BlankPage(Rule):
    """The pages between the first and the last hold content (primer §10: “a blank page after the 目录, a
    table page left empty”). A page with nothing printed, or only its page number, inside the document is
    blank. Pages without a text layer (scans) are REC002's, not blank.

    Bad:  page 3 blank between the 目录 (page 2) and 主要职能 (page 4).
    Good: every page printed; a PDF's trailing blank page is not seen (its page count is not in the model).
    """

    id = "PRS005"
    name = "blank-page"
    category = "presentation"
    severity = "info"

    def run(self, doc: Disclosure) -> Iterator[Finding]:
        scanned = {d.location.page for d in doc.diagnostics if d.code in ("page-skipped", "page-ocr")}
        content: dict[int, int] = {}
        for ln in doc.lines():
            t = ln.text.strip()
            if t and not _PAGE_NUMBER.match(t):
                content[ln.page] = content.get(ln.page, 0) + 1
        if len(content) < 2:
            return
        pm = part_map(doc)
        pages = sorted(content)
        for page in range(pages[0] + 1, pages[-1]):
            if page in content or page in scanned:
                continue
            before = max(p for p in pages if p < page)
            after = min(p for p in pages if p > page)
            where = self._where(doc, pm, before, after)
            yield self.finding(
                f"第{page}页为空白页{where}，应删除",
                Location(file=doc.source, page=page, bbox=self._page_box(doc, before)), actual="空白页",
            )

    @staticmethod
    def _page_box(doc: Disclosure, page: int):
        """The printed area of the page before (a blank page has none of its own): its lines' union."""
        boxes = [ln.bbox for ln in doc.lines() if ln.page == page and ln.bbox is not None]
        if not boxes:
            return None
        return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))

    @staticmethod
    def _where(doc: Disclosure, pm, before: int, after: int) -> str:
        if pm.toc is not None and pm.toc[1][0] == before:
            return "（位于目录之后）"
        starts = [s for s, _, _ in pm.tables]
        if starts and starts[0][0] <= before and after <= max(e for _, e, _ in pm.tables)[0]:
            return "（位于公开表之间）"
        return f"（第{before}页与第{after}页之间）"
