"""The name index the build writes (`chainkg.names` + `chainkg.search`): the same names as the
store holds, parameters resolved through it as through SPARQL, `entity-search` from it. Data
tests on the seeds' build."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.cli import app
from chainkg.config import DEFAULT_SEEDS
from chainkg.names import other_name_rows, seed_name_rows
from chainkg.pipeline import BuildReport
from chainkg.queries import (
    AmbiguousName,
    UnknownName,
    get_query,
    resolve_entity,
    run_named_query,
)
from chainkg.search import INDEX_FILE, NameIndex, build_index, name_rows
from chainkg.tables import load_seeds
from chainkg.vocab import CKG_IRI


@pytest.fixture(scope="module")
def index(seed_build: BuildReport) -> NameIndex:
    with NameIndex(seed_build.files[INDEX_FILE]) as opened:
        yield opened


def test_seed_rows_are_the_names_in_the_store(seed_store: ox.Store) -> None:
    seeds = load_seeds(DEFAULT_SEEDS)
    from_tables = set(seed_name_rows(seeds))
    assert from_tables and {r[3] for r in from_tables} >= {"Enterprise", "IndustrialChain"}
    assert from_tables | set(other_name_rows(seed_store)) == set(name_rows(seed_store))


@pytest.mark.parametrize(
    ("built", "unnamed"),
    [("registry_built", "Placement"), ("streamed_build", "ZonePresence")],
)
def test_the_tables_and_the_store_give_every_name_with_unnamed_classes_skipped(
    built: str, unnamed: str, request: pytest.FixtureRequest
) -> None:
    """`other_name_rows` leaves out the classes the mapping writes without names
    (placements, zone presences): the two parts are still every name of the store, and
    those nodes are there to be skipped."""
    fixture = request.getfixturevalue(built)
    if isinstance(fixture, BuildReport):  # the streamed synthetic build
        seeds = load_seeds(fixture.out_dir.parent / "seeds")
        store = ox.Store.read_only(str(fixture.files["store"]))
    else:
        seeds, store = fixture.seeds, fixture.store
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a <{CKG_IRI}{unnamed}> }}"
    assert int(next(iter(store.query(count)))["n"].value) > 10
    found = set(seed_name_rows(seeds)) | set(other_name_rows(store))
    assert found == set(name_rows(store))


def test_the_build_writes_the_index_of_the_store(
    seed_build: BuildReport, seed_store: ox.Store, tmp_path: Path
) -> None:
    written = seed_build.files[INDEX_FILE]
    assert written == seed_build.out_dir / INDEX_FILE
    by_query = build_index(
        name_rows(seed_store), tmp_path / INDEX_FILE, seed_build.files["graph.nq"]
    )
    assert written.read_bytes() == by_query.read_bytes()


def _names(store: ox.Store, cls: str) -> list[str]:
    query = (
        f"SELECT DISTINCT ?name WHERE {{ ?e a {cls} ; "
        "rdfs:label|skos:altLabel|dct:identifier ?name } ORDER BY ?name"
    )
    from chainkg.queries import run_query

    return [row[0] for row in run_query(store, query).rows]


def _outcome(store: ox.Store, param: str, name: str, index: NameIndex | None) -> str:
    try:
        return resolve_entity(store, param, name, index)
    except AmbiguousName as exc:
        return f"ambiguous: {exc}"


@pytest.mark.parametrize(
    ("param", "cls"),
    [
        ("chain", "ckg:IndustrialChain"),
        ("segment", "ckg:ChainSegment"),
        ("company", "ckg:Enterprise"),
    ],
)
def test_every_name_resolves_as_through_sparql(
    seed_store: ox.Store, index: NameIndex, param: str, cls: str
) -> None:
    names = _names(seed_store, cls)
    assert len(names) > 10
    for name in names:
        assert _outcome(seed_store, param, name, index) == _outcome(seed_store, param, name, None)
    for name in names[:20]:  # any entity with an id, by the 'subject' parameter
        by_index = _outcome(seed_store, "subject", name.upper(), index)
        assert by_index == _outcome(seed_store, "subject", name.upper(), None)


def test_an_ambiguous_name_lists_its_entities(seed_store: ox.Store, index: NameIndex) -> None:
    with pytest.raises(AmbiguousName) as through_index:
        resolve_entity(seed_store, "subject", "人工智能", index)
    with pytest.raises(AmbiguousName) as through_sparql:
        resolve_entity(seed_store, "subject", "人工智能")
    assert str(through_index.value) == str(through_sparql.value)


def test_an_unknown_name_is_an_error_with_similar_names(
    seed_store: ox.Store, index: NameIndex
) -> None:
    with pytest.raises(UnknownName, match="names no IndustrialChain.*Similar names: .*新能源汽车"):
        resolve_entity(seed_store, "chain", "新能源汽", index)
    with pytest.raises(UnknownName, match="names no IndustrialChain.*Known IndustrialChains"):
        resolve_entity(seed_store, "chain", "无此链", index)


def test_entity_search_from_the_index(seed_store: ox.Store, index: NameIndex) -> None:
    query = get_query("entity-search")
    by_sparql = run_named_query(seed_store, query, {"text": "电机"})
    by_index = run_named_query(seed_store, query, {"text": "电机"}, index)
    assert by_index.columns == by_sparql.columns
    assert by_index.total == len(by_index.rows) == len({r[3] for r in by_index.rows})
    # every entity SPARQL finds by a label or alias, the index finds (it also matches ids)
    assert {r[3] for r in by_sparql.rows} <= {r[3] for r in by_index.rows}
    page = run_named_query(seed_store, query, {"text": "电机"}, index, limit=2, offset=1)
    assert page.rows == by_index.rows[1:3] and page.total == by_index.total


def test_cli_uses_the_index_beside_the_graph(seed_build: BuildReport) -> None:
    graph = str(seed_build.files["graph.nq"])
    runner = CliRunner()
    result = runner.invoke(
        app, ["query", "entity-search", "-p", "text=电机", "--graph", graph, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all("电机" in r["matched"] for r in rows)
    unknown = runner.invoke(
        app, ["query", "chain-enterprises", "-p", "chain=无此链", "--graph", graph]
    )
    assert unknown.exit_code == 2 and "names no IndustrialChain" in unknown.stderr
