"""The pipeline in one place: read → recognise (:func:`load`), then check (:func:`run`), and which files
make one document (:func:`plan`, :func:`units`, :func:`check_documents`).

Every caller — the CLI, the batch reports, the corpus store, the web app, the benches, the scripts and the
tests — goes through these functions instead of composing the stages itself, so the stages are wired the
same way everywhere.

One document from several files. Some publishers print a disclosure as two files: the narrative (概况,
情况说明, 名词解释) and the tables. Given together (or found in one folder), files that are the narrative and
the tables of one publisher, kind and year (:func:`plan`: each file's :class:`Part` says what it holds)
are read as one document: their pages in one sequence (the narrative first), recognised and checked
together, and every place in the model and the findings then put back into its own file and page
(:attr:`budgetdoc.model.Location.file`); the document's ``parts`` list the files. ``as_one`` makes one
document of all the files given, whatever they hold.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .check import Report
    from .model import Disclosure
    from .parallel import Result
    from .read import OcrProgress, Source

PathLike = str | os.PathLike[str]
Item = PathLike | Sequence[PathLike]  # one file, or the files of one document
JOIN = " + "  # how a document of several files names its source: the files joined


def _paths(item: Item) -> list[str]:
    if isinstance(item, (str, os.PathLike)):
        return [os.fspath(item)]
    return [os.fspath(p) for p in item]


def label(item: Item) -> str:
    """The name of a document: its file, or its files joined by `` + ``."""
    return JOIN.join(_paths(item))


def load(item: Item, progress: OcrProgress | None = None) -> Disclosure:
    """Read and recognise one file, or several files as one document (their ``parts``, in the order
    given). Raises :class:`~budgetdoc.errors.InputError` (one sentence in Chinese) when a file cannot be
    used: missing, empty, binary, encrypted, not a disclosure, …

    ``progress``: called after each scanned page read by OCR (seconds a page) with its page number,
    the document's page count and the seconds it took; nothing is called for a text layer."""
    from .read import read
    from .recognise import recognise

    paths = _paths(item)
    with fewer_collections():
        if len(paths) == 1:
            return recognise(read(paths[0], progress))
        doc = _one_document([read(p, progress) for p in paths])
    relocate(doc, doc)
    return doc


def run(item: Item, select: list[str] | None = None,
        progress: OcrProgress | None = None) -> tuple[Disclosure, Report]:
    """Load one file (or the files of one document) and check it (all rules, or the ``select``ed rule
    ids): the model and its report. The places of a document of several files are each in their own file
    (checked in one sequence of pages, then put back). ``progress``: as for :func:`load`."""
    from .check import check
    from .read import read

    paths = _paths(item)
    if len(paths) == 1:
        doc = load(paths[0]) if progress is None else load(paths[0], progress)  # one-argument stand-ins
        with fewer_collections():
            return doc, check(doc, select)
    with fewer_collections():
        doc = _one_document([read(p, progress) for p in paths])
        rep = check(doc, select)
    rep.parts = list(doc.parts)
    relocate(rep, doc)
    relocate(doc, doc)
    return doc, rep


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


# ------------------------------------------------------------------ one document from several files


def _one_document(sources: list[Source]) -> Disclosure:
    """The files' pages as one source (numbered on from one file to the next), recognised as one
    document; its places then put back into their own files and pages."""
    from .model import DocumentPart
    from .read import Source
    from .recognise import recognise

    name = JOIN.join(s.path for s in sources)
    merged = Source(path=name, form=sources[0].form, title=sources[0].title,
                    ocr_engine=next((s.ocr_engine for s in sources if s.ocr_engine), None))
    parts = []
    offset = 0
    for s in sources:
        for p in s.pages:
            page = replace(p, number=offset + p.number, lines=[replace(ln, page=offset + p.number) for ln in p.lines])
            merged.pages.append(page)
        parts.append(DocumentPart(file=s.path, first_page=offset + 1, pages=len(s.pages)))
        offset += len(s.pages)
    doc = recognise(merged)
    for part in parts:
        part.role = _role_in(doc, part)
    doc.parts = parts
    return doc


