"""The networkx projection: entities as nodes, relations as edges, locality computed."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from chainkg.assemble import assemble
from chainkg.project import to_networkx
from chainkg.store import store_from_quads
from chainkg.tables import load_seeds
from tests.helpers import copy_tiny

BASE = "https://example.org/tiny/"


def test_tiny_projection(tmp_path: Path) -> None:
    graph = to_networkx(store_from_quads(assemble(load_seeds(copy_tiny(tmp_path)))))
    # 3 places + 3 enterprises + 1 chain + 1 statistic; evidence and relation nodes are not entities
    assert graph.number_of_nodes() == 8
    jia = graph.nodes[BASE + "enterprise/jia"]
    assert (jia["type"], jia["label"], jia["label_en"], jia["local"]) == (
        "Enterprise",
        "甲公司",
        "Jia Co.",
        True,
    )
    assert graph.nodes[BASE + "enterprise/bing"]["local"] is False
    assert graph.nodes[BASE + "place/demo-zone"]["local"] is True  # the focal zone itself
    assert graph.nodes[BASE + "place/east-park"]["local"] is True
    assert graph.nodes[BASE + "place/demo-city"]["local"] is False
    assert graph.nodes[BASE + "place/east-park"]["kind"] == "Park"
    assert graph.nodes[BASE + "place/east-park"]["aliases"] == ["示例高新区东园"]
    edges = {(u.rsplit("/", 1)[-1], k, v.rsplit("/", 1)[-1]) for u, v, k in graph.edges(keys=True)}
    assert {
        ("jia", "supplierOf", "bing"),
        ("jia", "subsidiaryOf", "yi"),
        ("jia", "inChain", "battery"),
        ("jia", "locatedIn", "east-park"),
        ("battery-local-rate", "about", "battery"),
    } <= edges


def test_seed_projection_matches_sparql_counts(seed_store: ox.Store) -> None:
    graph = to_networkx(seed_store)
    enterprises = int(
        next(
            iter(
                seed_store.query(
                    "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE "
                    "{ ?e a <https://w3id.org/chainkg/def#Enterprise> }"
                )
            )
        )["n"].value
    )
    assert sum(1 for _, d in graph.nodes(data=True) if d["type"] == "Enterprise") == enterprises
    assert all(d["label"] for _, d in graph.nodes(data=True))
