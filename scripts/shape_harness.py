"""Extractor-shape invariance, exhaustively: every document in ../shared written in every shape real
extractors leave (tests/shapes.py), its findings compared with the original's. Prints one line per
document: per shape ``equal``, ``uncertain T…`` (tables REC001 declares uncertain, their own checks gone)
or ``new …`` / ``lost …`` (the findings that differ). Exits 1 when some shape gives a new error or warning.

    PYTHONPATH=src .venv/bin/python scripts/shape_harness.py [--shape S …] [--verbose] [FILE …]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from shapes import SHAPES, Doc, compare, documents  # noqa: E402


def _chosen(paths: list[Path]) -> list[Doc]:
    """The documents the files given are (a file of a shared document of two files: that document)."""
    out: list[Doc] = []
    for f in paths:
        doc = next((d for d in documents() if f.resolve() in {p.resolve() for p in d.paths}), Doc((f,)))
        if doc not in out:
            out.append(doc)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--shape", action="append", choices=SHAPES)
    ap.add_argument("--verbose", "-v", action="store_true", help="list the findings that differ")
    ap.add_argument("--keep", type=Path, help="write the shaped texts in this folder")
    args = ap.parse_args(argv)
    shapes = args.shape or list(SHAPES)
    files = _chosen(args.files) if args.files else documents()
    bad = 0
    counts = {k: 0 for k in ("equal", "uncertain", "new", "lost")}
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = args.keep or Path(tmp)
        out_dir.mkdir(parents=True, exist_ok=True)
        width = max(len(f.name) for f in files)
        print(f"{'document':<{width}}  " + "  ".join(f"{s:<22}" for s in shapes))
        for f in files:
            cells = []
            details = []
            for s in shapes:
                o = compare(f, s, out_dir)
                counts[o.kind] += 1
                bad += o.kind == "new"
                cells.append(f"{str(o)[:22]:<22}")
                if o.kind in ("new", "lost") or args.verbose and o.kind != "equal":
                    details.append(f"    {s}: {o}")
                    for k in o.added:
                        details.append(f"      + {k}")
                    for k in o.lost:
                        details.append(f"      - {k}")
            print(f"{f.name:<{width}}  " + "  ".join(cells))
            if args.verbose:
                print("\n".join(details))
    print("; ".join(f"{k} {v}" for k, v in counts.items()))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
