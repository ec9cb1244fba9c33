"""Screenshots of a PDF page around a remark: a band of the page, the remark's box outlined in red and the
other places it names in blue. The source PDF is read into memory once and never written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .model import Crop

MAX_CROPS = 60  # per document: a form with more remarks shows the first ones' pictures, the rest quoted
ZOOM = 1.4
MARGIN = 36.0  # points above and below the box


@dataclass
class Picture:
    png: bytes
    width: int  # pixels
    height: int


class PdfPages:
    def __init__(self, path: str | None) -> None:
        self.doc = None
        self.count = 0
        if path and path.lower().endswith(".pdf") and os.path.isfile(path):
            try:
                import pymupdf

                with open(path, "rb") as fh:
                    self.doc = pymupdf.open(stream=fh.read(), filetype="pdf")
            except Exception:  # noqa: BLE001 - a form without pictures is still a form
                self.doc = None

    def picture(self, crop: Crop | None) -> Picture | None:
        """The PNG of a crop (None: not a PDF crop, or past the limit, or the page cannot be drawn)."""
        if crop is None or crop.page is None or self.doc is None or self.count >= MAX_CROPS:
            return None
        if not 1 <= crop.page <= self.doc.page_count:
            return None
        import pymupdf

        try:
            page = self.doc[crop.page - 1]
            pr = page.rect
            if crop.bbox is not None:
                box = pymupdf.Rect(crop.bbox) & pr
                if box.is_empty:
                    return None
                clip = pymupdf.Rect(pr.x0, max(pr.y0, box.y0 - MARGIN), pr.x1, min(pr.y1, box.y1 + MARGIN))
            else:
                box = None
                clip = pymupdf.Rect(pr.x0, pr.y0, pr.x1, min(pr.y1, pr.y0 + pr.width * 0.6))
            pix = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=clip)
            for rect, color in [(pymupdf.Rect(b), (40, 90, 220)) for b in crop.related] + (
                    [(box, (220, 30, 30))] if box is not None else []):
                _outline(pix, rect, clip, color)
            self.count += 1
            return Picture(pix.tobytes("png"), pix.width, pix.height)
        except Exception:  # noqa: BLE001 - one page that cannot be drawn loses its picture only
            return None

    def close(self) -> None:
        if self.doc is not None:
            self.doc.close()
            self.doc = None


def _outline(pix, rect, clip, color: tuple[int, int, int], width: int = 2) -> None:
    """A rectangle outlined on the pixmap (four thin filled bands), in pixmap pixels."""
    import pymupdf

    x0 = int((rect.x0 - clip.x0) * ZOOM) - 3
    y0 = int((rect.y0 - clip.y0) * ZOOM) - 3
    x1 = int((rect.x1 - clip.x0) * ZOOM) + 3
    y1 = int((rect.y1 - clip.y0) * ZOOM) + 3
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(pix.width - 1, x1), min(pix.height - 1, y1)
    if x1 <= x0 or y1 <= y0:
        return
    for r in ((x0, y0, x1, y0 + width), (x0, y1 - width, x1, y1), (x0, y0, x0 + width, y1), (x1 - width, y0, x1, y1)):
        pix.set_rect(pymupdf.IRect(*r), color)


__all__ = ["MAX_CROPS", "PdfPages", "Picture"]
