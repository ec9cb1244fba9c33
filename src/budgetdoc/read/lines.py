"""The common reading layer: pages of positioned lines.

Every format adapter (plain text, converter markdown/HTML, PDF, spreadsheet) produces a :class:`Source`;
the recogniser reads only this. A line of a text file has no box; a line of a PDF has one, and its words
keep theirs (and a table row's cells theirs, ``cell_boxes``). Converter tables already split a line into
cells; PDF lines carry words with x positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]


@dataclass(slots=True)
class Word:
    text: str
    bbox: BBox


@dataclass(slots=True)
class Line:
    text: str  # normalised text of the whole line (cells joined by a tab when cells are known)
    page: int  # 1-based
    number: int  # 1-based line number in the file (text) or on the page (PDF)
    bbox: BBox | None = None
    cells: list[str] | None = None  # cells when the source has them (markdown/TSV/HTML/spreadsheet)
    words: list[Word] | None = None  # words with boxes (PDF)
    # one box per cell (PDF grids): the union of the words placed in the cell; a blank cell has the
    # grid cell's rectangle (the column between its rules, the row's height)
    cell_boxes: list[BBox | None] | None = None
    heading: int = 0  # markdown heading level (number of #), 0 when not a heading
    raw: str = ""  # the line as it was in the source, before normalisation


@dataclass(slots=True)
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    width: float | None = None
    height: float | None = None
    has_text: bool = True  # False: no usable text layer (a scan)
    ocr: bool = False  # the lines were recognised by OCR (a scan read by the OCR hook)
    ocr_skipped: bool = False  # a scan left unread because the document's OCR page budget was spent
    # why the reader left a page with a text layer unread (a text layer of garbage, far too many words):
    # the reason as REC002 says it after “第N页”; has_text is then False
    skipped: str | None = None


@dataclass(slots=True)
class Source:
    path: str
    form: str  # "text", "markdown", "pdf", "xlsx"
    pages: list[Page] = field(default_factory=list)
    title: str | None = None  # document title from metadata, where the format has one
    ocr_engine: str | None = None  # the OCR engine asked for pages without text (None: none was available)

    def lines(self) -> list[Line]:
        return [ln for p in self.pages for ln in p.lines]
