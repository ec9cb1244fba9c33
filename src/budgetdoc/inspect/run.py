"""One file's form in a worker, and the forms of a run written to one output file."""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from ..errors import InputError
from .fill import fill
from .model import FilledChecklist, Unusable

FORMATS = ("xlsx", "html", "docx", "json")


def format_for(out: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    ext = os.path.splitext(out)[1].lower().lstrip(".")
    return {"htm": "html", "xlsx": "xlsx", "html": "html", "docx": "docx", "json": "json"}.get(ext, "xlsx")


def inspect_for_together(path: str) -> tuple[FilledChecklist, Any, list[str] | None]:
    """One file's filled form (its own findings; the dates are judged later), and its document without
    the source lines with the units a department lists (for the cross-document rules)."""
    from ..corpus import detach
    from ..pipeline import run

    doc, rep = run(path)
    try:
        filled = fill(doc, rep)
    except LookupError as e:
        raise InputError(f"{e}：{path}") from e
    doc, listed = detach(doc)
    return filled, doc, listed


def write_forms(entries: list[FilledChecklist | Unusable], out: str, fmt: str) -> None:
    """Write the forms to ``out`` through a temporary file beside it (a failure leaves nothing half
    written and never touches an earlier file; the inputs are never written)."""
    for e in entries:
        if os.path.exists(out) and os.path.exists(e.source) and os.path.samefile(e.source, out):
            raise InputError(f"检查表不能覆盖原文件，请换一个输出路径：{out}")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise InputError(f"输出文件夹不存在：{folder}")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=".budgetdoc-", suffix=os.path.splitext(out)[1], dir=folder)
        os.close(fd)
        _write(entries, tmp, fmt)
        from ..report.batch import READABLE, umask

        os.chmod(tmp, READABLE & ~umask())
        os.replace(tmp, out)
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)


def _write(entries: list[FilledChecklist | Unusable], out: str, fmt: str) -> None:
    if fmt == "xlsx":
        from .write_xlsx import write_xlsx

        write_xlsx(entries, out)
    elif fmt == "html":
        from .write_html import write_html

        write_html(entries, out)
    elif fmt == "docx":
        try:
            import docx  # noqa: F401
        except ImportError as e:
            raise InputError("输出 docx 需要可选组件 budgetdoc[write]：pip install 'budgetdoc[write]'") from e
        from .write_docx import write_docx

        write_docx(entries, out)
    elif fmt == "json":
        data = [e.model_dump(mode="json") for e in entries]
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(data[0] if len(data) == 1 else data, fh, ensure_ascii=False, indent=1)
    else:
        raise InputError(f"不支持的输出格式：{fmt}")


__all__ = ["FORMATS", "format_for", "inspect_for_together", "write_forms"]
