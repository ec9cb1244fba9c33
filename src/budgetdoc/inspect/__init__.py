"""The bureau's form (公开情况检查表) filled for each document: ``budgetdoc inspect`` (issue 15).

- :func:`fill` (``fill.py``): the form for a document from its check report; it takes the fingerprints
  a reviewer dismissed and the known dates (publication, approval), so the store can feed it;
- :func:`inspect_for_together`: one file's form in a worker (``budgetdoc.parallel``);
- :func:`write_forms`: the forms of one run as one workbook (xlsx), page (html), Word file (docx) or JSON.

The checklists are package data (``data/checklists/*.toml``, :mod:`budgetdoc.data.checklists`).
"""

from __future__ import annotations

from .fill import counts, fill, merge, rescore, with_dates
from .model import Crop, DateHint, FilledChecklist, FilledRow, KnownDates, Remark, Score, Unusable
from .run import FORMATS, format_for, inspect_for_together, write_forms

__all__ = ["FORMATS", "Crop", "DateHint", "FilledChecklist", "FilledRow", "KnownDates", "Remark", "Score", "Unusable",
           "counts", "fill", "format_for", "inspect_for_together", "merge", "rescore", "with_dates", "write_forms"]