def _role_in(doc: Disclosure, part: Any) -> str:
    """What a file holds in the document: the tables, the narrative, or both."""
    pages = range(part.first_page, part.first_page + part.pages)
    tables = any(t.location.page in pages for t in doc.tables)
    text = any(st.location.page in pages for st in doc.narrative) or any(
        s.location.page in pages for s in doc.sections if s.level == 1)
    return "whole" if tables and text else "tables" if tables else "narrative"


def relocate(obj: Any, doc: Disclosure) -> None:
    """Every place in ``obj`` (the model, or its report) that names the document's merged pages put into
    the file the page belongs to, with that file's page number."""
    from .model import Location

    parts = doc.parts
    name = JOIN.join(p.file for p in parts)

    def fix(loc: Location) -> Location:
        if loc.file not in (None, name) or loc.page is None:
            return loc if loc.file != name else loc.at(file=parts[0].file)
        for p in parts:
            if p.first_page <= loc.page < p.first_page + p.pages:
                return loc.at(file=p.file, page=loc.page - p.first_page + 1)
        return loc

    _walk(obj, fix)


def rename_files(obj: Any, names: dict[str, str]) -> None:
    """Every place in ``obj`` that names one of ``names``' files names its new name instead (a document
    read from a temporary copy names the paths it was stored from)."""
    from .model import Location

    def fix(loc: Location) -> Location:
        return loc.at(file=names[loc.file]) if loc.file in names else loc

    _walk(obj, fix)
    for p in getattr(obj, "parts", None) or []:
        p.file = names.get(p.file, p.file)


def _walk(obj: Any, fix: Callable[[Any], Any]) -> None:
    """``fix`` applied to every Location in a model (or a report), in place."""
    from pydantic import BaseModel

    from .model import Location

    seen: set[int] = set()

    def walk(x: Any) -> Any:
        if isinstance(x, Location):
            return fix(x)
        if isinstance(x, BaseModel):
            if id(x) in seen:
                return x
            seen.add(id(x))
            d = x.__dict__
            for k, v in d.items():
                if isinstance(v, (BaseModel, list, dict)):
                    new = walk(v)
                    if new is not v:
                        d[k] = new
            return x
        if isinstance(x, list):
            for i, v in enumerate(x):
                if isinstance(v, (BaseModel, list, dict)):
                    new = walk(v)
                    if new is not v:
                        x[i] = new
            return x
        if isinstance(x, dict):
            for k, v in x.items():
                if isinstance(v, (BaseModel, list, dict)):
                    new = walk(v)
                    if new is not v:
                        x[k] = new
            return x
        return x

    walk(obj)


# ------------------------------------------------------------------ which files make one document


@dataclass(frozen=True)
class Part:
    """What one file holds, for telling which files make one document: its identity and whether it has
    tables and narrative (``role``: tables, narrative, whole, or unusable with its sentence)."""

    path: str
    role: str
    publisher: str | None = None
    scope: str | None = None
    kind: str | None = None
    year: int | None = None
    error: str | None = None


def part_of(path: str, doc: Disclosure) -> Part:
    """The :class:`Part` a recognised file is."""
    i = doc.identity
    return Part(path, doc.holds, i.publisher, i.scope, i.kind, i.year)


def identify(path: str) -> Part:
    """Read and recognise one file for :func:`plan` (a file that cannot be used: its sentence)."""
    from .errors import InputError, internal

    try:
        return part_of(path, load(path))
    except InputError as e:
        return Part(path, "unusable", error=str(e))
    except Exception as e:  # noqa: BLE001 - a bug on one file must not hide the others
        return Part(path, "unusable", error=f"{path}：{internal(e)}")


def _unit_name(name: str | None) -> str | None:
    if not name:
        return None
    from .corpus.group import norm_unit

    return re.sub(r"^中共", "", norm_unit(name)) or None


