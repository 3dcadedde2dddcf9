"""The networkx projection: `to_networkx(store) -> nx.MultiDiGraph`.

Nodes are the entities (places, organizations, enterprises, chains, segments, frameworks,
projects, programs, events, statistics), keyed by IRI, with attributes `id`, `type` (top
class), `kind` (most specific class), `label` (Chinese), `label_en`, `aliases` and `local`
(in the focal zone). Edges are the object properties between two entities, with `predicate`
(local name) and `label` (the property's Chinese label).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pyoxigraph as ox

from chainkg.queries import run_query
from chainkg.vocab import CKG_IRI

ENTITY_TYPES = (
    "Place",
    "Organization",
    "Enterprise",
    "IndustrialChain",
    "ChainSegment",
    "ClusterFramework",
    "InvestmentProject",
    "GovernmentProgram",
    "Event",
    "Statistic",
)

_NODES = """
SELECT ?node ?top ?kind ?zh ?en
       (GROUP_CONCAT(DISTINCT ?alias; SEPARATOR="|") AS ?aliases) (SAMPLE(?isLocal) AS ?local)
WHERE {%(values)s
  VALUES ?top { %(tops)s }
  ?node a ?top .
  OPTIONAL { ?node a ?kind . ?kind rdfs:subClassOf ?top . FILTER(?kind != ?top) }
  OPTIONAL { ?node rdfs:label ?zh . FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?node rdfs:label ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?node skos:altLabel ?alias }
%(local)s
}
GROUP BY ?node ?top ?kind ?zh ?en
ORDER BY ?node
"""

# computed once for the whole graph, then joined (not a path walk per node)
_LOCAL = """  OPTIONAL {
    SELECT DISTINCT ?node (true AS ?isLocal) WHERE {
      ?ds ckg:focalZone ?zone .
      ?node (ckg:locatedIn|ckg:partOf)* ?zone .  # zero steps: the zone itself is local
    }
  }"""
TOPS = " ".join(f"<{CKG_IRI}{t}>" for t in ENTITY_TYPES)

_EDGES = """
SELECT ?s ?p ?o WHERE {
  ?s ?p ?o .
  FILTER(isIRI(?o) && ?p != rdf:type && ?p != ckg:evidence && ?p != ckg:supports)
}
"""

_PROPERTY_LABELS = """
SELECT ?p ?label WHERE { ?p a owl:ObjectProperty ; rdfs:label ?label . FILTER(LANG(?label) = "zh") }
"""


def local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@dataclass
class Identified:
    """A read-model object about one entity: its IRI, and its id (the IRI's local name)."""

    iri: str

    @property
    def id(self) -> str:
        return local_name(self.iri)


def nodes_query(values: str = "") -> str:
    """The entities' attributes: every entity, or those of a `VALUES ?node {...}` clause
    (then without `local`, which the caller computes for just those nodes)."""
    text = _NODES % {
        "values": f"\n  {values}" if values else "",
        "tops": TOPS,
        "local": "" if values else _LOCAL,
    }
    if values:  # start from the given nodes: a VALUES of types would scan each type first
        tops = ", ".join(TOPS.split())
        text = text.replace(f"VALUES ?top {{ {TOPS} }}\n  ?node a ?top .", "")
        text = text.replace("WHERE {", f"WHERE {{\n  ?node a ?top . FILTER(?top IN ({tops}))", 1)
    return text


def add_nodes(
    graph: nx.MultiDiGraph, rows: list[dict[str, str]], local: set[str] | None = None
) -> None:
    """Add `nodes_query` rows as nodes (`local`: the local ones, if the rows do not say)."""
    for row in rows:
        iri = row["node"]
        top = local_name(row["top"])
        if iri in graph:  # a node typed with two top classes keeps the first
            continue
        graph.add_node(
            iri,
            id=local_name(iri),
            type=top,
            kind=local_name(row["kind"]) if row["kind"] else top,
            label=row["zh"] or row["en"] or local_name(iri),
            label_en=row["en"],
            aliases=[a for a in row["aliases"].split("|") if a],
            local=row["local"] == "true" if local is None else iri in local,
        )


def add_edges(graph: nx.MultiDiGraph, triples: list[list[str]], labels: dict[str, str]) -> None:
    """Add the (s, p, o) IRIs between two nodes of `graph` as edges, sorted."""
    for s, p, o in sorted(triples):
        if s in graph and o in graph and s != o:
            predicate = local_name(p)
            graph.add_edge(
                s, o, key=predicate, predicate=predicate, label=labels.get(p) or predicate
            )


def property_labels(store: ox.Store) -> dict[str, str]:
    """Object property IRI -> its Chinese label."""
    return dict(run_query(store, _PROPERTY_LABELS).rows)


def to_networkx(store: ox.Store) -> nx.MultiDiGraph:
    """Project the graph's entities and their relations into a networkx multigraph."""
    graph = nx.MultiDiGraph()
    add_nodes(graph, run_query(store, nodes_query()).records())
    # The default graph is a set, so no DISTINCT; sorted here (cheaper than ORDER BY there).
    add_edges(graph, run_query(store, _EDGES).rows, property_labels(store))
    return graph
