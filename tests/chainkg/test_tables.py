"""Stage 1: loading and validating the seed tables; every bad input names file, line, field."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import chainkg.forked
import chainkg.tables
from chainkg.errors import SeedError
from chainkg.schema import ID_PATTERN
from chainkg.tables import _ids_well_formed, _not_target_ids, is_member, load_seeds
from tests.helpers import copy_tiny, edit_csv, write_csv


def problems_of(seeds: Path) -> list:
    with pytest.raises(SeedError) as info:
        load_seeds(seeds)
    return info.value.problems


def test_tiny_seeds_load_with_all_tables(tmp_path: Path) -> None:
    seeds = load_seeds(copy_tiny(tmp_path))
    assert set(seeds.tables) >= {"sources", "places", "enterprises", "relations"}
    assert seeds.table_of["jia"] == "enterprises"
    assert seeds.kind_of("demo-zone") == "place"
    assert seeds.articles["a1"].startswith("示例高新区")


def test_missing_column(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    path = seeds / "enterprises.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    keep = [i for i, name in enumerate(header) if name != "label_zh"]
    path.write_text(
        "\n".join(",".join(line.split(",")[i] for i in keep) for line in lines) + "\n",
        encoding="utf-8",
    )
    [problem] = problems_of(seeds)
    assert (Path(problem.file).name, problem.line, problem.field) == (
        "enterprises.csv",
        1,
        "label_zh",
    )
    assert "missing" in problem.message and "header should be" in problem.hint


def test_unknown_column(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    path = seeds / "places.csv"
    text = path.read_text(encoding="utf-8").splitlines()
    path.write_text(
        "\n".join([text[0] + ",colour"] + [line + ",red" for line in text[1:]]) + "\n",
        encoding="utf-8",
    )
    [problem] = problems_of(seeds)
    assert (Path(problem.file).name, problem.field) == ("places.csv", "colour")
    assert "unknown column" in problem.message


def test_duplicate_id_across_tables(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "enterprises.csv", 2, id="demo-zone")
    problems = problems_of(seeds)
    [problem] = [p for p in problems if p.field == "id"]
    assert any(p.field == "object" and "'bing'" in p.message for p in problems)
    assert (Path(problem.file).name, problem.line, problem.field) == ("enterprises.csv", 4, "id")
    assert "duplicate id 'demo-zone'" in problem.message and "places.csv line 3" in problem.hint


# One bad cell -> exactly one problem: (file, data row, change, file line, field, in message)
ONE_PROBLEM = {
    "reference to a missing id": (
        "relations.csv", 1, {"object": "no-such-firm"}, 3, "object", "'no-such-firm' is not an id"
    ),
    "reference to the wrong table": (
        "enterprises.csv", 0, {"located_in": "yi"}, 2, "located_in", "enterprises.csv"
    ),
    "curator assertion without a note": ("relations.csv", 2, {"note": ""}, 4, "note", ""),
    "source and quote counts differ": (
        "places.csv", 0, {"source": "a1|a1"}, 2, "quote", "2 source(s) but 1 quote(s)"
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", ONE_PROBLEM.values(), ids=list(ONE_PROBLEM))
def test_one_bad_cell_is_named_by_file_line_and_field(tmp_path: Path, case: tuple) -> None:
    file, row, change, line, field, in_message = case
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / file, row, **change)
    [problem] = problems_of(seeds)
    assert (Path(problem.file).name, problem.line, problem.field) == (file, line, field)
    assert in_message in problem.message


def test_bad_number_and_bad_year(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "statistics.csv", 0, value="25%", year="二〇二四")
    found = {(p.field, p.line) for p in problems_of(seeds)}
    assert found == {("value", 2), ("year", 2)}


def test_bad_date_and_bad_enum(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "sources.csv", 0, date="2024年5月1日", date_basis="guessed")
    found = {p.field for p in problems_of(seeds)}
    assert found == {"date", "date_basis"}


def test_file_not_utf8(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    path = seeds / "chains.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    [problem] = problems_of(seeds)
    assert Path(problem.file).name == "chains.csv" and "not UTF-8" in problem.message
    assert problem.line == 2  # the first non-ASCII byte is on the first data row


def test_article_missing(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    (seeds / "articles" / "a1.txt").unlink()
    [problem] = problems_of(seeds)
    assert (Path(problem.file).name, problem.field) == ("sources.csv", "file")


def test_focal_zone_must_exist(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    toml = seeds / "dataset.toml"
    toml.write_text(toml.read_text().replace('"demo-zone"', '"nowhere"'), encoding="utf-8")
    [problem] = problems_of(seeds)
    assert problem.field == "focal_zone"


def test_all_problems_reported_together(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "relations.csv", 0, predicate="owns")
    edit_csv(seeds / "enterprises.csv", 1, located_in="nowhere")
    assert len(problems_of(seeds)) == 2


def test_optional_tables_may_be_absent(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    (seeds / "statistics.csv").unlink()
    write_csv(
        seeds / "relations.csv",
        [
            "id",
            "subject",
            "predicate",
            "object",
            "role",
            "date",
            "source",
            "quote",
            "assertion",
            "note",
        ],
        [],
    )
    loaded = load_seeds(seeds)
    assert "statistics" not in loaded.tables and len(loaded.tables["relations"]) == 0


@pytest.mark.parametrize("base", ["https://example.com/kg", "https://exa mple.com/kg/"])
def test_a_bad_base_iri_names_the_field(tmp_path: Path, base: str) -> None:
    with pytest.raises(SeedError) as info:
        load_seeds(copy_tiny(tmp_path), base_iri=base)
    (problem,) = info.value.problems
    assert problem.field == "base_iri" and problem.file.endswith("dataset.toml")


def test_cells_are_stripped_before_they_are_checked(tmp_path: Path) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "relations.csv", 0, subject=" jia\u3000", predicate="supplier_of ")
    loaded = load_seeds(seeds)
    first = loaded.tables["relations"].iloc[0]
    assert (first["subject"], first["predicate"]) == ("jia", "supplier_of")


@pytest.mark.parametrize("bad", ["Jia", "-jia", "ji a", "jiä", "ji\na"])
def test_a_malformed_id_is_named_by_file_line_and_field(tmp_path: Path, bad: str) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "enterprises.csv", None, id=bad, label_zh="新企业", source="a1", quote="示例")
    problems = [p for p in problems_of(seeds) if p.field == "id"]
    assert [(Path(p.file).name, p.message) for p in problems] == [
        ("enterprises.csv", f"'{bad}' is not a valid id")
    ]


@given(st.lists(st.text(alphabet="az09-\n Aé", max_size=6).map(str.strip), max_size=5))
def test_ids_checked_together_agree_with_the_id_pattern(ids: list[str]) -> None:
    assert _ids_well_formed(ids) == all(re.fullmatch(ID_PATTERN, i) for i in ids)


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.sampled_from(["places", "relations"])),
    st.sets(st.sampled_from("abcdefghxy")),
)
def test_references_not_to_a_target_table_are_found_alike_by_both_paths(
    table_of: dict[str, str], values: set[str]
) -> None:
    ids = {t: [i for i, name in table_of.items() if name == t] for t in set(table_of.values())}
    expected = {v for v in values if table_of.get(v) != "places"}
    # many values against few ids: the set operations; a large index: the lookups
    assert _not_target_ids(values, ("places",), (table_of, ids)) == expected
    padded = table_of | {f"p{i}": "places" for i in range(4 * len(values) + 1)}
    assert _not_target_ids(values, ("places",), (padded, ids)) == expected


def _read_on_two_cores(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make `load_seeds` read any seeds on two cores; the results of its forked calls."""
    forks: list[object] = []

    def fork_call(run, fork=True):  # noqa: ANN001, ANN202 - chainkg.forked.fork_call's
        forks.append(run)
        return chainkg.forked.fork_call(run, fork)

    monkeypatch.setattr(chainkg.tables, "FORK_MIN_BYTES", 0)
    monkeypatch.setattr(chainkg.tables, "fork_call", fork_call)
    return forks


