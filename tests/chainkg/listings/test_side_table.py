"""The listings side table (chainkg.listings): both build paths write it, `run_named_query`
pages from it exactly as from SPARQL, and it is never read for another graph or another
query text."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest

from chainkg.config import DEFAULT_SEEDS
from chainkg.listings import BUILDERS, LISTINGS_FILE, Listings, open_beside, write_listings
from chainkg.queries import get_query, run_named_query
from chainkg.store import open_store
from chainkg.tables import load_seeds
from tests.helpers import command_beside_python


def _chain(store: ox.Store, listings: Listings) -> str:
    """The IRI of the chain with the most chain-enterprises rows."""
    totals = listings.totals("chain-enterprises")
    assert totals[""] == run_named_query(store, get_query("chain-enterprises")).total
    return max((total, key) for key, total in totals.items() if key)[1]


def _same_pages(store: ox.Store, listings: Listings, name: str, params: dict[str, str]) -> int:
    """Pages read from the side table equal the builder's rows and SPARQL's total; returns
    the total."""
    query = get_query(name)
    whole = run_named_query(store, query, params)
    stored = listings.answer(query, params)
    assert stored is not None, (name, params)
    assert stored.columns == whole.columns and stored.total == whole.total == len(whole.rows)
    for limit, offset in [(5, 0), (7, 3), (0, 2), (10, max(whole.total - 4, 0))]:
        page = run_named_query(store, query, params, limit=limit, offset=offset, listings=listings)
        end = offset + limit if limit else None
        assert page.rows == stored.rows[offset:end] and page.total == whole.total
        assert page.offset == offset
    past = run_named_query(store, query, params, limit=5, offset=whole.total + 3, listings=listings)
    assert past.rows == [] and past.total == whole.total
    return whole.total


def test_the_small_build_writes_it_for_its_graph(seed_build, seed_store) -> None:  # noqa: ANN001
    graph = seed_build.files["graph.nq"]
    assert seed_build.files[LISTINGS_FILE] == graph.parent / LISTINGS_FILE
    assert "listings" in seed_build.seconds
    with open_beside(graph) as listings:
        for name in BUILDERS:  # the unbound answers (the hub-only ones need a parameter)
            if not get_query(name).required_params:
                _same_pages(seed_store, listings, name, {})
        chain = _chain(seed_store, listings)
        assert _same_pages(seed_store, listings, "chain-enterprises", {"chain": chain}) > 0
        _same_pages(seed_store, listings, "segment-enterprises", {"chain": chain})
    for other in ("graph.ttl", "graph.jsonld"):  # each graph file it was built with
        assert open_beside(graph.parent / other) is not None


def test_names_resolve_before_the_lookup(seed_build, seed_store) -> None:  # noqa: ANN001
    """A chain given by name is resolved to its IRI, the key the rows are stored under."""
    query = get_query("chain-enterprises")
    with open_beside(seed_build.files["graph.nq"]) as listings:
        chain = _chain(seed_store, listings)
        label = run_named_query(seed_store, query, {"chain": chain}).rows[0][0]
        by_name = run_named_query(seed_store, query, {"chain": label}, limit=3, listings=listings)
        assert by_name.rows == listings.answer(query, {"chain": chain}, 3).rows
        # an empty parameter is not the unbound answer: SPARQL binds "" (no chain has it)
        assert listings.answer(query, {"chain": ""}) is None


def test_never_read_for_another_graph_or_query_text(seed_build, tmp_path: Path) -> None:  # noqa: ANN001
    graph = seed_build.files["graph.nq"]
    copy = tmp_path / "graph.nq"
    copy.write_bytes(graph.read_bytes() + b"\n")  # another graph
    shutil.copy(graph.parent / LISTINGS_FILE, tmp_path / LISTINGS_FILE)
    notes: list[str] = []
    assert open_beside(copy, notes.append) is None
    assert "not built with" in notes[0] and "SPARQL answers" in notes[0]
    assert open_beside(tmp_path / "missing.nq") is None
    with open_beside(graph) as listings:
        query = get_query("local-enterprises")
        assert listings.answer(query, {}) is not None
        edited = dataclasses.replace(
            query, text=query.text.replace("ORDER BY", "ORDER BY DESC(?chains)")
        )
        assert listings.answer(edited, {}) is None  # an edited query: SPARQL answers it


def test_same_seeds_same_bytes(seed_build, tmp_path: Path) -> None:  # noqa: ANN001
    seeds = load_seeds(DEFAULT_SEEDS)
    graphs = [seed_build.files["graph.nq"]]
    first = write_listings(seeds, tmp_path / "a.sqlite", graphs).read_bytes()
    assert write_listings(seeds, tmp_path / "b.sqlite", graphs).read_bytes() == first


def test_a_builder_with_uneven_columns_is_refused_and_nothing_written(seed_build, tmp_path) -> None:  # noqa: ANN001
    def uneven(_seeds):  # noqa: ANN001, ANN202
        yield "", pd.DataFrame({"a": ["1"]})
        yield "x", pd.DataFrame({"b": ["1"]})

    target = tmp_path / LISTINGS_FILE
    with pytest.raises(ValueError, match="key 'x' has columns"):
        write_listings(load_seeds(DEFAULT_SEEDS), target, [], {"local-enterprises": uneven})
    assert list(tmp_path.iterdir()) == []


def test_the_streaming_build_writes_it_for_its_store(streamed_build) -> None:  # noqa: ANN001
    out = streamed_build.out_dir
    assert streamed_build.files[LISTINGS_FILE] == out / LISTINGS_FILE
    assert not (out / ".listings.tmp").exists()
    store = open_store(out / "store")
    with open_beside(out / "store") as listings:
        for name in BUILDERS:  # the unbound answers (the hub-only ones need a parameter)
            if not get_query(name).required_params:
                assert _same_pages(store, listings, name, {}) > 0
        chain = _chain(store, listings)
        _same_pages(store, listings, "chain-enterprises", {"chain": chain})
    assert open_beside(out / "graph.nq") is not None


def test_chainkg_query_pages_from_it(streamed_build) -> None:  # noqa: ANN001
    store = streamed_build.out_dir / "store"
    run = subprocess.run(
        [command_beside_python("chainkg"), "query", "chain-enterprises", "--graph", str(store)]
        + ["--limit", "4", "--offset", "2", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    page = json.loads(run.stdout)
    whole = run_named_query(open_store(store), get_query("chain-enterprises"))
    assert page["total"] == whole.total and page["offset"] == 2
    assert [list(r.values()) for r in page["rows"]] == whole.rows[2:6]