def _same(a: Part, b: Part) -> bool:
    """One publisher (a name the other's with or without 中共), kind and year (unknown on one side:
    the same), scope where both say it."""
    na, nb = _unit_name(a.publisher), _unit_name(b.publisher)
    if not na or not nb or not (na == nb or (min(len(na), len(nb)) >= 4 and (na.endswith(nb) or nb.endswith(na)))):
        return False
    if a.kind and b.kind and a.kind != b.kind:
        return False
    if a.year and b.year and a.year != b.year:
        return False
    return not (a.scope and b.scope and a.scope != b.scope)


def plan(parts: Sequence[Part], as_one: bool = False) -> list[tuple[str, ...]]:
    """The documents the files make, in the order of their first file: a file of narrative with the
    files of tables of the same publisher, kind and year (the narrative first), every other file alone.
    A narrative file that two files of narrative could claim, or files of tables that two narratives
    could claim, stay alone (nothing is guessed). ``as_one``: every usable file is one document."""
    usable = [p for p in parts if p.role != "unusable"]
    if as_one and len(usable) > 1:
        first = [p for p in usable if p.role != "tables"] + [p for p in usable if p.role == "tables"]
        group = tuple(p.path for p in first)
        out: list[tuple[str, ...]] = []
        for p in parts:
            if p.role == "unusable":
                out.append((p.path,))
            elif p.path == usable[0].path:
                out.append(group)
        return out
    narratives = [p for p in usable if p.role == "narrative"]
    tables = [p for p in usable if p.role == "tables"]
    groups: dict[str, tuple[str, ...]] = {}
    for n in narratives:
        mine = [t for t in tables if _same(n, t)]
        if not mine or any(o is not n and _same(o, t) for o in narratives for t in mine):
            continue
        if any(t.path in groups for t in mine):
            continue
        group = (n.path, *(t.path for t in mine))
        for path in group:
            groups[path] = group
    out = []
    done: set[tuple[str, ...]] = set()
    for p in parts:
        g = groups.get(p.path, (p.path,))
        if g not in done:
            done.add(g)
            out.append(g)
    return out


# ------------------------------------------------------------------ the other parts, found beside a file

BESIDE_FILES = 200  # at most this many files of a folder are looked at, the names closest to the file's first
BESIDE_READ = 4  # at most this many of them are read and recognised (those naming the file's publisher)
BESIDE_BYTES = 30 * 1024 * 1024  # a larger file is never a part looked for
PEEK_PAGES, PEEK_BYTES = 3, 65536  # what is looked at of a file: a PDF's first pages, a text's first bytes


def _peek(path: str) -> str:
    """The text of a file's beginning, folded (a PDF's first pages, a text's first bytes, a workbook's first
    rows): enough to see whose it is. Empty when it cannot be looked at."""
    from .check.util import fold

    low = path.lower()
    try:
        if low.endswith(".pdf"):
            import pymupdf

            with pymupdf.open(path) as pdf:
                if pdf.needs_pass:
                    return ""
                return fold("".join(pdf[i].get_text() for i in range(min(PEEK_PAGES, pdf.page_count))))
        if low.endswith(".xlsx"):
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[0] if wb.worksheets else None
                rows = ws.iter_rows(max_row=40, values_only=True) if ws is not None else []
                return fold("".join(str(v) for r in rows for v in r if v is not None))
            finally:
                wb.close()
        with open(path, "rb") as fh:
            raw = fh.read(PEEK_BYTES)
        try:
            return fold(raw.decode("utf-8"))
        except UnicodeDecodeError as e:  # a character cut at the end of what was read, or not UTF-8
            return fold(raw[:e.start].decode("utf-8") if e.start >= len(raw) - 3 else
                        raw.decode("gb18030", errors="ignore"))
    except Exception:  # noqa: BLE001 - a file that cannot be looked at is no part
        return ""


def _needles(publisher: str) -> list[str]:
    """How another part of the document would print its publisher: the name without 中共, and without its
    leading province or city (江苏省人大常委会办公厅 → 人大常委会办公厅); a tail of fewer than four characters
    says nothing and is not looked for. (Only which files are read depends on it: :func:`plan` decides.)"""
    from .check.util import fold

    name = fold(publisher).removeprefix("中共")
    tail = re.sub(r"^[^省市]{1,8}?[省市]", "", name)
    return [n for n in dict.fromkeys([name, tail]) if len(n) >= 4]


