"""Start-up of the ``budgetdoc`` command as a whole process, against ``python -c pass`` in the same run.

    .venv/bin/python bench/bench_startup.py [--repeat N] [--seed FILE ...]

Each command is a fresh interpreter running what the ``budgetdoc`` console script runs; the runs of all
commands alternate (so a busy moment of a shared machine hits them alike) and the best of ``--repeat``
counts, in wall seconds and in CPU seconds of the child. Two set-ups, both measured:

- ``bytecode``: every module from compiled bytecode, as after ``pip install`` (a private
  ``PYTHONPYCACHEPREFIX`` filled by a first run);
- ``source``: budgetdoc's own modules compiled from source at every start, as in a source checkout
  run with ``PYTHONDONTWRITEBYTECODE=1`` (the libraries keep their installed bytecode).

Targets (bytecode, wall): ``budgetdoc --help`` ≤ 0.15 s, ``budgetdoc check`` of a text seed ≤ 0.35 s.
The exit code is 1 when one is above; numbers are printed, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", HERE.parent.parent / "shared"))
SCRIPT = "import sys; sys.argv[0] = 'budgetdoc'; from budgetdoc.cli import main; sys.exit(main())"
HELP_AIM, CHECK_AIM = 0.15, 0.35  # seconds, whole process, bytecode


def env(mode: str, cache: str) -> dict[str, str]:
    e = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    if mode == "bytecode":
        e.pop("PYTHONDONTWRITEBYTECODE", None)
        e["PYTHONPYCACHEPREFIX"] = cache
    else:
        e["PYTHONDONTWRITEBYTECODE"] = "1"
        e.pop("PYTHONPYCACHEPREFIX", None)
    return e


def once(argv: list[str], environ: dict[str, str]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environ).returncode
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), code


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=11, help="runs of each command; the best counts")
    ap.add_argument("--seed", nargs="*", type=Path, help="text files to check (default: ../shared/seeds/*.txt)")
    args = ap.parse_args(argv)
    seeds = args.seed or sorted((SHARED / "seeds").glob("0*.txt"))
    if not seeds:
        print("no seed found: give --seed FILE", file=sys.stderr)
        return 2
    py = sys.executable
    cases: list[tuple[str, list[str], float | None]] = [
        ("python -c pass", [py, "-c", "pass"], None),
        ("budgetdoc --help", [py, "-c", SCRIPT, "--help"], HELP_AIM),
        ("budgetdoc check -h", [py, "-c", SCRIPT, "check", "-h"], None),
    ]
    cases += [(f"budgetdoc check {p.name}", [py, "-c", SCRIPT, "check", str(p)], CHECK_AIM) for p in seeds]
    worst_miss = 0.0
    with tempfile.TemporaryDirectory(prefix="budgetdoc-pyc-") as cache:
        for mode in ("bytecode", "source"):
            environ = env(mode, cache)
            for _, cmd, _ in cases:  # warm-up: the bytecode written, the files in the page cache
                once(cmd, environ)
            best: dict[str, list[float]] = {name: [float("inf"), float("inf")] for name, _, _ in cases}
            for _ in range(args.repeat):
                for name, cmd, _ in cases:
                    wall, cpu, code = once(cmd, environ)
                    if code not in (0, 1):
                        print(f"{name}: exit {code}", file=sys.stderr)
                        return 2
                    best[name] = [min(best[name][0], wall), min(best[name][1], cpu)]
            base_wall, base_cpu = best["python -c pass"]
            print(f"{mode} (best of {args.repeat}){'':<22} {'wall s':>7} {'cpu s':>7} {'× pass':>7} {'target':>7}")
            for name, _, aim in cases:
                wall, cpu = best[name]
                mark = ""
                if aim is not None:
                    mark = f"{aim:>6.2f}s" + (" above" if wall > aim else "")
                    if mode == "bytecode":
                        worst_miss = max(worst_miss, wall - aim)
                print(f"  {name:<44} {wall:>7.3f} {cpu:>7.3f} {wall / base_wall:>6.1f}× {mark}")
    print("every target met (bytecode)" if worst_miss <= 0 else "a target is missed (bytecode)")
    return 0 if worst_miss <= 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
