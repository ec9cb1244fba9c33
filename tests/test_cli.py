"""The command line: exit codes, output forms, bad input (one sentence, exit 2, no traceback)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SEED, needs_seeds

EXAMPLE = REPO / "examples" / "demo-2023-final.txt"


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budgetdoc", *args], capture_output=True, text=True, timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def assert_unusable(p: subprocess.CompletedProcess) -> None:
    assert p.returncode == 2, (p.returncode, p.stdout, p.stderr)
    assert "Traceback" not in p.stderr
    lines = [ln for ln in p.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("budgetdoc: ")


@pytest.mark.parametrize(
    "name,content",
    [
        ("empty.txt", b""),
        ("blank.txt", b"   \n\n  \t\n"),
        ("binary.txt", bytes(range(256)) * 64),
        ("random.bin", os.urandom(50_000)),
        ("not-a-disclosure.txt", "今天天气很好。我们去公园散步，看到了很多花。\n".encode() * 50),
        ("fake.pdf", b"%PDF-1.7\n this is not really a pdf"),
        ("fake.xlsx", b"PK\x03\x04 not a zip"),
    ],
    ids=lambda v: v if isinstance(v, str) else "bytes",  # never the content: a 50 kB id breaks subprocesses
)
def test_bad_input_is_one_sentence_and_exit_2(tmp_path: Path, name: str, content: bytes) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    before = f.read_bytes()
    for cmd in ("check", "extract"):
        assert_unusable(run(cmd, str(f)))
    assert f.read_bytes() == before


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert_unusable(run("check", str(tmp_path / "nope.txt")))


def test_enormous_file_is_refused_quickly(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with open(f, "wb") as fh:
        chunk = ("2023年度收入支出决算总表 本年收入合计 27 1466.86\n" * 2000).encode()
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    start = time.monotonic()
    p = run("check", str(f))
    assert_unusable(p)
    assert "过大" in p.stderr
    assert time.monotonic() - start < 30  # "within seconds": generous bound for a loaded CI machine


@needs_seeds
def test_gb18030_and_crlf_and_fullwidth_read_the_same(tmp_path: Path) -> None:
    text = SEED["003"].read_text("utf-8")
    variant = tmp_path / "gbk.txt"
    fullwidth = text.replace("2,132.07", "２,１３２.０７")
    variant.write_bytes(fullwidth.replace("\n", "\r\n").encode("gb18030"))
    a = json.loads(run("extract", str(SEED["003"])).stdout)
    b = json.loads(run("extract", str(variant)).stdout)
    assert a["document"] == b["document"]
    assert a["tables"], "seed 003 has tables"
    assert _same_cells(a, b)


def _same_cells(a: dict, b: dict) -> bool:
    def cells(d: dict) -> list:
        return [(t["key"], r["key"], r["values"]) for t in d["tables"] for r in t["rows"]]

    return cells(a) == cells(b)


def test_example_check_exit_1_with_findings_in_json() -> None:
    p = run("check", str(EXAMPLE), "--format", "json")
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert set(out) >= {"document", "summary", "findings"}
    assert out["document"]["publisher"] == "示例市档案服务中心"
    assert out["document"]["year"] == 2023
    assert out["summary"]["error"] >= 1
    for f in out["findings"]:
        assert set(f) >= {"rule", "severity", "message", "location", "expected", "actual"}
        assert set(f["location"]) >= {"page", "line", "table", "row", "column"}


def test_min_severity_filters_but_exit_code_follows_errors() -> None:
    p = run("check", str(EXAMPLE), "--format", "json", "--min-severity", "error")
    out = json.loads(p.stdout)
    assert all(f["severity"] == "error" for f in out["findings"])
    assert p.returncode == 1


def test_text_output_is_chinese_grouped_with_locations() -> None:
    p = run("check", str(EXAMPLE))
    assert p.returncode == 1
    assert "结果：错误" in p.stdout
    assert "第" in p.stdout and "行" in p.stdout


def test_rules_listing_has_every_rule() -> None:
    from budgetdoc.check import registry

    p = run("rules")
    assert p.returncode == 0
    for rid in registry():
        assert f"| {rid} |" in p.stdout


# ------------------------------------------------------------------ help and Click's messages in Chinese

CLICK_ENGLISH = ["Usage", "Options", "Commands", "Show this message", "Show the version", "default:",
                 "required]", "[OPTIONS]", "COMMAND", "[ARGS]", "Error:", "Try '", "No such", "Missing",
                 "Invalid value", "is not one of", "Did you mean"]
CLICK_TYPES = re.compile(r"\b(?:PATH|TEXT|INTEGER|FLOAT|FILENAME|DIRECTORY|BOOLEAN)\b")


def assert_no_click_english(text: str) -> None:
    found = [w for w in CLICK_ENGLISH if w in text] + CLICK_TYPES.findall(text)
    assert not found, (found, text)


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["check", "--help"], ["report", "-h"],
                                  ["extract", "--help"], ["rules", "-h"], ["schema", "-h"]])
def test_help_is_chinese_click_texts_included(args: list[str]) -> None:
    p = run(*args)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("用法：budgetdoc"), p.stdout[:80]
    assert "选项：" in p.stdout and "显示本帮助并退出。" in p.stdout
    assert_no_click_english(p.stdout)
    # columns measured in terminal columns: no line wider than 80 (a Chinese character takes two)
    import unicodedata

    for line in p.stdout.splitlines():
        cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        assert cols <= 80 or " " not in line.strip(), line


def test_top_level_help_lists_commands_in_chinese() -> None:
    p = run("--help")
    assert "命令：" in p.stdout and "check" in p.stdout and "report" in p.stdout
    assert "显示版本并退出。" in p.stdout
    assert run("--version").stdout.startswith("budgetdoc，版本 ")


@pytest.mark.parametrize("args,expect", [
    (["check", "--bogus", "x"], "没有选项 '--bogus'"),
    (["chek"], "没有命令 'chek'"),
    (["check", "--format", "xml", "x"], "的值无效"),
    (["report", "x"], "缺少选项"),
    (["check", "--min-severity", "all", "x"], "不是可选值"),
])
def test_usage_errors_are_chinese(args: list[str], expect: str) -> None:
    p = run(*args)
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr
    assert expect in p.stderr, p.stderr
    assert "错误：" in p.stderr and "用法：" in p.stderr and "查看帮助" in p.stderr
    assert_no_click_english(p.stderr)


def test_other_click_programs_keep_their_language() -> None:
    """The translation is scoped to budgetdoc's commands: a Click program in the same process (after
    budgetdoc.cli was imported) still prints Click's own English."""
    import click
    from click.testing import CliRunner

    import budgetdoc.cli  # noqa: F401 - installs the translation hooks

    @click.command()
    @click.option("--n", type=int)
    def other(n: int) -> None:
        """Another tool."""

    out = CliRunner().invoke(other, ["--help"]).output
    assert "Usage:" in out and "Show this message and exit." in out


def test_cli_runner_help_of_budgetdoc_is_chinese() -> None:
    from click.testing import CliRunner

    from budgetdoc.cli import cli

    out = CliRunner().invoke(cli, ["check", "--help"]).output
    assert out.startswith("用法：") and "显示本帮助并退出。" in out
    assert_no_click_english(out)