def companions(part: Part, candidates: Sequence[str] | None = None, exclude: Collection[str] = (),
               peeks: dict[str, str] | None = None) -> tuple[str, ...]:
    """The files of the document a file of one part (``part``: narrative only, or tables only) makes with the
    other parts found beside it — in its own folder (never below it), or among ``candidates`` (a web
    upload's batch) — the narrative first, as :func:`plan` groups them; () when there are none (or two
    narratives could claim them: nothing is guessed). Bounded work: only files of the kinds read (.pdf .txt
    .md .xlsx), not hidden, at most ``BESIDE_BYTES``; of those, the ``BESIDE_FILES`` whose names are closest
    to the file's are looked at (a PDF's first pages, a text's first bytes: ``peeks`` keeps them for the
    next file), and only the ``BESIDE_READ`` that print the file's publisher are read and recognised."""
    from .report.batch import SUFFIXES

    if part.role not in ("narrative", "tables") or not part.publisher:
        return ()
    here = os.path.realpath(part.path)
    skip = {os.path.realpath(p) for p in exclude} | {here}
    if candidates is None:
        folder = os.path.dirname(part.path) or "."
        try:
            with os.scandir(folder) as it:
                entries = [e for e in it if not e.name.startswith(".") and e.name.lower().endswith(SUFFIXES)
                           and e.is_file() and e.stat().st_size <= BESIDE_BYTES]
        except OSError:
            return ()
        candidates = [e.path for e in entries]
    name = os.path.basename(part.path)

    def closeness(path: str) -> tuple[int, str]:
        other = os.path.basename(path)
        return -len(os.path.commonprefix([name, other])), other

    looked = sorted((p for p in candidates if os.path.realpath(p) not in skip and os.path.isfile(p)
                     and os.path.getsize(p) <= BESIDE_BYTES), key=closeness)[:BESIDE_FILES]
    needles = _needles(part.publisher)
    peeks = {} if peeks is None else peeks
    named = []
    for p in looked:
        if p not in peeks:
            peeks[p] = _peek(p)
        if any(n in peeks[p] for n in needles):
            named.append(p)
    found = [identify(p) for p in named[:BESIDE_READ]]
    for group in plan([part, *found]):
        if part.path in group and len(group) > 1:
            return group
    return ()


def run_file(path: str, alone: bool = False, select: list[str] | None = None,
             progress: OcrProgress | None = None) -> tuple[Disclosure, Report]:
    """Check one file as :func:`run` does — but a file that is one part of a document published as several
    files (its narrative only, or its tables only) is checked with the other parts found in its folder
    (:func:`companions`), the parts found so marked (``found``) and said; ``alone``: the file by itself.
    ``progress``: as for :func:`load`."""
    from .check import check

    doc = load(path) if progress is None else load(path, progress)
    group = () if alone else companions(part_of(path, doc))
    if not group:
        with fewer_collections():
            return doc, check(doc, select)
    doc, rep = run(group, select, progress)
    mark_found(doc, [path], rep)
    return doc, rep


def mark_found(doc: Disclosure, given: Collection[str], report: Report | None = None) -> None:
    """The parts of a document (and of its ``report``) not among the files ``given`` were found beside
    them."""
    given = set(given)
    for p in [*doc.parts, *(report.parts if report is not None else [])]:
        p.found = p.file not in given


def with_found(groups: list[tuple[str, ...]], parts: Sequence[Part], given: Collection[str]
               ) -> list[tuple[str, ...]]:
    """``groups`` (:func:`plan`'s) with each file of one part left alone (narrative only, or tables only)
    completed by the other parts found beside it (:func:`companions`, never one of the files ``given``,
    nor a file found for another)."""
    by_path = {p.path: p for p in parts}
    used = {f for g in groups for f in g}
    peeks: dict[str, str] = {}
    out = []
    for g in groups:
        part = by_path.get(g[0]) if len(g) == 1 else None
        found = companions(part, exclude=given, peeks=peeks) if part is not None else ()
        extra = {f for f in found if f != g[0]}
        if found and not extra & used:
            used |= extra
            out.append(found)
        else:
            out.append(g)
    return out


