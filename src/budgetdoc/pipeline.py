"""The pipeline in one place: read → recognise (:func:`load`), then check (:func:`run`).

Every caller — the CLI, the batch reports, the benches, the scripts and the tests — goes through these
two functions instead of composing the stages itself, so the stages are wired the same way everywhere.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .check import Report
    from .model import Disclosure
    from .read import OcrProgress


def load(path: str | os.PathLike[str], progress: OcrProgress | None = None) -> Disclosure:
    """Read and recognise one file. Raises :class:`~budgetdoc.errors.InputError` (one sentence in
    Chinese) when the file cannot be used: missing, empty, binary, encrypted, not a disclosure, …

    ``progress``: called after each scanned page read by OCR (seconds a page) with its page number,
    the document's page count and the seconds it took; nothing is called for a text layer."""
    from .read import read
    from .recognise import recognise

    with fewer_collections():
        return recognise(read(os.fspath(path), progress))


def run(path: str | os.PathLike[str], select: list[str] | None = None,
        progress: OcrProgress | None = None) -> tuple[Disclosure, Report]:
    """Load one file and check it (all rules, or the ``select``ed rule ids): the model and its report.
    ``progress``: as for :func:`load`."""
    from .check import check

    doc = load(path) if progress is None else load(path, progress)  # load as one-argument callers replace it
    with fewer_collections():
        return doc, check(doc, select)


@contextmanager
def fewer_collections(first: int = 50_000) -> Iterator[None]:
    """Python's cyclic garbage collector run less often while a document is read and checked: the work
    makes hundreds of thousands of objects (words, lines, cells, findings), none in a cycle that must be
    collected before the end, and each collection walks every live object (a few per cent of the time
    on a PDF). The thresholds are restored after, whatever happens."""
    before = gc.get_threshold()
    gc.set_threshold(max(first, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


__all__ = ["load", "run"]
