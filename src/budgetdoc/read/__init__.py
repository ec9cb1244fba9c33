"""Read stage: format adapters that turn a file into a :class:`Source` of pages of positioned lines."""

from __future__ import annotations

import os
from collections.abc import Callable

from ..errors import InputError
from .lines import Line, Page, Source, Word
from .normalise import decode
from .text import read_text

OcrProgress = Callable[[int, int, float], None]  # page number, pages in the document, seconds it took
MAX_BYTES = 200 * 1024 * 1024  # a disclosure is a few MB; refuse what cannot be one
# the text of a disclosure is ~25-200 kB; 100× that is not one. Memory is ~40-50× the text (the model
# keeps every row, cell and place it read: bench/bench_memory.py), so this also bounds it (~250 MB)
MAX_TEXT_BYTES = 5 * 1024 * 1024


def read(path: str, progress: OcrProgress | None = None) -> Source:
    """Read any supported file. Raises :class:`InputError` with one clear sentence when it cannot.
    ``progress``: told after each scanned page OCR read (:func:`budgetdoc.read.pdf.read_pdf`)."""
    try:
        return _read(path, progress)
    except OSError as e:  # no permission, a device error, a file vanishing while it is read
        raise InputError(f"无法读取文件（{e.strerror or type(e).__name__}）：{path}") from e


def _read(path: str, progress: OcrProgress | None = None) -> Source:
    if not os.path.exists(path):
        raise InputError(f"找不到文件：{path}")
    if os.path.isdir(path):
        raise InputError(f"这是一个文件夹，不是文件：{path}")
    size = os.path.getsize(path)
    if size == 0:
        raise InputError(f"文件为空，没有可读取的内容：{path}")
    if size > MAX_BYTES:
        raise InputError(f"文件过大（{size // (1024 * 1024)} MB），不像是一份预决算公开文件：{path}")
    with open(path, "rb") as fh:
        head = fh.read(8)
    lower = path.lower()
    if head.startswith(b"%PDF") or lower.endswith(".pdf"):
        from .pdf import read_pdf

        return read_pdf(path, progress=progress)
    if lower.endswith(".docx"):
        from .docx import read_docx

        return read_docx(path)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or lower.endswith((".xlsx", ".xlsm", ".xls")):
        from .sheet import read_xlsx

        return read_xlsx(path)
    if size > MAX_TEXT_BYTES:
        raise InputError(
            f"文本文件过大（{size // (1024 * 1024)} MB），远超一份预决算公开文件的篇幅，不予处理：{path}"
        )
    with open(path, "rb") as fh:
        data = fh.read()
    text = decode(data, path)
    del data  # memory: the bytes are not needed once decoded
    markdown = lower.endswith((".md", ".markdown", ".html", ".htm", ".tsv")) or None
    return read_text(text, path, markdown=markdown)


__all__ = ["InputError", "Line", "OcrProgress", "Page", "Source", "Word", "read", "read_text"]
