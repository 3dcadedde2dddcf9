"""Stage 2: every quote must be an exact substring of its article."""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.errors import SeedError
from chainkg.evidence import check_evidence, quote_context
from chainkg.tables import load_seeds
from tests.helpers import copy_tiny, edit_csv


def test_all_tiny_quotes_found(tmp_path: Path) -> None:
    assert check_evidence(load_seeds(copy_tiny(tmp_path))) == 11


def evidence_problems(seeds: Path) -> list:
    with pytest.raises(SeedError) as info:
        check_evidence(load_seeds(seeds))
    return info.value.problems


def test_quote_not_in_article(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "enterprises.csv", 1, quote="乙集团是世界五百强")
    [problem] = evidence_problems(seeds)
    assert (Path(problem.file).name, problem.line, problem.field) == ("enterprises.csv", 3, "quote")
    assert "乙集团是世界五百强" in problem.message and "character for character" in problem.hint


def test_punctuation_variant_is_not_accepted(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "places.csv", 2, quote="甲公司落户示例高新区东园，")  # full-width comma
    [problem] = evidence_problems(seeds)
    assert (Path(problem.file).name, problem.field) == ("places.csv", "quote")


def test_unknown_source(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "chains.csv", 0, source="a9")
    [problem] = evidence_problems(seeds)
    assert problem.field == "source" and "a9" in problem.message


def test_quote_context() -> None:
    assert quote_context("前文甲公司后文", "甲公司", 2) == ("前文", "甲公司", "后文")
