"""Docs are tested: the seed-table doc matches the schema, commands have help, README is true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chainkg import schema_docs
from chainkg.cli import app
from chainkg.queries import list_queries

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_seed_table_doc_is_current() -> None:
    assert (REPO / "docs" / "seed-tables.md").read_text(encoding="utf-8") == schema_docs.render()


def command_names() -> list[str]:
    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", command_names())
def test_every_command_has_help(command: str) -> None:
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert len(result.output.strip().splitlines()) > 3


def test_readme_names_every_command() -> None:
    for command in command_names():
        assert f"chainkg {command}" in README, command


def test_readme_named_query_examples_exist() -> None:
    names = {q.name for q in list_queries()}
    for used in re.findall(r"chainkg query ([a-z][a-z0-9-]+)", README):
        assert used in names, used


def test_readme_first_command_builds(tmp_path: Path) -> None:
    """The README's build line, minus the venv set-up the test run already has."""
    line = next(x for x in README.splitlines() if "build_graph.py" in x and "pip install" in x)
    assert line.strip().endswith(".venv/bin/python build_graph.py")
    result = subprocess.run(
        [sys.executable, "build_graph.py", "--out", str(tmp_path / "out")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "./scripts/test.sh" in README
    assert "./scripts/test.sh" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
