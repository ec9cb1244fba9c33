"""Per-document work on several cores or a cluster, results in input order.

:func:`map_documents` applies ``fn(path)`` to every path: serially in this process (``jobs=1``, or one
path), in a process pool (``jobs=N``; default: all cores), or as Ray tasks on a cluster (``cluster`` = a
Ray address such as ``ray://head:10001`` or ``head:6379``, or ``auto``; the ``cluster`` extra). Whatever
the way, the results come back in the order of ``paths``, each a :class:`Result` with the value or the
one-sentence reason the file could not be used — a bad file (or a worker that died on it) never hides
the others. ``fn`` must be a module-level function (it is sent to the workers by name) and its value
picklable (the pydantic models are).

The CLI (``check``, ``report``) and the corpus store's ingest use it; the worker processes are started
with ``forkserver`` (``spawn`` where there is none), so they never inherit a half-initialised parent.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from . import errors
from .errors import InputError

T = TypeVar("T")


@dataclass
class Result(Generic[T]):
    """What one path gave: ``value`` (``fn``'s return) or ``error`` (one sentence, Chinese)."""

    path: str
    value: T | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def internal(e: BaseException) -> str:
    """The one sentence for a bug (:func:`budgetdoc.errors.internal` where it is defined)."""
    said = getattr(errors, "internal", None)
    return said(e) if said else f"内部错误（{type(e).__name__}: {e}），请把这份文件和这句话报告给开发者。"


Item = str | tuple[str, ...]  # a file, or the files of one document (budgetdoc.pipeline)


def _name(item: Item) -> str:
    return item if isinstance(item, str) else " + ".join(item)


def run_one(fn: Callable[[Item], T], path: Item) -> Result[T]:
    """``fn(path)`` with its failure as a sentence: an unusable file says why, a bug names itself."""
    try:
        return Result(_name(path), fn(path))
    except InputError as e:
        return Result(_name(path), error=str(e))
    except Exception as e:  # noqa: BLE001 - a bug on one file must not hide the other files' results
        return Result(_name(path), error=f"{_name(path)}：{internal(e)}")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    """Runs first in every worker process (forkserver/spawn safe: no state from the parent is assumed).
    One core per worker: numerical libraries (onnxruntime for OCR) would otherwise start a thread per
    core in every worker."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    import budgetdoc.pipeline  # noqa: F401  (import once per worker, not per document)


# imported once in the fork server, so that each worker forked from it starts with them loaded
PRELOAD = ["budgetdoc.pipeline", "budgetdoc.read", "budgetdoc.recognise", "budgetdoc.check", "budgetdoc.corpus"]


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)  # no effect once this process's fork server runs
    return ctx


def _died(path: str, e: BaseException) -> str:
    return f"{path}：处理这份文件的进程意外退出（{type(e).__name__}），其他文件不受影响。"


Progress = Callable[["Result"], None] | None


def _pool(fn: Callable[[str], T], paths: Sequence[str], jobs: int, progress: Progress) -> list[Result[T]]:
    results: list[Result[T] | None] = [None] * len(paths)
    again: list[int] = []
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=_context(),
                             initializer=_init_worker) as ex:
        futures: list[Future] = [ex.submit(run_one, fn, p) for p in paths]
        for k, fut in enumerate(futures):
            try:
                results[k] = fut.result()
            except BrokenProcessPool:
                again.append(k)  # a worker died (killed, out of memory, a crash in a C library)
            except Exception as e:  # noqa: BLE001 - e.g. a value that cannot be pickled
                results[k] = Result(_name(paths[k]), error=f"{_name(paths[k])}：{internal(e)}")
            if progress and results[k] is not None:
                progress(results[k])
    # the files a dead worker left undone, each alone in a fresh worker: only the culprit fails
    for k in again:
        with ProcessPoolExecutor(max_workers=1, mp_context=_context(), initializer=_init_worker) as ex:
            try:
                results[k] = ex.submit(run_one, fn, paths[k]).result()
            except BrokenProcessPool as e:
                results[k] = Result(_name(paths[k]), error=_died(_name(paths[k]), e))
        if progress:
            progress(results[k])  # type: ignore[arg-type]
    return [r for r in results if r is not None]


def cluster_address(cluster: str | None) -> str | None:
    """The Ray address to use: ``cluster`` as given, else ``RAY_ADDRESS``; None: no cluster."""
    return cluster or os.environ.get("RAY_ADDRESS") or None


def _reachable(address: str, timeout: float = 5.0) -> bool:
    """A ``host:port`` address answers (Ray would retry an unreachable one for minutes); other forms
    (``auto``, ``ray://…``) are left to Ray."""
    import socket

    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "/" in address:
        return True
    try:
        with socket.create_connection((host.strip("[]") or "127.0.0.1", int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def _ray(fn: Callable[[str], T], paths: Sequence[str], address: str, progress: Progress) -> list[Result[T]]:
    try:
        import ray
    except ImportError as e:
        raise InputError("在集群上运行需要 Ray：pip install 'budgetdoc[cluster]'。") from e
    if not _reachable(address):
        raise InputError(f"无法连接 Ray 集群 {address}：该地址没有响应。")
    started = not ray.is_initialized()
    if started:
        try:
            ray.init(address=address, log_to_driver=False, logging_level="ERROR",
                     runtime_env={"env_vars": {"OMP_NUM_THREADS": "1"}})
        except Exception as e:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError, ValueError…
            raise InputError(f"无法连接 Ray 集群 {address}：{type(e).__name__}。") from e
    try:
        task = ray.remote(num_cpus=1, max_retries=1)(run_one)
        refs = [task.remote(fn, p) for p in paths]
        out: list[Result[T]] = []
        for p, ref in zip(paths, refs, strict=True):
            try:
                out.append(ray.get(ref))
            except Exception as e:  # noqa: BLE001 - a task whose worker died: this file only
                out.append(Result(_name(p), error=_died(_name(p), e)))
            if progress:
                progress(out[-1])
        return out
    finally:
        if started:
            ray.shutdown()


def map_documents(paths: Sequence[Item], fn: Callable[[Item], T], jobs: int | None = None,
                  cluster: str | None = None, progress: Progress = None) -> list[Result[T]]:
    """``fn(path)`` for every path (a file, or a tuple of the files of one document: the result's ``path`` is
    then their names joined by `` + ``), results in the order of ``paths``: as Ray tasks when ``cluster`` (or
    ``RAY_ADDRESS``) names a cluster, else in ``jobs`` worker processes (None: all cores), serially for
    ``jobs=1`` or a single path. ``progress`` is called with each result, in order, as it is collected.
    Raises :class:`InputError` only when the cluster cannot be used."""
    paths = [p if isinstance(p, tuple) else os.fspath(p) for p in paths]
    address = cluster_address(cluster)
    if address:
        return _ray(fn, paths, address, progress)
    n = default_jobs() if jobs is None or jobs <= 0 else jobs
    if n == 1 or len(paths) <= 1:
        out: list[Result[T]] = []
        for p in paths:
            out.append(run_one(fn, p))
            if progress:
                progress(out[-1])
        return out
    return _pool(fn, paths, n, progress)


__all__ = ["Result", "cluster_address", "default_jobs", "map_documents", "run_one"]
