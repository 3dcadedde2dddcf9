"""Named queries answer page by page: pages put together are the whole answer, the total is its
row count. Data tests on the seeds' build and on a small synthetic set."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from chainkg.assemble import assemble
from chainkg.cli import app
from chainkg.pipeline import BuildReport
from chainkg.queries import (
    NamedQuery,
    count_text,
    get_query,
    list_queries,
    paged_text,
    run_named_query,
    run_paged,
)
from chainkg.store import store_from_quads
from chainkg.synth import synthesize
from chainkg.tables import load_seeds

LISTINGS = [q for q in list_queries() if not q.required_params and not q.internal]


def _pages(store: ox.Store, query: NamedQuery, size: int, **params: str) -> list[list[str]]:
    rows: list[list[str]] = []
    offset = 0
    while True:
        page = run_named_query(store, query, params, limit=size, offset=offset)
        whole = run_named_query(store, query, params)
        assert page.total == len(whole.rows), query.name
        rows += page.rows
        offset += size
        if offset >= page.total:
            return rows


@pytest.mark.parametrize("query", LISTINGS, ids=lambda q: q.name)
def test_pages_put_together_are_the_answer(seed_store: ox.Store, query: NamedQuery) -> None:
    whole = run_named_query(seed_store, query)
    assert whole.total == len(whole.rows)
    if whole.boolean is not None:
        return
    size = max(1, len(whole.rows) // 3)  # three or four pages
    assert _pages(seed_store, query, size) == whole.rows


def test_a_parameter_reaches_the_count(seed_store: ox.Store) -> None:
    query = get_query("chain-enterprises")
    nev = "https://w3id.org/chainkg/zhuzhou-hitech/chain/nev"  # counted as an endpoint would
    one = run_paged(seed_store, query.text, {"chain": nev}, limit=3, rewrite=True)
    whole = run_paged(seed_store, query.text, {"chain": nev})
    assert len(one.rows) == 3 and one.total == whole.total == len(whole.rows) > 3
    everything = run_named_query(seed_store, query).total
    one_chain = run_named_query(seed_store, query, {"chain": "nev"}, limit=3)
    assert len(one_chain.rows) == 3
    assert one_chain.total == len(run_named_query(seed_store, query, {"chain": "nev"}).rows)
    assert 3 < one_chain.total < everything


def test_a_page_past_the_end_is_empty_with_the_total(seed_store: ox.Store) -> None:
    query = get_query("chain-enterprises")
    total = run_named_query(seed_store, query).total
    past = run_named_query(seed_store, query, limit=10, offset=total + 5)
    assert past.rows == [] and past.total == total
    assert "共" in past.page_line()


def test_query_text_rewriting() -> None:
    text = "# Summary: x\nPREFIX ex: <http://e/#>\nSELECT ?a WHERE { ?a ?b ?c } # note\nORDER BY ?a"
    assert paged_text(text, 10, 20).endswith("ORDER BY ?a\nLIMIT 10\nOFFSET 20")
    assert paged_text(text + "\nLIMIT 5", 10) == text + "\nLIMIT 5"  # its own slice kept
    counted = count_text(text, ["a"])
    assert counted.startswith("# Summary: x\nPREFIX ex: <http://e/#>\nSELECT ?a (COUNT(*)")
    assert counted.endswith("?c } # note\n\n} GROUP BY ?a")  # counted without sorting
    assert "ORDER BY ?a\nLIMIT 5\n}" in count_text(text + "\nLIMIT 5", [])  # the order counts
    store = ox.Store()
    for i in range(7):
        store.add(ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(i)))
    for rewrite in (False, True):  # one pass over the answer; LIMIT/OFFSET and a count
        result = run_paged(store, text, limit=3, offset=3, rewrite=rewrite)
        assert [r[0] for r in result.rows] == ["http://e/3", "http://e/4", "http://e/5"]
        assert result.total == 7 and result.page_line() == "显示 4–6 / 共 7 行 (rows 4–6 of 7)"


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    seeds = tmp_path_factory.mktemp("synth")
    synthesize(300, seeds, seed=5)
    return store_from_quads(assemble(load_seeds(seeds)))


@pytest.mark.parametrize(
    "name",
    ["chain-enterprises", "segment-enterprises", "local-enterprises", "relations-with-evidence"],
)
def test_pages_on_a_synthetic_set(synthetic_store: ox.Store, name: str) -> None:
    query = get_query(name)
    whole = run_named_query(synthetic_store, query)
    assert len(whole.rows) > 40, "enough rows for several pages"
    size = len(whole.rows) // 4 + 1
    assert _pages(synthetic_store, query, size) == whole.rows
    # as an endpoint is asked: the query with LIMIT/OFFSET, and a count (parameter columns
    # kept: run_paged is below run_named_query)
    raw = run_paged(synthetic_store, query.text).rows
    pages = [
        run_paged(synthetic_store, query.text, {}, size, k, rewrite=True)
        for k in range(0, len(raw), size)
    ]
    assert [row for page in pages for row in page.rows] == raw
    assert {page.total for page in pages} == {len(raw)}


def test_cli_pages_by_default(seed_build: BuildReport, tmp_path: Path) -> None:
    graph = str(seed_build.files["graph.nq"])
    runner = CliRunner()
    whole = run_named_query(seed_store_of(graph), get_query("relations-with-evidence"))
    assert whole.total > 100
    shown = runner.invoke(app, ["query", "relations-with-evidence", "--graph", graph])
    assert shown.exit_code == 0, shown.output
    assert f"显示 1–100 / 共 {whole.total:,} 行 (rows 1–100 of {whole.total:,})" in shown.stderr
    page = runner.invoke(
        app,
        ["query", "relations-with-evidence", "--graph", graph, "-f", "json"]
        + ["--limit", "5", "--offset", "10"],
    )
    parsed = json.loads(page.stdout)
    assert parsed["total"] == whole.total and parsed["offset"] == 10
    assert [list(r.values()) for r in parsed["rows"]] == whole.rows[10:15]
    everything = runner.invoke(
        app, ["query", "relations-with-evidence", "--graph", graph, "-f", "json", "--limit", "0"]
    )
    assert len(json.loads(everything.stdout)) == whole.total


def seed_store_of(graph: str) -> ox.Store:
    from chainkg.store import open_store

    return open_store(graph)
