"""The enterprise listings' builders equal their queries' answers (chainkg.listings), on the
seeds and on a synthetic data set, unbound and for every chain (hubs and empty ones)."""

from __future__ import annotations

import pytest

from chainkg.listings import BUILDERS, MIN_ROWS
from chainkg.listings.enterprises import (
    build_chain_enterprises,
    build_local_enterprises,
    build_nonlocal_enterprises_in_chains,
    build_segment_enterprises,
)
from tests.chainkg.listings.harness import assert_listing_matches

OURS = {
    "chain-enterprises": build_chain_enterprises,
    "segment-enterprises": build_segment_enterprises,
    "local-enterprises": build_local_enterprises,
    "nonlocal-enterprises-in-chains": build_nonlocal_enterprises_in_chains,
}


def test_the_registry_holds_them() -> None:
    assert {name: BUILDERS[name] for name in OURS} == OURS


@pytest.mark.parametrize("name", sorted(OURS))
@pytest.mark.parametrize("data", ["seeds_built", "synthetic_built"])
def test_builder_equals_the_query(name: str, data: str, request: pytest.FixtureRequest) -> None:
    built = request.getfixturevalue(data)
    compared = assert_listing_matches(name, OURS[name], built.store, built.seeds)
    assert "" in compared
    sizes = {key: len(frame) for key, frame in OURS[name](built.seeds)}
    assert sizes[""] > 0
    if name in ("chain-enterprises", "segment-enterprises"):  # one key per chain
        assert len(compared) == len(built.seeds.tables["chains"]) + 1
        if name == "chain-enterprises":
            assert min(sizes.values()) == 0 or data == "synthetic_built"
            if data == "synthetic_built":
                assert max(sizes.values()) > MIN_ROWS  # a hub


def test_the_synthetic_set_exercises_every_tie(synthetic_built) -> None:  # noqa: ANN001
    (_, rows), *_ = build_chain_enterprises(synthetic_built.seeds)
    assert set(rows["how"]) == {"leader", "segment", "project"} | (set(rows["how"]) & {"member"})
    assert set(rows["local"]) == {"true", "false"}
    assert {"在产", "在建", ""} <= set(rows["stage"])


def test_a_data_set_with_registry_rows_is_left_to_sparql(seeds_built) -> None:  # noqa: ANN001
    """Registry rows follow rules the builders do not repeat: SPARQL answers. A registry
    export without a row (every row rejected) adds nothing: the builders answer as before."""
    from types import SimpleNamespace

    seeds = seeds_built.seeds
    with_rows = type(seeds)(**{**vars(seeds), "registry": {"src": SimpleNamespace(records=[1])}})
    assert with_rows.has_registry_rows
    assert all(list(builder(with_rows)) == [] for builder in OURS.values())
    empty = type(seeds)(**{**vars(seeds), "registry": {"src": SimpleNamespace(records=[])}})
    assert not empty.has_registry_rows
    for name, builder in OURS.items():
        got, want = list(builder(empty)), list(builder(seeds))
        assert [k for k, _f in got] == [k for k, _f in want] and got, name
        assert all(a.equals(b) for (_k, a), (_j, b) in zip(got, want, strict=True)), name
