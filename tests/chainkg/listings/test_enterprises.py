"""The enterprise listings' builders equal their queries' answers (chainkg.listings), on the
seeds, on a synthetic data set and on a registry data set, unbound and for every chain (hubs
and empty ones)."""

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
@pytest.mark.parametrize("data", ["seeds_built", "synthetic_built", "registry_built"])
def test_builder_equals_the_query(name: str, data: str, request: pytest.FixtureRequest) -> None:
    built = request.getfixturevalue(data)
    compared = assert_listing_matches(name, OURS[name], built.store, built.seeds)
    assert "" in compared
    sizes = {key: len(frame) for key, frame in OURS[name](built.seeds)}
    assert sizes[""] > 0
    if name in ("chain-enterprises", "segment-enterprises"):  # one key per chain
        assert len(compared) == len(built.seeds.tables["chains"]) + 1
        if name == "chain-enterprises":
            assert min(sizes.values()) == 0 or data != "seeds_built"
            if data == "synthetic_built":
                assert max(sizes.values()) > MIN_ROWS  # a hub


def test_the_synthetic_set_exercises_every_tie(synthetic_built) -> None:  # noqa: ANN001
    (_, rows), *_ = build_chain_enterprises(synthetic_built.seeds)
    assert set(rows["how"]) == {"leader", "segment", "project"} | (set(rows["how"]) & {"member"})
    assert set(rows["local"]) == {"true", "false"}
    assert {"在产", "在建", ""} <= set(rows["stage"])


def test_registry_rows_are_in_the_listings(registry_built) -> None:  # noqa: ANN001
    """Registry rows add firms, their presence by registered address and their placements
    in chains and segments (`chainkg.listings.rows.enterprises`, `relations`); a tie only a
    placement makes has no ?assertion (no statement of it, no quote), one a curated row
    also states has the row's. (The equality with the queries is checked above.)"""
    seeds = registry_built.seeds
    (_, chains), *_ = build_chain_enterprises(seeds)
    assert {"member", "segment", "leader"} <= set(chains["how"])
    assert {"", "原文明示", "编者判断"} <= set(chains["assertion"])
    registry_only = chains[chains["assertion"] == ""]
    assert len(registry_only) > 100 and set(registry_only["how"]) == {"member", "segment"}
    ((_, local),) = build_local_enterprises(seeds)
    assert len(local) > 100 and {"东园", "西园"} <= set(local["place_label"])
    ((_, away),) = build_nonlocal_enterprises_in_chains(seeds)
    # deregistered firms at zone addresses: placed there, not present
    assert {"东园", "西园"} <= set(away["where"])
    assert not set(away["enterprise_label"]) & set(local["enterprise_label"])
    (_, segments), *_ = build_segment_enterprises(seeds)
    assert segments["actors"].astype(int).min() > 1


def test_a_registry_export_without_rows_changes_nothing(seeds_built) -> None:  # noqa: ANN001
    """A registry export without a row (every row rejected) adds nothing: the builders
    answer as before."""
    from types import SimpleNamespace

    seeds = seeds_built.seeds
    empty = type(seeds)(**{**vars(seeds), "registry": {"src": SimpleNamespace(records=[])}})
    assert not empty.has_registry_rows
    for name, builder in OURS.items():
        got, want = list(builder(empty)), list(builder(seeds))
        assert [k for k, _f in got] == [k for k, _f in want] and got, name
        assert all(a.equals(b) for (_k, a), (_j, b) in zip(got, want, strict=True)), name
