"""`chainkg.queries`: named queries are documented, parameters are bound (never pasted) and
checked, results render in every format. Hand-made cases: the tiny graph and temporary files."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from chainkg.assemble import assemble
from chainkg.errors import ResourceMissing
from chainkg.queries import (
    ENTITY_PARAMS,
    UnknownName,
    format_result,
    get_query,
    list_queries,
    parse_named_query,
    run_named_query,
    run_query,
)
from chainkg.store import store_from_quads
from chainkg.tables import load_seeds
from tests.helpers import TINY


@pytest.fixture(scope="module")
def tiny_store() -> ox.Store:
    return store_from_quads(assemble(load_seeds(TINY / "seeds")))


def answer(store: ox.Store, query_name: str, **params: str) -> list[dict[str, str]]:
    return run_named_query(store, get_query(query_name), params).records()


def test_at_least_twenty_named_queries_each_with_a_summary() -> None:
    queries = list_queries()
    assert len(queries) >= 20
    for q in queries:
        assert q.summary and q.text.lstrip().startswith("# Summary:"), q.name


def _sample(store: ox.Store, param: str) -> str | None:
    """A value for a required parameter: an entity of the parameter's class from the graph
    (None when the graph has none), or 'x' for a plain parameter."""
    if param not in ENTITY_PARAMS:
        return "x"
    cls = ENTITY_PARAMS[param]
    typed = f"?e a {cls} ." if cls else ""
    query = f"SELECT ?id WHERE {{ {typed} ?e dct:identifier ?id }} ORDER BY ?id LIMIT 1"
    rows = run_query(store, query).records()
    return rows[0]["id"] if rows else None


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_named_query_runs(tiny_store: ox.Store, query) -> None:
    params = {p: _sample(tiny_store, p) for p in query.required_params}
    if None in params.values():  # the tiny graph has no entity of that class: a clear error
        with pytest.raises(UnknownName, match="names no"):
            run_named_query(tiny_store, query, {p: "x" for p in params})
        return
    result = run_named_query(tiny_store, query, params)
    assert result.columns and not set(result.columns) & set(query.params)


def test_a_relation_comes_back_from_its_query(tiny_store: ox.Store) -> None:
    rows = answer(tiny_store, "suppliers-of", company="丙汽车")
    assert [r for r in rows if "甲公司" in str(r.values())], rows


def test_unknown_and_missing_parameters_are_errors(tiny_store: ox.Store) -> None:
    with pytest.raises(ValueError, match="needs --param year"):
        run_named_query(tiny_store, get_query("zone-structure-in-year"))
    with pytest.raises(ValueError, match="has no parameter colour"):
        run_named_query(tiny_store, get_query("chain-leaders"), {"colour": "red"})


def test_parameter_values_cannot_inject_sparql(tiny_store: ox.Store) -> None:
    assert answer(tiny_store, "evidence-for-entity", name="甲公司")  # the honest value matches
    hostile = '甲公司" ) } SELECT * WHERE { ?s ?p ?o } #'
    assert answer(tiny_store, "evidence-for-entity", name=hostile) == []


def test_output_formats(tiny_store: ox.Store) -> None:
    result = run_named_query(tiny_store, get_query("local-supply-rates"))
    assert json.loads(format_result(result, "json"))[0]["unit"] == "%"
    parsed = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert parsed[0] == result.columns and len(parsed) == len(result.rows) + 1
    assert format_result(result, "tsv").splitlines()[0].split("\t") == result.columns
    assert "本地配套率" in format_result(result, "table")


def test_query_file_without_summary_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    with pytest.raises(ValueError, match="Summary"):
        parse_named_query(path)


def test_a_missing_queries_folder_is_an_error_not_an_empty_list(tmp_path: Path) -> None:
    with pytest.raises(ResourceMissing, match="reinstall") as info:
        list_queries(tmp_path / "queries")
    assert str(tmp_path / "queries") in str(info.value)
    with pytest.raises(ResourceMissing):
        get_query("chain-leaders", tmp_path / "queries")


def _sub_selects(text: str) -> list[str]:
    """The text of every nested `{ SELECT ... }` block of a query."""
    blocks = []
    for match in re.finditer(r"\{\s*SELECT", text):
        depth = 0
        for end in range(match.start(), len(text)):
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            if depth == 0:
                blocks.append(text[match.start() : end])
                break
    return blocks


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_parameters_are_used_only_in_the_top_level_group(query) -> None:
    """Inside a sub-select a parameter is out of scope: a BIND on it fails silently and the
    pattern then matches everything (and VALUES-binding on remote endpoints cannot reach it)."""
    for block in _sub_selects(query.text):
        for param in query.params:
            assert not re.search(rf"\?{param}\b", block), f"?{param} used in a sub-select"


def test_an_event_parameter_names_one_of_the_ontology_s_zone_events() -> None:
    """The four zone events are the ontology's own individuals: resolved from it by Chinese
    or English label, local name or IRI, with no store read (`store` None here)."""
    from chainkg.queries import UnknownName, resolve_entity

    left = "https://w3id.org/chainkg/def#LeftZone"
    for name in ("迁出园区", "left the zone", "LeftZone", left, f"<{left}>"):
        assert resolve_entity(None, "event", name) == left  # type: ignore[arg-type]
    with pytest.raises(UnknownName, match="EnteredZone"):
        resolve_entity(None, "event", "搬走")  # type: ignore[arg-type]
