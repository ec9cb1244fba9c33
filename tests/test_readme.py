"""The README stays true: its rule catalog is the generated one, its commands are the CI's."""

from __future__ import annotations

import re

from budgetdoc.check.catalog import rules_markdown
from conftest import REPO


def test_rule_catalog_in_readme_is_generated() -> None:
    text = (REPO / "README.md").read_text("utf-8")
    block = re.search(r"<!-- rules:start -->\n(.*?)<!-- rules:end -->", text, re.S)
    assert block, "README lacks the rules block"
    assert block.group(1) == rules_markdown(), "run: python scripts/update_readme.py"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", readme, re.S)
    assert len(commands) >= 2
    assert commands[1].strip() in ci
