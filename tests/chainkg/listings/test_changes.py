"""The registry changes' builder equals its query's answer (chainkg.listings.changes), on the
registry data set (two exports), unbound and for every zone event."""

from __future__ import annotations

from chainkg.listings import BUILDERS, open_beside
from chainkg.listings.changes import (
    build_registry_changes_by_chain,
    build_registry_changes_in_zone,
)
from chainkg.queries import get_query, run_named_query
from chainkg.vocab import CKG
from tests.chainkg.listings.harness import assert_listing_matches


def test_the_registry_holds_it() -> None:
    assert BUILDERS["registry-changes-in-zone"] is build_registry_changes_in_zone


def test_builder_equals_the_query(registry_built) -> None:  # noqa: ANN001
    name = "registry-changes-in-zone"
    compared = assert_listing_matches(
        name, BUILDERS[name], registry_built.store, registry_built.seeds
    )
    sizes = {key: len(frame) for key, frame in build_registry_changes_in_zone(registry_built.seeds)}
    assert set(compared) == set(sizes) and len(sizes) == 5
    assert sizes[""] == sum(n for key, n in sizes.items() if key) and all(sizes.values())


def test_no_registry_changes_empty_answers(seeds_built) -> None:  # noqa: ANN001
    for builder in (build_registry_changes_in_zone, build_registry_changes_by_chain):
        answers = list(builder(seeds_built.seeds))
        assert answers and all(frame.empty for _key, frame in answers)
        name = next(n for n, b in BUILDERS.items() if b is builder)
        assert_listing_matches(name, builder, seeds_built.store, seeds_built.seeds)


def test_the_counts_per_chain_equal_the_query(registry_built) -> None:  # noqa: ANN001
    name = "registry-changes-by-chain"
    assert BUILDERS[name] is build_registry_changes_by_chain
    assert assert_listing_matches(
        name, BUILDERS[name], registry_built.store, registry_built.seeds
    ) == {""}
    assert list(build_registry_changes_by_chain(registry_built.seeds))[0][1]["chain"].eq("").any()


def test_the_build_writes_them_beside_its_graph(registry_built) -> None:  # noqa: ANN001
    """Read back from the build's listings.sqlite: the same pages as SPARQL, with the total."""
    graph = registry_built.report.files["graph.nq"]
    query = get_query("registry-changes-in-zone")
    params = {"event": str(CKG.ClosedInZone)}
    with open_beside(graph) as listings:
        stored = run_named_query(
            registry_built.store, query, params, limit=5, offset=2, listings=listings
        )
        direct = run_named_query(registry_built.store, query, params, limit=5, offset=2)
        assert listings.answer(query, params) is not None
    assert (stored.rows, stored.total) == (direct.rows, direct.total) and stored.total > 5
