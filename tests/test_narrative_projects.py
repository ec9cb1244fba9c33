"""NAR012: project amounts in the narrative against the project table and project forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SEED, check_doc, needs_seeds, variant


def _nar012(report) -> list:
    return [f for f in report.findings if f.rule == "NAR012"]


@needs_seeds
@pytest.mark.parametrize("seed", sorted(SEED))
def test_untouched_seeds_are_quiet(seed: str) -> None:
    assert _nar012(check_doc(SEED[seed])) == []


@needs_seeds
@pytest.mark.parametrize(
    "seed,old,new,line",
    [
        ("000", "于人社信息系统化建设 444.42 万元", "于人社信息系统化建设 454.42 万元", 762),
        ("002", "日常系统运行经费163.42万元，主要用于", "日常系统运行经费173.42万元，主要用于", 608),
    ],
)
def test_changed_project_amount_is_named(tmp_path: Path, seed: str, old, new, line) -> None:
    found = _nar012(check_doc(variant(tmp_path, seed, old, new)))
    assert len(found) == 1
    assert found[0].severity == "error" and found[0].location.line == line
    assert new.split("万")[0][-6:] in found[0].message
