"""Screenshots of a PDF page around the remarks: a band of the page, each remark's box outlined in red and
the other places it names in blue, at 72 dpi, written as PNG with a fast zlib level. Remarks close to each
other on one page (rows of one table, sentences of one paragraph) share one picture showing all their
boxes, so a form costs a picture per place, not per remark (``bench/bench_inspect.py``). The source PDF is
read into memory once and never written.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass

from .model import Crop

MAX_CROPS = 40  # pictures per document: a form with more places shows the first ones, the rest by page
GROUP = 240.0  # points: remarks whose boxes fit in a band this high on one page share a picture
ZOOM = 1.0
MARGIN = 24.0  # points above and below the box
MIN_WIDTH = 360.0  # points: a narrow box is shown with its neighbourhood


@dataclass
class Picture:
    png: bytes
    width: int  # pixels
    height: int


class PdfPages:
    def __init__(self, path: str | None) -> None:
        self.doc = None
        self.count = 0
        self._pages: dict[int, object] = {}
        self._lists: dict[int, object] = {}
        if path and path.lower().endswith(".pdf") and os.path.isfile(path):
            try:
                import pymupdf

                with open(path, "rb") as fh:
                    self.doc = pymupdf.open(stream=fh.read(), filetype="pdf")
            except Exception:  # noqa: BLE001 - a form without pictures is still a form
                self.doc = None

    def pictures(self, crops: list[Crop | None]) -> list[Picture | None]:
        """One picture per crop (None where there is none); crops close together on a page share one."""
        out: list[Picture | None] = [None] * len(crops)
        if self.doc is None:
            return out
        groups: list[tuple[int, list[int]]] = []  # (page, indices), in the order of the crops
        for i, c in enumerate(crops):
            if c is None or c.page is None or not 1 <= c.page <= self.doc.page_count:
                continue
            for page, members in groups:
                if page == c.page and c.bbox is not None and all(crops[j].bbox is not None for j in members):
                    top = min(min(crops[j].bbox[1] for j in members), c.bbox[1])
                    bottom = max(max(crops[j].bbox[3] for j in members), c.bbox[3])
                    if bottom - top <= GROUP:
                        members.append(i)
                        break
            else:
                groups.append((c.page, [i]))
        for page, members in groups:
            pic = self._render(page, [crops[j] for j in members])
            for j in members:
                out[j] = pic
        return out

    def picture(self, crop: Crop | None) -> Picture | None:
        """The picture of one crop."""
        return self.pictures([crop])[0]

    def _render(self, page_no: int, crops: list[Crop]) -> Picture | None:
        if self.count >= MAX_CROPS:
            return None
        import pymupdf

        try:
            page = self._pages.get(page_no)
            if page is None:
                page = self._pages[page_no] = self.doc[page_no - 1]
            pr = page.rect
            boxes = [pymupdf.Rect(c.bbox) & pr for c in crops if c.bbox is not None]
            boxes = [b for b in boxes if not b.is_empty]
            if boxes:
                u = pymupdf.Rect(boxes[0])
                for b in boxes[1:]:
                    u |= b
                x0, x1 = u.x0 - 40, u.x1 + 40
                if x1 - x0 < MIN_WIDTH:
                    x0 = (u.x0 + u.x1 - MIN_WIDTH) / 2
                    x1 = x0 + MIN_WIDTH
                clip = pymupdf.Rect(max(pr.x0, x0), max(pr.y0, u.y0 - MARGIN), min(pr.x1, x1),
                                    min(pr.y1, u.y1 + MARGIN))
            else:
                clip = pymupdf.Rect(pr.x0, pr.y0, pr.x1, min(pr.y1, pr.y0 + pr.width * 0.5))
            dl = self._lists.get(page_no)
            if dl is None:
                dl = self._lists[page_no] = page.get_displaylist()
            pix = dl.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=clip, alpha=False)
            samples = bytearray(pix.samples)
            related = [pymupdf.Rect(b) for c in crops for b in c.related]
            for rect, color in [(r, (40, 90, 220)) for r in related] + [(b, (220, 30, 30)) for b in boxes]:
                _outline(samples, pix.width, pix.height, pix.n, rect, clip, color)
            self.count += 1
            return Picture(png(bytes(samples), pix.width, pix.height, pix.n), pix.width, pix.height)
        except Exception:  # noqa: BLE001 - one page that cannot be drawn loses its picture only
            return None

    def close(self) -> None:
        self._pages.clear()
        self._lists.clear()
        if self.doc is not None:
            self.doc.close()
            self.doc = None


def png(samples: bytes, width: int, height: int, n: int = 3) -> bytes:
    """A PNG of 8-bit RGB (n = 3) or gray (n = 1) pixels, compressed fast (zlib level 1)."""
    stride = width * n
    raw = b"".join(b"\x00" + samples[y * stride:(y + 1) * stride] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    color = 2 if n == 3 else 0
    head = struct.pack(">IIBBBBB", width, height, 8, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", head) + chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")


def _outline(samples: bytearray, width: int, height: int, n: int, rect, clip, color: tuple[int, ...],
             thick: int = 2) -> None:
    """A rectangle outlined on the pixels (rows of ``width`` × ``n`` bytes), in picture pixels."""
    x0 = max(0, int((rect.x0 - clip.x0) * ZOOM) - 3)
    y0 = max(0, int((rect.y0 - clip.y0) * ZOOM) - 3)
    x1 = min(width - 1, int((rect.x1 - clip.x0) * ZOOM) + 3)
    y1 = min(height - 1, int((rect.y1 - clip.y0) * ZOOM) + 3)
    if x1 <= x0 or y1 <= y0:
        return
    px = bytes(color[:n]) if n <= len(color) else bytes(color[:1]) * n
    stride = width * n
    span = px * (x1 - x0 + 1)
    for y in (*range(y0, y0 + thick), *range(y1 - thick + 1, y1 + 1)):
        at = y * stride + x0 * n
        samples[at: at + len(span)] = span
    side = px * thick
    for y in range(y0, y1 + 1):
        row = y * stride
        samples[row + x0 * n: row + x0 * n + len(side)] = side
        samples[row + (x1 - thick + 1) * n: row + (x1 + 1) * n] = side


__all__ = ["MAX_CROPS", "PdfPages", "Picture", "png"]
