"""The listings side table (chainkg.listings): both build paths write it, `run_named_query`
pages from it exactly as from SPARQL, and it is never read for another graph or another
query text."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
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
    assert not (out / ".listings.tmp").exists() and not (out / ".gap-summary.tmp").exists()
    store = open_store(out / "store")
    with open_beside(out / "store") as listings:
        for name in BUILDERS:  # the unbound answers (the hub-only ones need a parameter)
            if not get_query(name).required_params:  # (no registry exports: no changes)
                total = _same_pages(store, listings, name, {})
                assert total > 0 or name.startswith("registry-changes-")
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


def _frame(n: int) -> pd.DataFrame:
    """n rows of strings of uneven lengths (so an answer spans many blocks)."""
    return pd.DataFrame(
        {
            "chain_label": [f"链{i // 300}" for i in range(n)],
            "enterprise_label": [f"企业{i}" + "甲" * (i % 97) for i in range(n)],
            "local": ["true" if i % 3 else "false" for i in range(n)],
        }
    )


def test_pages_of_shared_and_own_rows_equal_the_builders(tmp_path: Path) -> None:
    """Each chain's run of the unbound answer and a repeated answer are stored once; an answer
    that only looks the same (one cell, or a cell's type, differs) keeps its own rows; every
    page of every key equals the builder's rows, across block boundaries."""
    whole = _frame(2_000)
    run = whole.iloc[300:900].reset_index(drop=True)
    edited = run.copy()
    edited.loc[599, "local"] = "maybe"  # equal to the run but for its last cell
    ints = whole.iloc[:50].assign(local=[i % 2 for i in range(50)])
    bools = ints.assign(local=ints["local"].astype(bool))  # == the ints, but not in JSON
    mixed = ints.assign(local=[1 if i % 2 else "x" for i in range(50)])
    mixed_bools = ints.assign(local=[True if i % 2 else "x" for i in range(50)])
    yielded = {
        "": whole,
        "a": run,
        "b": whole.copy(),
        "c": edited,
        "d": ints,
        "f": bools,
        "g": mixed,
        "h": mixed_bools,
        "e": whole[:0],
    }
    target = write_listings(
        load_seeds(DEFAULT_SEEDS),
        tmp_path / LISTINGS_FILE,
        [],
        {"chain-enterprises": lambda _s: iter(yielded.items())},
    )
    query = get_query("chain-enterprises")
    with Listings(target) as listings:
        bodies = listings._con.execute("SELECT COUNT(DISTINCT body) FROM answers WHERE total > 0")
        assert bodies.fetchone()[0] == 6  # all but the run and the copy of the unbound answer
        assert listings._con.execute("SELECT COUNT(*) FROM blocks").fetchone()[0] > 10
        for key, frame in yielded.items():
            rows = frame.to_numpy(dtype=object).tolist()
            params = {"chain": key} if key else {}
            assert listings.totals(query.name)[key] == len(rows)
            for limit, offset in [
                (0, 0),
                (50, 0),
                (7, 95),
                (333, 101),
                (10, max(len(rows) - 3, 0)),
            ]:
                page = listings.answer(query, params, limit, offset)
                end = offset + limit if limit else None
                assert page is not None and page.total == len(rows), (key, limit, offset)
                assert page.rows == rows[offset:end], (key, limit, offset)
            assert listings.answer(query, params, 5, len(rows) + 2).rows == []
        first = {k: listings.answer(query, {"chain": k}, 2).rows for k in "dfgh"}
    assert [type(r[2]) for k in "dfgh" for r in first[k]] == [
        int,
        int,
        bool,
        bool,
        str,
        int,
        str,
        bool,
    ]


def test_a_file_of_another_format_is_not_read(seed_build, tmp_path: Path) -> None:  # noqa: ANN001
    graph = tmp_path / "graph.nq"
    shutil.copy(seed_build.files["graph.nq"], graph)
    target = write_listings(load_seeds(DEFAULT_SEEDS), tmp_path / LISTINGS_FILE, [graph])
    with open_beside(graph) as listings:
        assert listings.answer(get_query("local-enterprises"), {}) is not None
    with sqlite3.connect(target) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'format'")  # an older layout
    notes: list[str] = []
    assert open_beside(graph, notes.append) is None and "not built with" in notes[0]
