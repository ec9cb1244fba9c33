"""Throughput at scale: documents per second serially, with ``--jobs 2`` (a process pool) and on a local
Ray cluster (a head and a worker node on this machine, one CPU each), over ≥ 500 documents made of copies
of ``../shared`` (seeds, samples, real), each copy one byte different from the others so that no two have
the same hash. Reports, in one run, documents/s, the ratio to serial, and the peak memory (max RSS) of
each worker process. No assertion: numbers are for people and for the closing note; a shared machine
gives lower ratios than two free cores.

    .venv/bin/python bench/bench_scale.py [--docs 500] [--jobs 2] [--no-ray] [--min-ms 0]

``--min-ms 200`` keeps only the documents whose serial check takes at least that much CPU time (measured
once first), the population the ≥ 1.8× target for ``--jobs 2`` is stated on. The pool's workers each
start their own session (``--same-session``: not), as the Ray nodes do: see :func:`work_in_own_session`.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", HERE.parent.parent / "shared"))


def originals() -> list[Path]:
    return sorted(p for d in ("seeds", "samples", "real") for p in (SHARED / d).glob("*")
                  if p.suffix in (".txt", ".pdf"))


def work(path: str) -> tuple[int, int, int, float]:
    """One document's check, as the CLI does it: findings, this process's id, its peak RSS (KiB) and the
    CPU seconds it has used so far."""
    from budgetdoc.pipeline import run

    _, report = run(path)
    use = resource.getrusage(resource.RUSAGE_SELF)
    return len(report.findings), os.getpid(), use.ru_maxrss, use.ru_utime + use.ru_stime


def work_in_own_session(path: str) -> tuple[int, int, int, float]:
    """:func:`work` in a worker that first leaves the bench's session: with the kernel's autogroup
    scheduling (``/proc/sys/kernel/sched_autogroup_enabled``) a session shares the CPU with the other
    sessions as one, so two workers of one session get no more CPU than one process on a busy machine —
    while the Ray nodes (started in their own sessions) do. ``--same-session`` measures without this."""
    try:
        os.setsid()
    except PermissionError:  # already a session leader
        pass
    return work(path)


def make_corpus(files: list[Path], n: int, into: Path) -> list[str]:
    """``n`` copies of ``files`` in turn, copy k of a file with k trailing bytes (spaces after a text,
    a comment after a PDF's end) so that every copy has its own hash."""
    out = []
    for k in range(n):
        src = files[k % len(files)]
        copy = into / f"{k:05d}-{src.name}"
        data = src.read_bytes()
        tail = (b"\n%" + b" " * (k // len(files) + 1) + b"\n") if src.suffix == ".pdf" else b" " * (k // len(files) + 1)
        copy.write_bytes(data + tail)
        out.append(str(copy))
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalRay:
    """``ray start --head`` and one worker node, one CPU each, in their own sessions; stopped by process
    group (only what this bench started)."""

    def __init__(self) -> None:
        exe = shutil.which("ray", path=os.path.dirname(sys.executable)) or shutil.which("ray")
        if exe is None:
            raise RuntimeError("ray is not installed (pip install 'budgetdoc[cluster]')")
        self.address = f"127.0.0.1:{free_port()}"
        env = dict(os.environ, RAY_USAGE_STATS_ENABLED="0")
        common = ["--num-cpus=1", "--block", "--node-ip-address=127.0.0.1", "--disable-usage-stats"]
        port = self.address.rsplit(":", 1)[1]
        self.procs = [subprocess.Popen([exe, "start", "--head", f"--port={port}", "--include-dashboard=false",
                                        *common], env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)]
        self.procs.append(subprocess.Popen([exe, "start", f"--address={self.address}", *common], env=env,
                                           start_new_session=True, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL))
        import ray

        for _ in range(120):
            try:
                ray.init(address=self.address, log_to_driver=False, logging_level="ERROR")
                alive = sum(1 for n in ray.nodes() if n["Alive"])
            except Exception:  # noqa: BLE001 - not up yet
                alive = 0
            finally:
                if ray.is_initialized():
                    ray.shutdown()
            if alive >= 2:
                return
            time.sleep(1)
        self.stop()
        raise RuntimeError("the local Ray cluster did not come up")

    def stop(self) -> None:
        for p in reversed(self.procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
                p.wait(60)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def timed(label: str, paths: list[str], fn=work, **kw) -> tuple[float, list]:
    from budgetdoc.parallel import map_documents

    load = os.getloadavg()[0]
    t = time.perf_counter()
    results = map_documents(paths, fn, **kw)
    wall = time.perf_counter() - t
    bad = [r for r in results if not r.ok]
    peaks: dict[int, int] = {}
    cpu: dict[int, tuple[float, float]] = {}  # pid → (first, last) CPU seconds seen
    for r in results:
        if r.ok:
            _, pid, rss, used = r.value
            peaks[pid] = max(peaks.get(pid, 0), rss)
            first, last = cpu.get(pid, (used, used))
            cpu[pid] = (min(first, used), max(last, used))
    mem = ", ".join(f"{v / 1024:.0f}" for v in sorted(peaks.values(), reverse=True)[:8])
    busy = sum(last - first for first, last in cpu.values())  # the first document of each worker not counted
    print(f"{label:22} {len(paths) / wall:8.2f} docs/s  {wall:8.1f} s  workers {len(peaks):2}  "
          f"CPU {busy:7.1f} s  load {load:.1f}→{os.getloadavg()[0]:.1f}  peak RSS MiB: {mem}"
          + (f"  ({len(bad)} failed: {bad[0].error})" if bad else ""))
    return wall, [r.value[0] if r.ok else r.error for r in results]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=500)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--same-session", action="store_true",
                    help="keep the pool's workers in the bench's session (see work_in_own_session)")
    ap.add_argument("--min-ms", type=float, default=0.0,
                    help="only documents whose serial check takes this much CPU time")
    args = ap.parse_args()
    files = originals()
    if not files:
        print(f"no documents in {SHARED}")
        return 2
    if args.min_ms:
        keep = []
        work(str(files[0]))  # imports and caches warm
        for f in files:
            t = time.process_time()
            work(str(f))
            ms = (time.process_time() - t) * 1000
            if ms >= args.min_ms:
                keep.append(f)
        print(f"{len(keep)} of {len(files)} originals take ≥ {args.min_ms:.0f} ms of CPU serially")
        files = keep
    with tempfile.TemporaryDirectory(prefix="budgetdoc-bench-") as tmp:
        paths = make_corpus(files, args.docs, Path(tmp))
        print(f"{len(paths)} documents (copies of {len(files)} originals), {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.1f}")
        serial, ref = timed("serial", paths, jobs=1)
        pool, got = timed(f"--jobs {args.jobs}", paths, fn=work if args.same_session else work_in_own_session,
                          jobs=args.jobs)
        print(f"{'':22} ratio {serial / pool:.2f}× serial; same findings: {got == ref}")
        if not args.no_ray:
            try:
                cluster = LocalRay()
            except (ImportError, RuntimeError) as e:
                print(f"Ray: skipped ({e})")
            else:
                try:
                    ray_wall, got = timed("local Ray (2 nodes)", paths, cluster=cluster.address)
                    print(f"{'':22} ratio {serial / ray_wall:.2f}× serial; same findings: {got == ref}")
                finally:
                    cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