def test_seeds_read_on_two_cores_are_the_same(tmp_path: Path, monkeypatch) -> None:
    seeds = copy_tiny(tmp_path)
    edit_csv(seeds / "places.csv", 0, label_zh="  示例高新区 ")  # stripped in a child
    here = load_seeds(seeds)
    forks = _read_on_two_cores(monkeypatch)
    there = load_seeds(seeds)
    assert len(forks) == 2  # the other tables; sources.csv and its files
    assert list(there.tables) == list(here.tables)
    for name, frame in here.tables.items():
        assert frame.equals(there.tables[name]), name
        assert list(frame.dtypes) == list(there.tables[name].dtypes), name
    assert there.tables["places"]["label_zh"].iloc[0] == "示例高新区"
    assert there.articles == here.articles and there.articles["a1"].startswith("示例高新区")
    assert list(there.table_of.items()) == list(here.table_of.items())
    assert there.source_kinds == here.source_kinds and there.files == here.files


@pytest.mark.parametrize(
    "spoil",
    [
        "cells",  # bad cells in the table read here, in a child's table, a missing article
        "csv",  # not UTF-8 in a child's table, a missing column in the table read here
        "sources",  # sources.csv is not UTF-8: neither child has sources to read
        "no-sources",
    ],
)
def test_problems_found_on_two_cores_are_the_same(tmp_path: Path, monkeypatch, spoil: str) -> None:
    seeds = copy_tiny(tmp_path)
    if spoil == "cells":
        edit_csv(seeds / "relations.csv", 0, predicate="owns")  # the largest table: read here
        edit_csv(seeds / "enterprises.csv", 1, located_in="nowhere")
        edit_csv(seeds / "enterprises.csv", 0, id="Bad Id")
        (seeds / "articles" / "a1.txt").unlink()
    elif spoil == "csv":
        path = seeds / "chains.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
        path = seeds / "relations.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("predicate", "verb", 1))
    elif spoil == "sources":
        path = seeds / "sources.csv"
        path.write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))
    else:
        (seeds / "sources.csv").unlink()
    here = problems_of(seeds)
    forks = _read_on_two_cores(monkeypatch)
    there = problems_of(seeds)
    assert forks and there == here
    assert len(here) >= {"cells": 4, "csv": 3}.get(spoil, 1)
    if spoil == "cells":
        assert [(Path(p.file).name, p.field) for p in here][-1] == ("sources.csv", "file")


_SHORT_TEXT = st.text(alphabet="ab北京", max_size=3)


@given(
    st.lists(_SHORT_TEXT, max_size=30),
    st.lists(_SHORT_TEXT, max_size=10),
    st.sampled_from([set, list, tuple, dict.fromkeys, frozenset]),
)
def test_membership_by_set_lookups_is_pandas_isin(
    cells: list[str], members: list[str], container: type
) -> None:
    column = pd.Series(cells, dtype=str, index=range(5, 5 + len(cells)))
    found = is_member(column, container(members))
    assert found.dtype == bool
    assert found.tolist() == column.isin(members).tolist()
