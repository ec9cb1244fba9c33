"""Build variants of a sample PDF by editing its text layer with PyMuPDF (never the sample itself).

:func:`replace_text` removes one piece of text from one page (a redaction that keeps the ruling lines
and images) and prints the new text at the same place, same size, in a CJK font, and returns where the
edit was, so a test can check that a finding points there; :func:`drop_pages` deletes whole pages and
:func:`clear_pages` redacts every text on them. The samples are tagged PDFs whose structure elements carry
``/ActualText``, which MuPDF reads instead of the glyphs: the ActualText of what was redacted goes too,
else the reader would still see the old text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pymupdf

CJK_FONT = "china-s"  # a built-in CJK font (Adobe-GB1): hanzi and full-width punctuation
# PyMuPDF gives every character of "china-s" a full em, twice the width of the digits of SimSun /
# FangSong: a changed amount would run over its cell's rule. ASCII runs go in Times (digits half an em).
ASCII_FONT = "tiro"


@dataclass(frozen=True)
class Edit:
    path: Path  # the variant
    page: int  # 1-based page number of the edit
    rect: tuple[float, float, float, float]  # where the old text was (and the new one is)
    page_rect: tuple[float, float, float, float]


def band(page: pymupdf.Page, anchor: str, nth: int = 1) -> pymupdf.Rect:
    """The full-width horizontal band of the ``nth`` line holding ``anchor`` (to pick one cell of a row)."""
    hits = page.search_for(anchor)
    assert len(hits) >= nth, f"{anchor!r} found {len(hits)} times on page {page.number + 1}"
    r = hits[nth - 1]
    return pymupdf.Rect(page.rect.x0, r.y0 + 1, page.rect.x1, r.y1 - 1)


def _span_size(page: pymupdf.Page, rect: pymupdf.Rect) -> tuple[float, tuple[float, float]]:
    """Font size and baseline origin of the span holding the start of ``rect`` (horizontal text)."""
    size, origin, _ = _span_geometry(page, rect)
    return size, origin


def _span_geometry(page: pymupdf.Page, rect: pymupdf.Rect) -> tuple[float, tuple[float, float], int]:
    """Font size, baseline origin and rotation (0, or 90 for text running upwards, as a page with
    /Rotate 90 prints its landscape tables) of the span holding the start of ``rect``."""
    best = None
    for block in page.get_text("dict", clip=rect)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                box = pymupdf.Rect(span["bbox"])
                overlap = (box & rect).get_area()
                if span["text"].strip() and (best is None or overlap > best[0]):
                    best = (overlap, span)
    assert best is not None, f"no span at {rect}"
    span = best[1]
    line_dir = next((ln["dir"] for b in page.get_text("dict", clip=rect)["blocks"] for ln in b.get("lines", ())
                     if span in ln["spans"]), (1.0, 0.0))
    if abs(line_dir[1]) > 0.5:  # runs upwards: the origin is at the bottom of the text
        return span["size"], (span["origin"][0], rect.y1), 90
    return span["size"], (rect.x0, span["origin"][1]), 0


def insert(page: pymupdf.Page, origin: tuple[float, float], text: str, size: float, rotate: int = 0) -> None:
    """Print ``text`` from ``origin`` (left end of its baseline; the bottom end of text that runs
    upwards, ``rotate`` 90): CJK runs in :data:`CJK_FONT`, ASCII runs (digits, ``.``, ``%``) in
    :data:`ASCII_FONT`."""
    x, y = origin
    for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
        font = ASCII_FONT if run[0].isascii() else CJK_FONT
        page.insert_text((x, y), run, fontname=font, fontsize=size, rotate=rotate)
        step = pymupdf.get_text_length(run, fontname=font, fontsize=size)
        if rotate == 90:
            y -= step
        else:
            x += step


def _drop_actual_text(pdf: pymupdf.Document, page: pymupdf.Page, old: str | None) -> None:
    """Tagged PDFs (the samples, exported from Word) give spans an ``/ActualText`` in their structure
    elements, and MuPDF extracts that instead of the glyphs: a redacted word would still be read
    (as zero-width characters). Remove the ActualText of the page's elements that hold ``old`` (all of
    them when ``old`` is None); the glyphs left are then read by their ToUnicode map, as before."""
    for xref in range(1, pdf.xref_length()):
        kind, value = pdf.xref_get_key(xref, "ActualText")
        if kind == "null" or pdf.xref_get_key(xref, "Pg")[1] != f"{page.xref} 0 R":
            continue
        text = _pdf_string(value)
        if old is None or old in text or old in text.replace(" ", ""):
            pdf.xref_set_key(xref, "ActualText", "null")


def _pdf_string(value: str) -> str:
    """A PDF string object as xref_get_key gives it (``<FEFF…>`` or ``(…)``) → text."""
    if value.startswith("<") and value.endswith(">"):
        raw = bytes.fromhex(value[1:-1])
        return raw[2:].decode("utf-16-be", "replace") if raw[:2] == b"\xfe\xff" else raw.decode("latin-1")
    return value.strip("()")


def _redact(page: pymupdf.Page, rect: pymupdf.Rect) -> None:
    # shrink a little, so the characters next to the hit (touching its box) survive
    page.add_redact_annot(pymupdf.Rect(rect.x0 + 0.8, rect.y0 + 1, rect.x1 - 0.8, rect.y1 - 1))
    page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)


def replace_text(
    src: Path | str,
    out: Path,
    page_no: int,
    old: str,
    new: str,
    clip: pymupdf.Rect | None = None,
    anchor: str | None = None,
) -> Edit:
    """A copy of ``src`` at ``out`` with ``old`` on page ``page_no`` (1-based) replaced by ``new``.

    ``old`` must occur exactly once on the page (or inside ``clip``, or in the row band of ``anchor``);
    else the test is wrong and fails here. The new text is printed from the old one's left edge on its
    baseline, at the old span's font size. An empty ``new`` only removes ``old``."""
    pdf = pymupdf.open(str(src))
    page = pdf[page_no - 1]
    if anchor is not None:
        clip = band(page, anchor)
    hits = page.search_for(old, clip=clip)
    assert len(hits) == 1, f"{old!r} found {len(hits)} times on page {page_no} (clip {clip})"
    rect = hits[0]
    size, origin, rotate = _span_geometry(page, rect)
    _redact(page, rect)
    _drop_actual_text(pdf, page, old)
    if new:
        insert(page, origin, new, size, rotate)
    page_rect = tuple(page.rect)
    pdf.save(str(out), garbage=1, deflate=True)
    pdf.close()
    return Edit(out, page_no, tuple(rect), page_rect)


