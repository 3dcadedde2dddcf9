"""Stage 3: tables -> RDF. The tiny case is compared, as a graph, with a hand-written one."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from chainkg.assemble import assemble
from chainkg.mapping import predicate_iri
from chainkg.tables import load_seeds
from chainkg.vocab import ONTOLOGY_IRI
from tests.helpers import TINY, copy_tiny


def data_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    triples = [q.triple for q in quads if q.graph_name != ox.NamedNode(ONTOLOGY_IRI)]
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    return rdflib.Graph().parse(data=nt, format="nt")


def test_tiny_graph_matches_hand_written_expectation(tmp_path: Path) -> None:
    got = data_graph(list(assemble(load_seeds(copy_tiny(tmp_path)))))
    expected = rdflib.Graph().parse(TINY / "expected.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, only_got, only_expected = graph_diff(to_isomorphic(got), to_isomorphic(expected))
        raise AssertionError(
            "graphs differ\nonly in built graph:\n"
            + only_got.serialize(format="nt")
            + "\nonly in expected:\n"
            + only_expected.serialize(format="nt")
        )


def test_facts_sit_in_their_source_graph(tmp_path: Path) -> None:
    quads = list(assemble(load_seeds(copy_tiny(tmp_path))))
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {
        ONTOLOGY_IRI,
        "https://example.org/tiny/graph/register",
        "https://example.org/tiny/graph/a1",
    }
    jia = ox.NamedNode("https://example.org/tiny/enterprise/jia")
    assert {q.graph_name.value for q in quads if q.subject == jia} == {
        "https://example.org/tiny/graph/a1"
    }


def test_base_iri_override_moves_every_minted_iri(tmp_path: Path) -> None:
    seeds = load_seeds(copy_tiny(tmp_path), base_iri="https://data.example.com/kg/")
    minted = {
        t.value
        for q in assemble(seeds)
        for t in (q.subject, q.object)
        if isinstance(t, ox.NamedNode) and "/tiny/" in t.value
    }
    assert minted == set()


def test_predicate_names() -> None:
    assert predicate_iri("supplier_of").value.endswith("#supplierOf")
    assert predicate_iri("operates_in_segment").value.endswith("#operatesInSegment")


def test_same_seeds_same_quads_in_same_order(tmp_path: Path) -> None:
    seeds = load_seeds(copy_tiny(tmp_path))
    assert list(assemble(seeds)) == list(assemble(seeds))
