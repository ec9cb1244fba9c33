"""Several files and folders at once: collect the inputs, write one report per document and an index.

A file that cannot be used gets a line in the index with its one-sentence reason; it never stops the
batch. Formats: html, xlsx, pdf (annotated copy, PDF inputs only), json.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, internal

SUFFIXES = (".txt", ".md", ".pdf", ".xlsx")
FORMATS = ("html", "xlsx", "pdf", "json")
EXT = {"html": ".html", "xlsx": ".xlsx", "pdf": ".pdf", "json": ".json"}
BY_EXT = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".pdf": "pdf", ".json": "json"}


def collect(paths: Iterable[str]) -> list[str]:
    """The files to process: files as given, folders walked recursively for .txt .md .pdf .xlsx
    (hidden files and folders skipped), in a stable order, each once."""
    out: list[str] = []
    seen: set[str] = set()

    def add(p: str) -> None:
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)

    for p in paths:
        if os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith(".") and name.lower().endswith(SUFFIXES):
                        add(os.path.join(root, name))
        else:
            add(p)
    return out


def format_for(out: str, fmt: str | None) -> str:
    if fmt:
        return fmt
    ext = os.path.splitext(out)[1].lower()
    if ext in BY_EXT:
        return BY_EXT[ext]
    raise InputError(f"无法从输出文件名判断报告格式（可用 .html .xlsx .pdf .json，或用 --format 指定）：{out}")


def write_report(doc, report, out: str, fmt: str, charts_dir: str | None = None) -> list[str]:
    """Write one document's report in ``fmt`` to ``out`` (and its charts); the files written.

    The report is written to a temporary file beside ``out`` and moved into place when complete, so a
    failure never leaves a half-written report (nor touches an earlier one); the input is never written.
    """
    for source in [p.file for p in doc.parts] or [doc.source]:
        if os.path.exists(out) and os.path.exists(source) and os.path.samefile(source, out):
            raise InputError(f"报告不能覆盖原文件，请换一个输出路径：{out}")
    folder = os.path.dirname(os.path.abspath(out))
    tmp: str | None = None
    try:  # any exit (an error, Ctrl-C, SIGTERM: see cli.main) removes the temporary file
        fd, tmp = tempfile.mkstemp(prefix=".budgetdoc-", suffix=os.path.splitext(out)[1], dir=folder)
        os.close(fd)
        _write(doc, report, tmp, fmt)
        os.chmod(tmp, READABLE & ~umask())  # mkstemp makes it 0600: readable like the index
        os.replace(tmp, out)
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.remove(tmp)
    written = [out]
    if charts_dir:
        from .charts import write_charts

        written += write_charts(doc, charts_dir)
    return written


READABLE = 0o666


def umask() -> int:
    """The process's umask, read where the system says it (Linux: /proc), else set and restored."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write(doc, report, out: str, fmt: str) -> None:
    if fmt == "html":
        from .html import write_html

        write_html(doc, report, out)
    elif fmt == "xlsx":
        from .xlsx import write_xlsx

        write_xlsx(doc, report, out)
    elif fmt == "pdf":
        from .annotate import annotate_parts, annotate_pdf

        if doc.parts:
            annotate_parts(doc, report, out)
        else:
            annotate_pdf(doc.source, report, out, doc)
    elif fmt == "json":
        from .json import check_json

        with open(out, "w", encoding="utf-8") as fh:
            json.dump(check_json(report), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    else:  # pragma: no cover - click restricts the choice
        raise InputError(f"未知的报告格式：{fmt}")


@dataclass
class Entry:
    source: str
    href: str | None = None
    title: str | None = None
    summary: dict[str, int] | None = None
    reason: str | None = None
    extras: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "href": self.href, "title": self.title, "summary": self.summary,
                "reason": self.reason, "extras": self.extras}


def _stem(path: str | tuple[str, ...], used: set[str]) -> str:
    """A report's file name: its input's, without the extension; a document of several files takes the
    name the files share (``…-npcoffice.narrative.pdf`` + ``….tables.pdf`` → ``…-npcoffice``)."""
    if isinstance(path, tuple):
        names = [os.path.splitext(os.path.basename(p))[0] for p in path]
        base = os.path.commonprefix(names).rstrip("._- ") or names[0]
    else:
        base = os.path.splitext(os.path.basename(path))[0]
    base = base or "report"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name.lower())
    return name


def report_entry(path: str | tuple[str, ...], outdir: str, fmt: str, charts_dir: str | None,
                 stems: dict, given: Collection[str] = ()) -> Entry:
    """Check one file (or the files of one document) and write its report into ``outdir`` as
    ``stems[path]``: the entry of the index (a file that cannot be used: its reason). Runs in a worker
    process or a cluster task (``--jobs``). The files of a document not among those ``given`` were found
    beside them."""
    from ..pipeline import label, mark_found, run
    from .html import doc_title

    entry = Entry(source=label(path))
    try:
        if fmt == "pdf" and not all(p.lower().endswith(".pdf") for p in ([path] if isinstance(path, str) else path)):
            raise InputError("只有 PDF 文件才能输出带批注的 PDF。")
        doc, report = run(path)
        mark_found(doc, given, report)
        stem = stems[path]
        out = os.path.join(outdir, stem + EXT[fmt])
        cdir = os.path.join(charts_dir, stem) if charts_dir else None
        write_report(doc, report, out, fmt, cdir)
        entry.href = os.path.basename(out)
        entry.title = doc_title(doc.identity)
        entry.summary = report.summary()
        if cdir and os.path.isdir(cdir):
            entry.extras = [os.path.relpath(os.path.join(cdir, n), outdir) for n in sorted(os.listdir(cdir))]
    except InputError as e:
        entry.reason = str(e)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the batch
        entry.reason = internal(e)
    return entry


def run_batch(files: list[str], outdir: str, fmt: str, charts_dir: str | None = None,
              step: Callable[[str], None] | None = None, jobs: int | None = 1,
              cluster: str | None = None, as_one: bool = False, alone: bool = False) -> list[Entry]:
    """Report every document the files make into ``outdir`` and write ``outdir/index.html``; the entries
    of the index. Files that are the narrative and the tables of one document (or all of them, ``as_one``)
    get one report (:func:`budgetdoc.pipeline.units`; a file of one part with the other parts found beside
    it, unless ``alone``). ``jobs``/``cluster``: the documents are reported in
    that many worker processes or as cluster tasks (:func:`budgetdoc.parallel.map_documents`; a cluster's
    workers must see ``outdir``)."""
    from functools import partial

    from ..parallel import map_documents
    from ..pipeline import units
    from .html import index_html

    os.makedirs(outdir, exist_ok=True)
    docs = [u[0] if len(u) == 1 else u for u in units(files, as_one, jobs=jobs, cluster=cluster, alone=alone)]
    used: set[str] = {"index"}
    stems = {path: _stem(path, used) for path in docs}
    work = partial(report_entry, outdir=outdir, fmt=fmt, charts_dir=charts_dir, stems=stems, given=frozenset(files))
    results = map_documents(docs, work, jobs=jobs, cluster=cluster,
                            progress=(lambda r: step(r.path)) if step else None)
    entries = [r.value if r.value is not None else Entry(source=r.path, reason=r.error) for r in results]
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as fh:
        fh.write(index_html([e.as_dict() for e in entries]))
    return entries


__all__ = ["BY_EXT", "FORMATS", "SUFFIXES", "Entry", "collect", "format_for", "run_batch", "write_report"]
