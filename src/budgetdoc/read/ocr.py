"""OCR of scanned PDF pages (the ``ocr`` extra): one PyMuPDF page → positioned :class:`Line`s.

The engine is RapidOCR 3.x on ONNX Runtime (``pip install 'budgetdoc[ocr]'``). Its wheel ships its
models (PP-OCRv6 small detection and recognition, the mobile direction classifier, ~31 MB of .onnx);
they are passed to it by path, so its own download code (used only when no model path is given) is
never reached and nothing is fetched at run time. When the package or its models are missing,
:func:`default_hook` gives ``None`` and scanned pages stay unread (the recogniser reports them).

A page is rendered at :data:`DPI` (longest side at most :data:`MAX_SIDE` pixels), recognised, and each
text box is mapped back to PDF points (as the page is shown, like the text layer's words). The boxes
are then read as :mod:`budgetdoc.read.pdf` reads words:

- ruling lines are found in the image (morphological opening with long thin kernels) and handed to
  :func:`budgetdoc.read.pdf_grid.grids` as if they were the page's drawings, so a ruled table gives one
  line per row with ``cells`` on its column grid, exactly as on a page with a text layer (a box the
  engine ran across a cell rule is split there, by its characters' estimated widths);
- all other boxes are grouped into lines by vertical overlap, left to right (an unruled table row is
  one line across the page, without cells, as for the text layer).

A page scanned askew is turned straight first (by the median slope of its long text boxes; without
that, half a degree already breaks every rule into pieces too short to be found). Measured on pages
of the samples rendered to images at 150 dpi (and, for one, turned 0.8°, -1.5° and 3° with noise and
JPEG compression): every line and every cell the same as the text layer's, but one dropped bracket.

Memory and time: one engine (one ONNX Runtime session per model) serves every page of the process; the
pages are read one at a time, each rendered, recognised and released before the next. What a page
costs is bounded whatever its size: the detector sees the page scaled to at most :data:`DET_SIDE`
pixels on its longer side (≈110 dpi for A4; boxes are found as well as at 200 dpi, and each box is
read from the 200 dpi image), the recogniser takes one box at a time (:data:`BATCH`), no runtime
arena keeps a page's peak, and the memory a page freed is handed back to the system before the next
(``malloc_trim`` where glibc has it). Measured in bench/bench_ocr.py: a 30-page scan at ≈ 0.55 GB
peak (1.3 GB before), about 5 s of CPU a page on 2 cores.

Limits, said plainly: boxes on a straightened page are where they would be had it been scanned
straight (a few points off the image for a large skew); no handwriting, vertical text, or stamps over
text; a rule broken by more than a few pixels may split a table; amounts are what the engine read —
the rules check them like any other, and REC002 tells the reader which pages came from OCR.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from .lines import Line
from .pdf import _W, layout, rounded
from .pdf_grid import grids

ENGINE = "rapidocr"
DPI = 200  # 10.5 pt text is ~29 px high: well inside what the recognition model was trained on
MAX_SIDE = 3000  # pixels: an A3 page at 200 dpi is 3307; larger pages are rendered smaller
MIN_SCORE = 0.5  # the engine's own confidence threshold for a text box
MIN_SKEW = 0.15  # degrees: a page more askew than this is turned straight before its rules are found
# pixels: the longer side of the page as the detector sees it. Its memory grows with the pixels it sees
# (≈ 0.35 KB a pixel: ~0.3 GB at 1280, ~0.8 GB for an A4 page at 200 dpi); 10.5 pt text is ~16 px
# high there, and the boxes it finds are cut from the 200 dpi image for the recogniser.
DET_SIDE = 1280
BATCH = 1  # boxes the recogniser (and the direction classifier) take at once: a batch of long lines is
# padded to the longest and costs ~0.15 GB more at 6, for no time saved on CPU

_lock = threading.Lock()
_engine: Any = None


def _models_dir() -> Path | None:
    """The models folder inside the installed rapidocr package, without importing it."""
    spec = importlib.util.find_spec(ENGINE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _models() -> dict[str, Path] | None:
    """The bundled detection, direction and recognition models (``None`` if any is missing)."""
    root = _models_dir()
    if root is None or not root.is_dir():
        return None
    found: dict[str, Path] = {}
    for task in ("det", "cls", "rec"):
        files = sorted(root.glob(f"*_{task}_*.onnx"))
        if not files:
            return None
        found[task] = files[0]
    return found


def available() -> bool:
    """The engine, ONNX Runtime, OpenCV and the bundled models are installed (nothing is imported)."""
    try:
        mods = all(importlib.util.find_spec(m) is not None for m in (ENGINE, "onnxruntime", "cv2", "numpy"))
    except (ImportError, ValueError):
        return False
    return mods and _models() is not None


def engine() -> Any:
    """The RapidOCR engine on the bundled models (built once, on first use)."""
    global _engine
    with _lock:
        if _engine is None:
            models = _models()
            if models is None:
                raise RuntimeError("rapidocr models are not installed")
            import logging

            from rapidocr import RapidOCR

            _engine = RapidOCR(
                params={
                    "Global.log_level": "critical",
                    "Global.text_score": MIN_SCORE,
                    "Global.max_side_len": MAX_SIDE,
                    "Det.limit_type": "max",
                    "Det.limit_side_len": DET_SIDE,
                    "Cls.cls_batch_num": BATCH,
                    "Rec.rec_batch_num": BATCH,
                    "EngineConfig.onnxruntime.enable_cpu_mem_arena": False,
                    "Det.model_path": str(models["det"]),
                    "Cls.model_path": str(models["cls"]),
                    "Rec.model_path": str(models["rec"]),
                }
            )
            logging.getLogger("RapidOCR").setLevel(logging.CRITICAL)
    return _engine


def default_hook():
    """:func:`read_page` when the engine is installed, else ``None``."""
    return read_page if available() else None


# ---------------------------------------------------------------- page → boxes


def _render(pg) -> tuple[Any, float]:
    """The page as shown, as an RGB array, and the pixels per point."""
    import numpy as np
    import pymupdf

    rect = pg.rect
    scale = min(DPI / 72, MAX_SIDE / max(rect.width, rect.height, 1.0))
    pix = pg.get_pixmap(matrix=pymupdf.Matrix(scale, scale), colorspace=pymupdf.csRGB, alpha=False)
    img = np.frombuffer(pix.samples, dtype=np.uint8).reshape(pix.height, pix.stride)[:, : pix.width * 3]
    return img.reshape(pix.height, pix.width, 3).copy(), scale


def skew(quads: list) -> float:
    """The page's skew in degrees (image y down; positive: lines fall to the right), the median slope
    of the top edges of the long text boxes; 0 when fewer than five boxes say."""
    import math

    angles = []
    for q in quads:
        (x0, y0), (x1, y1) = (float(q[0][0]), float(q[0][1])), (float(q[1][0]), float(q[1][1]))
        height = math.dist((float(q[0][0]), float(q[0][1])), (float(q[3][0]), float(q[3][1])))
        if x1 - x0 >= 4 * max(height, 1.0):
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    if len(angles) < 5:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


def boxes(img: Any, scale: float) -> tuple[list[_W], Any]:
    """Text boxes of the image in PDF points, each ``(x0, y0, x1, y1, text, (i, 0))`` like a word of
    the text layer (each box its own extractor line, so neighbours are joined by their gap), and the
    image they are placed on: a page scanned askew (by :data:`MIN_SKEW` degrees or more) is turned
    straight, and its boxes with it, so rows stay rows and rules stay rules (the boxes are then where
    they would be had the page been scanned straight)."""
    result = engine()(img)
    out: list[_W] = []
    if result.boxes is None or result.txts is None:
        return out, img
    quads = [[(float(p[0]), float(p[1])) for p in q] for q in result.boxes]
    angle = skew(quads)
    if abs(angle) >= MIN_SKEW:
        import cv2

        h, w = img.shape[:2]
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        img = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
        (a, b, e), (c, d, f) = m
        quads = [[(a * x + b * y + e, c * x + d * y + f) for x, y in q] for q in quads]
    for i, (quad, text) in enumerate(zip(quads, result.txts, strict=False)):
        text = str(text).strip()
        if not text:
            continue
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        out.append((min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale, text, (i, 0)))
    return out, img


def rules(img: Any, scale: float) -> list[dict]:
    """Ruling lines of a scanned page, as drawings (``l`` items in PDF points) for :func:`grids`.

    Dark pixels (adaptive threshold) are opened with a horizontal kernel longer than any glyph stroke
    (1/30 of the width) and a vertical one taller than a text line (1/60 of the height, at least three
    text lines of 10 pt); what stays are rules. Each connected piece becomes one segment."""
    import cv2
    import numpy as np

    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    dark = cv2.adaptiveThreshold(255 - gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10)
    h, w = dark.shape
    out: list[dict] = []
    for horizontal in (True, False):
        size = max(int(w / 30), int(30 * scale)) if horizontal else max(int(h / 60), int(3 * 12 * scale))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, 1) if horizontal else (1, size))
        mask = cv2.morphologyEx(dark, cv2.MORPH_OPEN, kernel)
        # bridge one- or two-pixel breaks of a scanned rule
        bridge = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 1) if horizontal else (1, 5))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, bridge)
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
        for x, y, bw, bh, _area in stats[1:count]:
            if horizontal and bw >= size and bh <= max(6, 0.01 * bw):
                yy = (y + bh / 2) / scale
                out.append(_line((x / scale, yy), ((x + bw) / scale, yy)))
            elif not horizontal and bh >= size and bw <= max(6, 0.01 * bh):
                xx = (x + bw / 2) / scale
                out.append(_line((xx, y / scale), (xx, (y + bh) / scale)))
    return out


def _line(a: tuple[float, float], b: tuple[float, float]) -> dict:
    """A stroked black line, as ``get_cdrawings()`` gives one."""
    return {"type": "s", "color": (0.0, 0.0, 0.0), "items": [("l", a, b)]}


class _Splitter:
    """Splits a box the engine ran across a cell rule: the characters are laid out over the box by
    their estimated widths (CJK and full-width one em, others about half), each goes to the side of
    the rule its middle is on. The engine gives no character boxes, so this is an estimate."""

    @staticmethod
    def _weight(ch: str) -> float:
        o = ord(ch)
        return 1.0 if (0x2E80 <= o <= 0x9FFF or 0xFF00 <= o <= 0xFFEF or 0x3000 <= o <= 0x303F) else 0.55

    def split(self, w: _W, edges: list[float]) -> list[_W]:
        text = w[4]
        weights = [self._weight(c) for c in text]
        total = sum(weights) or 1.0
        width = w[2] - w[0]
        pieces: list[list[Any]] = []
        last = -1
        pos = w[0]
        for ch, wt in zip(text, weights, strict=True):
            x0, x1 = pos, pos + width * wt / total
            pos = x1
            k = sum(1 for e in edges if (x0 + x1) / 2 > e)
            if k != last:
                pieces.append([x0, x1, ""])
                last = k
            pieces[-1][1] = x1
            pieces[-1][2] += ch
        out = [(p[0], w[1], p[1], w[3], p[2].strip(), w[5]) for p in pieces if p[2].strip()]
        return out or [w]


def read_page(pg, number: int) -> list[Line]:
    """The lines of a scanned page: ruled tables as rows with cells, the rest as visual lines, top to
    bottom, numbered from 1. An engine failure leaves the page unread (no lines), never the file. The
    page's image is released, and the memory it took handed back, before this returns."""
    try:
        img, scale = _render(pg)
        words, img = boxes(img, scale)
        tables = grids(rules(img, scale)) if words else []
    except Exception:  # the engine or its runtime failed on this page: the page is reported unread
        return []
    finally:
        img = None
        _give_back()
    return layout([rounded(w) for w in words], tables, number, _Splitter())


_trim: Any = None


def _give_back() -> None:
    """Hand the memory freed by a page back to the system (glibc keeps freed blocks of a page's arrays
    and the runtime's tensors in its heaps, so the resident size would ratchet up page by page)."""
    global _trim
    if _trim is None:
        _trim = False
        try:
            import ctypes

            _trim = getattr(ctypes.CDLL(None), "malloc_trim", False)  # the C library the process runs on
        except (OSError, TypeError, AttributeError):  # not glibc (or no such loading): nothing to hand back
            _trim = False
    if _trim:
        _trim(0)


read_page.engine = ENGINE  # type: ignore[attr-defined]  (named in Source.ocr_engine)
