"""Record, then compare, ``check --format json`` and ``extract --format json`` of every shared document:
a change meant only for speed must leave both byte-identical.

    python scripts/same_output.py record DIR     # before the change
    python scripts/same_output.py compare DIR    # after it: lists every output that differs (exit 1)

Each output is made by its own ``budgetdoc`` process (as a user runs it; no cache carries over from one
document to the next), two at a time. The documents: ``../shared`` seeds, samples, real and real/jiangsu,
and ``examples/`` (``BUDGETDOC_SHARED`` names another shared folder).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BUDGETDOC_SHARED", REPO.parent / "shared"))
SUFFIXES = {".txt", ".md", ".pdf", ".xlsx", ".html", ".docx"}


def documents() -> list[Path]:
    found = [p for sub in ("seeds", "samples", "real", "real/jiangsu") for p in sorted((SHARED / sub).glob("*"))
             if p.is_file() and p.suffix.lower() in SUFFIXES and p.name != "README.md"]
    return found + sorted((REPO / "examples").glob("*.txt"))


def output(job: tuple[str, Path]) -> tuple[str, bytes]:
    """``name``, and the exit code, standard output and standard error of one command on one file."""
    command, path = job
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([sys.executable, "-m", "budgetdoc", command, "--format", "json", str(path)],
                       capture_output=True, env=env, timeout=600)
    name = f"{command}--{path.parent.name}--{path.name}"
    return name, f"exit {p.returncode}\n".encode() + p.stdout + b"\n--- stderr\n" + p.stderr


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["record", "compare"])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    jobs = [(c, p) for p in documents() for c in ("check", "extract")]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(pool.map(output, jobs))
    if args.mode == "record":
        args.folder.mkdir(parents=True, exist_ok=True)
        for name, data in results.items():
            (args.folder / name).write_bytes(data)
        print(f"recorded {len(results)} outputs in {args.folder}")
        return 0
    differ = []
    for name, data in sorted(results.items()):
        ref = args.folder / name
        if not ref.exists() or ref.read_bytes() != data:
            differ.append(name)
            print(f"DIFFERS {name} ({hashlib.sha1(data).hexdigest()[:8]})")
    print(f"{len(results) - len(differ)} of {len(results)} outputs identical")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