def units(paths: Sequence[str], as_one: bool = False, jobs: int | None = None, cluster: str | None = None,
          progress: Callable[[Result], None] | None = None, alone: bool = False) -> list[tuple[str, ...]]:
    """The documents the files make (:func:`plan`), each file read once to tell (in ``jobs`` processes or on
    a ``cluster``, as :func:`budgetdoc.parallel.map_documents`); a file of one part left alone completed by
    the other parts found beside it (:func:`with_found`; not ``alone``, nor ``as_one``). A single file
    given ``alone`` is its own document."""
    from .parallel import map_documents

    paths = list(paths)
    if not paths or (len(paths) < 2 and (alone or as_one)):
        return [(p,) for p in paths]
    results = map_documents(paths, identify, jobs=jobs, cluster=cluster, progress=progress)
    parts = [r.value if r.value is not None else Part(r.path, "unusable", error=r.error) for r in results]
    groups = plan(parts, as_one)
    return groups if alone or as_one else with_found(groups, parts, paths)


@dataclass
class Checked:
    """One document checked by :func:`check_documents`: its files, and its model (without its source
    lines), report and listed units (what the cross-document rules need), or the sentence why not."""

    paths: tuple[str, ...]
    doc: Any = None
    report: Any = None
    listed: list[str] | None = None
    error: str | None = None

    @property
    def source(self) -> str:
        return label(self.paths)


def check_one_document(item: Item) -> tuple[Any, Any, list[str] | None]:
    """One document's check in a worker: its model without the source lines, its report, its listed
    units (:func:`budgetdoc.corpus.detach`)."""
    from .corpus import detach

    doc, rep = run(item)
    doc, listed = detach(doc)
    return doc, rep, listed


def check_keeping_lines(item: Item) -> tuple[Any, Any, None]:
    """One document's check with its source lines kept (what a store fingerprints its findings by)."""
    doc, rep = run(item)
    return doc, rep, None


def check_documents(paths: Sequence[str], as_one: bool = False, jobs: int | None = None,
                    cluster: str | None = None, progress: Callable[[Result], None] | None = None,
                    detached: bool = True, alone: bool = False) -> list[Checked]:
    """Check the files as the documents they make: every file first checked alone (in ``jobs`` processes
    or on a ``cluster``); the files that turn out to be parts of one document (:func:`plan`), or a file of
    one part with the other parts found beside it (:func:`with_found`; not ``alone``), then checked
    together, in place of their own checks. The documents in the order of their first file; each model
    without its source lines (``detached``, what crosses processes), else with them."""
    from .parallel import map_documents

    paths = list(paths)
    fn = check_one_document if detached else check_keeping_lines
    results = map_documents(paths, fn, jobs=jobs, cluster=cluster, progress=progress)
    by_path = {r.path: r for r in results}
    parts = [part_of(r.path, r.value[0]) if r.value is not None else Part(r.path, "unusable", error=r.error)
             for r in results]
    plan_ = plan(parts, as_one)
    if not (alone or as_one):
        plan_ = with_found(plan_, parts, paths)
    groups = [g for g in plan_ if len(g) > 1]
    together = {}
    if groups:
        for g, r in zip(groups, map_documents(groups, fn, jobs=jobs, cluster=cluster), strict=True):
            together[g] = r
    out = []
    for g in plan_:
        r = together.get(g) or by_path[g[0]]
        if r.value is None:
            out.append(Checked(g, error=r.error))
        else:
            doc, rep, listed = r.value
            mark_found(doc, paths, rep)
            out.append(Checked(g, doc, rep, listed))
    return out


__all__ = ["JOIN", "Checked", "Part", "check_documents", "check_keeping_lines", "check_one_document", "companions",
           "identify", "label", "load", "mark_found", "part_of", "plan", "relocate", "rename_files", "run", "run_file",
           "units", "with_found"]