def clear_pages(src: Path | str, out: Path, pages: list[int]) -> Path:
    """A copy with every text of the given pages (1-based) removed; ruling lines stay (a table's frame
    without a word in it)."""
    pdf = pymupdf.open(str(src))
    for no in pages:
        page = pdf[no - 1]
        page.add_redact_annot(page.rect)
        page.apply_redactions(images=pymupdf.PDF_REDACT_IMAGE_NONE, graphics=pymupdf.PDF_REDACT_LINE_ART_NONE)
        _drop_actual_text(pdf, page, None)
    pdf.save(str(out), garbage=1, deflate=True)
    pdf.close()
    return out


def drop_pages(src: Path | str, out: Path, pages: list[int]) -> Path:
    """A copy without the given pages (1-based)."""
    pdf = pymupdf.open(str(src))
    pdf.delete_pages([no - 1 for no in pages])
    pdf.save(str(out), garbage=1, deflate=True)
    pdf.close()
    return out


def unrotated(path: Path | str, page_no: int, box: tuple[float, float, float, float]) -> pymupdf.Rect:
    """A box as the reader gives it (the page as shown) in the page's own coordinates, where
    :func:`replace_text` searches (they differ on a page with /Rotate)."""
    with pymupdf.open(str(path)) as pdf:
        page = pdf[page_no - 1]
        return pymupdf.Rect(box) * page.derotation_matrix if page.rotation else pymupdf.Rect(box)


def page_text(path: Path | str, page_no: int) -> str:
    """PyMuPDF's plain text of one page, whitespace removed (to see an edit took)."""
    with pymupdf.open(str(path)) as pdf:
        return "".join(pdf[page_no - 1].get_text("text").split())
