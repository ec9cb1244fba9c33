"""What a command imports: each imports what it uses (the corpus store, the web app, the cluster, the
workbook and PDF libraries only when its work needs them), and a command whose optional extra is missing
says which extra to install (one sentence, exit 2). Import lists are behaviour; the seconds they cost
are measured in bench/bench_startup.py, never asserted here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED, needs_seeds

EXAMPLE = REPO / "examples" / "demo-2023-final.txt"

# what no command that merely reads a text and prints needs
HEAVY = ("sqlalchemy", "alembic", "fastapi", "starlette", "uvicorn", "ray", "openpyxl", "docx", "fitz", "pymupdf",
         "jinja2", "rapidocr", "onnxruntime", "cv2", "numpy", "budgetdoc.store.core", "budgetdoc.serve.app",
         "budgetdoc.write", "multiprocessing", "concurrent.futures")

PRELUDE = """
import json, sys
for name in {blocked!r}:
    sys.modules[name] = None  # as if not installed: importing it raises ImportError
sys.argv = ["budgetdoc", *{args!r}]
code = 0
try:
    from budgetdoc.cli import main
    main()
except SystemExit as e:
    code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
sys.stdout.flush()
with open({out!r}, "w") as fh:
    json.dump({{"code": code, "modules": sorted(sys.modules)}}, fh)
"""


def budgetdoc(tmp_path: Path, *args: str, blocked: tuple[str, ...] = ()) -> tuple[subprocess.CompletedProcess, dict]:
    """Run ``budgetdoc ARGS`` in a fresh interpreter; its output and, at its end, its exit code and every
    module it had imported. ``blocked``: top-level packages that behave as not installed."""
    out = tmp_path / "modules.json"
    code = PRELUDE.format(blocked=blocked, args=list(args), out=str(out))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert out.exists(), p.stderr
    return p, json.loads(out.read_text())


def commands(help_text: str) -> dict[str, str]:
    """The commands ``budgetdoc --help`` lists, each with its text (wrapped lines joined)."""
    out: dict[str, str] = {}
    name = ""
    for ln in help_text.split("命令：", 1)[1].splitlines():
        if ln.startswith("  ") and not ln.startswith("   "):
            name, _, text = ln.strip().partition(" ")
            out[name] = text.strip()
        elif name and ln.strip():
            out[name] += ln.strip()
    return out


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [m for m in modules if any(m == n or m.startswith(n + ".") for n in names)]


def test_help_imports_no_command(tmp_path: Path) -> None:
    """``budgetdoc --help`` lists every command from the registry: it imports none of them, nor pydantic."""
    for args in (["--help"], ["-V"]):
        p, run = budgetdoc(tmp_path, *args)
        assert run["code"] == 0, p.stderr
        assert loaded(run["modules"], (*HEAVY, "pydantic", "budgetdoc.check", "budgetdoc.cli_report",
                                       "budgetdoc.pipeline", "budgetdoc.store", "budgetdoc.serve")) == []


def test_help_lists_every_registered_command(tmp_path: Path) -> None:
    from budgetdoc.cli import COMMANDS

    p, run = budgetdoc(tmp_path, "--help")
    assert sorted(commands(p.stdout)) == sorted(COMMANDS)
    assert "需要安装" not in p.stdout  # every extra is installed in the test environment


@pytest.mark.parametrize("command", ["check", "report", "extract", "ingest", "serve", "user"])
def test_a_commands_help_imports_only_its_module(tmp_path: Path, command: str) -> None:
    p, run = budgetdoc(tmp_path, command, "-h")
    assert run["code"] == 0 and p.stdout.startswith(f"用法：budgetdoc {command}"), p.stderr
    assert loaded(run["modules"], (*HEAVY, "budgetdoc.check", "budgetdoc.pipeline")) == []


@needs_seeds
def test_check_of_a_text_imports_no_store_web_cluster_or_pdf(tmp_path: Path) -> None:
    for fmt in ("text", "json"):
        p, run = budgetdoc(tmp_path, "check", "--format", fmt, str(SEED["003"]))
        assert run["code"] in (0, 1) and p.stdout.strip(), p.stderr
        assert loaded(run["modules"], HEAVY) == []
        # the formatter it prints with, not the other (the JSON one builds the models of its contract)
        assert loaded(run["modules"], ("budgetdoc.report.json" if fmt == "text" else "budgetdoc.report.text",)) == []
    p, run = budgetdoc(tmp_path, "extract", str(SEED["003"]))
    assert run["code"] == 0 and json.loads(p.stdout)["tables"]
    assert loaded(run["modules"], HEAVY) == []


def test_a_missing_extra_is_said_by_its_commands(tmp_path: Path) -> None:
    """Without SQLAlchemy (the corpus extra) and FastAPI (web): ``--help`` marks their commands, each says
    in one sentence which extra to install (exit 2, no traceback), ``check --db`` too; the core commands
    still work."""
    blocked = ("sqlalchemy", "fastapi")
    p, _ = budgetdoc(tmp_path, "--help", blocked=blocked)
    lines = commands(p.stdout)
    assert "需要安装 budgetdoc[corpus]" in lines["ingest"] + lines["status"]
    assert "需要安装 budgetdoc[web]" in p.stdout
    assert "需要安装" not in lines["check"] + lines["report"] + lines["extract"]
    for args, extra in ((["ingest", "x.txt"], "corpus"), (["status", "-h"], "corpus"), (["serve"], "web"),
                        (["user", "list"], "web"), (["check", "--db", "x.db"], "corpus")):
        p, run = budgetdoc(tmp_path, *args, blocked=blocked)
        assert run["code"] == 2, (args, p.stdout, p.stderr)
        lines_err = [ln for ln in p.stderr.splitlines() if ln.strip()]
        assert len(lines_err) == 1 and lines_err[0].startswith("budgetdoc: "), p.stderr
        assert f"budgetdoc[{extra}]" in p.stderr, p.stderr
    p, run = budgetdoc(tmp_path, "check", str(EXAMPLE), blocked=blocked)
    assert run["code"] == 1 and "结果：错误" in p.stdout, p.stderr
