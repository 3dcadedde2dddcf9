"""Queries that look up from their parameter (a given company or chain) give, for it, exactly
the rows the same query gives for every entity: a small synthetic set, every chain and the
enterprises with the most ties."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from chainkg.assemble import assemble
from chainkg.queries import get_query, run_query
from chainkg.store import store_from_quads
from chainkg.synth import synthesize
from chainkg.tables import load_seeds


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    seeds = tmp_path_factory.mktemp("synth")
    synthesize(400, seeds, seed=7)
    return store_from_quads(assemble(load_seeds(seeds)))


def _rows(store: ox.Store, name: str, **params: str) -> list[dict[str, str]]:
    return run_query(store, get_query(name).text, params).records()


def _without(rows: list[dict[str, str]], column: str) -> list[tuple]:
    return sorted(tuple(v for k, v in r.items() if k != column) for r in rows)


def _busiest(store: ox.Store, limit: int = 6) -> list[str]:
    query = (
        "SELECT ?e (COUNT(*) AS ?n) WHERE { ?e a ckg:Enterprise . "
        "{ ?r rdf:subject ?e } UNION { ?r rdf:object ?e } } GROUP BY ?e ORDER BY DESC(?n) ?e"
    )
    return [row[0] for row in run_query(store, query).rows[:limit]]


def test_enterprise_profile_of_one_is_its_part_of_all(store: ox.Store) -> None:
    every = _rows(store, "enterprise-profile")
    for firm in _busiest(store):
        one = _rows(store, "enterprise-profile", company=firm)
        assert len(one) > 3
        mine = [r for r in every if r["enterprise"] == firm]
        assert _without(one, "company") == _without(mine, "company")


def test_suppliers_of_one_is_its_part_of_all(store: ox.Store) -> None:
    every = _rows(store, "suppliers-of")
    label = "SELECT ?e ?l WHERE { ?e rdfs:label ?l FILTER(LANG(?l) = 'zh') }"
    checked = 0
    for firm in _busiest(store, 20):
        name = run_query(store, label, {"e": firm}).rows[0][1]
        mine = [r for r in every if name in (r["supplier_label"], r["customer_label"])]
        one = _rows(store, "suppliers-of", company=firm)
        assert _without(one, "company") == _without(mine, "company")
        checked += bool(one)
    assert checked > 3
    assert len(every) == len({tuple(r.values()) for r in every})  # each tie once


def test_chain_enterprises_of_one_chain_is_its_part_of_all(store: ox.Store) -> None:
    every = _rows(store, "chain-enterprises")
    chains = run_query(store, "SELECT ?c WHERE { ?c a ckg:IndustrialChain }").rows
    assert len(chains) > 3
    for (chain,) in chains:
        one = _rows(store, "chain-enterprises", chain=chain)
        mine = [r for r in every if r["chain"] == chain]
        assert _without(one, "") == _without(mine, "")
    assert {r["assertion"] for r in every} >= {"原文明示"}
