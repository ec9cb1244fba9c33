"""The pipeline in one place: read → recognise (:func:`load`), then check (:func:`run`).

Every caller — the CLI, the batch reports, the benches, the scripts and the tests — goes through these
two functions instead of composing the stages itself, so the stages are wired the same way everywhere.
"""

from __future__ import annotations

import os
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

    return recognise(read(os.fspath(path), progress))


def run(path: str | os.PathLike[str], select: list[str] | None = None,
        progress: OcrProgress | None = None) -> tuple[Disclosure, Report]:
    """Load one file and check it (all rules, or the ``select``ed rule ids): the model and its report.
    ``progress``: as for :func:`load`."""
    from .check import check

    doc = load(path, progress)
    return doc, check(doc, select)


__all__ = ["load", "run"]
