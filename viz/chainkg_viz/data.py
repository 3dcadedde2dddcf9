"""Everything the site shows, read from a store once: `collect(store) -> SiteData`.

The networkx projection gives the entities and their relations; a few SPARQL queries add what
it leaves out (literal attributes, evidence with its article, frameworks' member roles, segment
order and stage). Nothing here renders HTML.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from chainkg.profile import ProfileFact, enterprise_profiles
from chainkg.project import local_name, to_networkx
from chainkg.queries import run_query

_ATTRIBUTES = """
SELECT ?s ?p ?plabel ?o ?olabel WHERE {
  ?s ?p ?o .
  FILTER(?p NOT IN (rdf:type, rdfs:label, skos:prefLabel, skos:altLabel, ckg:evidence,
                    ckg:fullText, ckg:supports, ckg:declaredPart))
  OPTIONAL { ?p rdfs:label ?plabel . FILTER(LANG(?plabel) = "zh") }
  OPTIONAL { ?o rdfs:label ?olabel . FILTER(LANG(?olabel) = "zh") }
}
ORDER BY ?s ?p ?o
"""

_EVIDENCE = """
SELECT DISTINCT ?fact ?ev ?quote ?src ?mode ?modelabel ?note WHERE {
  ?fact ckg:evidence ?ev .
  ?ev ckg:quote ?quote ; ckg:source ?src .
  OPTIONAL { ?ev ckg:assertionMode ?mode .
             OPTIONAL { ?mode rdfs:label ?modelabel . FILTER(LANG(?modelabel) = "zh") } }
  OPTIONAL { ?ev ckg:curatorNote ?note }
}
ORDER BY ?fact ?ev
"""

_SOURCES = """
SELECT ?src ?title ?file ?text (SAMPLE(?d) AS ?date) (SAMPLE(?pub) AS ?publisher) WHERE {
  ?src a ckg:SourceArticle ; dct:title ?title ; ckg:fileName ?file ; ckg:fullText ?text .
  OPTIONAL { ?src dct:date ?d }
  OPTIONAL { ?src dct:publisher ?pub }
}
GROUP BY ?src ?title ?file ?text
ORDER BY ?file
"""

_RELATIONS = """
SELECT DISTINCT ?rel ?s ?p ?o ?role WHERE {
  ?rel a ckg:Relation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?rel ckg:roleText ?role }
}
ORDER BY ?rel
"""

_CATEGORIES = """
SELECT DISTINCT ?firm ?category WHERE { ?firm a ckg:Enterprise ; ckg:inCategory ?category }
ORDER BY ?firm ?category
"""
_MEMBERSHIPS = """
SELECT DISTINCT ?m ?fw ?chain ?role ?rolelabel WHERE {
  ?m a ckg:FrameworkMembership ; ckg:framework ?fw ; ckg:member ?chain .
  OPTIONAL { ?m ckg:role ?role .
             OPTIONAL { ?role rdfs:label ?rolelabel . FILTER(LANG(?rolelabel) = "zh") } }
}
ORDER BY ?fw ?m
"""

_FOCAL = (
    "SELECT ?title ?zone WHERE { ?ds a ckg:Dataset ; rdfs:label ?title . "
    "OPTIONAL { ?ds ckg:focalZone ?zone } } LIMIT 1"
)

_SAFE = re.compile(r"[^A-Za-z0-9._-]")


def slug(entity_id: str) -> str:
    """A file-name-safe form of an entity id."""
    return _SAFE.sub("_", entity_id) or "_"


@dataclass(frozen=True)
class Evidence:
    """One quote supporting a fact, located in its article (start < 0 if not found)."""

    quote: str
    source: str  # source IRI
    mode: str  # assertion mode label
    note: str
    start: int


@dataclass(frozen=True)
class Source:
    """A source article."""

    iri: str
    key: str  # file-name-safe id
    title: str
    file: str
    text: str
    date: str
    publisher: str


@dataclass
class SiteData:
    """The graph and what the pages show beside it."""

    title: str
    focal_zone: str
    graph: nx.MultiDiGraph
    attributes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    attribute_labels: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)
    relation_evidence: dict[tuple[str, str, str], list[Evidence]] = field(default_factory=dict)
    relation_roles: dict[tuple[str, str, str], str] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    memberships: dict[str, list[tuple[str, str]]] = field(
        default_factory=dict
    )  # fw -> (chain, role)
    reports: dict[str, str] = field(default_factory=dict)  # chain -> its gap report's id
    # enterprise -> its profile (the `enterprise-profile` named query's answer)
    profiles: dict[str, list[ProfileFact]] = field(default_factory=dict)
    # enterprise -> the reference categories a registry row places it in
    categories: dict[str, list[str]] = field(default_factory=dict)

    def key(self, node: str) -> str:
        """The file-name key of a node."""
        return slug(self.graph.nodes[node]["id"])

    def attr(self, node: str, name: str) -> str:
        """The first value of a literal attribute by predicate local name, or ''."""
        for pred, value in self.attributes.get(node, []):
            if pred == name:
                return value
        return ""


def collect(store: ox.Store) -> SiteData:
    """Read the graph, attributes, evidence, sources and framework roles from a store."""
    graph = to_networkx(store)
    focal = run_query(store, _FOCAL).records()
    data = SiteData(
        title=focal[0]["title"] if focal else "chainkg",
        focal_zone=focal[0]["zone"] if focal else "",
        graph=graph,
    )
    for row in run_query(store, _SOURCES).records():
        data.sources[row["src"]] = Source(
            row["src"],
            slug(local_name(row["src"])),
            row["title"],
            row["file"],
            row["text"],
            row["date"],
            row["publisher"],
        )
    add_attributes(
        data,
        (
            r
            for r in run_query(store, _ATTRIBUTES).records()
            if r["s"] in graph and r["o"] not in graph
        ),
    )
    evidence = evidence_by_fact(run_query(store, _EVIDENCE).records(), data.sources)
    data.evidence = evidence
    add_relations(data, run_query(store, _RELATIONS).records(), evidence)
    data.profiles = enterprise_profiles(store)
    for row in run_query(store, _CATEGORIES).records():
        if row["firm"] in graph:
            data.categories.setdefault(row["firm"], []).append(row["category"])
    add_memberships(data, run_query(store, _MEMBERSHIPS).records())
    return data


def add_attributes(data: SiteData, rows: Iterable[dict[str, str]]) -> None:
    """`data.attributes` and `.attribute_labels` from `_ATTRIBUTES` rows (of entities, with
    values that are not entities), each (entity, predicate, value) once."""
    attrs: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        s, o = row["s"], row["o"]
        pred = local_name(row["p"])
        value = row["olabel"] or (local_name(o) if o.startswith("http") else o)
        if (s, pred, value) in seen:
            continue
        seen.add((s, pred, value))
        attrs[s].append((pred, row["plabel"] or pred, value))
    data.attributes = {s: [(p, v) for p, _l, v in rows] for s, rows in attrs.items()}
    data.attribute_labels = {p: lbl for rows in attrs.values() for p, lbl, _v in rows}


def evidence_by_fact(
    rows: Iterable[dict[str, str]], sources: dict[str, Source]
) -> dict[str, list[Evidence]]:
    """Fact IRI -> its quotes (`_EVIDENCE` rows), each located in its article."""
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    for row in rows:
        src = sources.get(row["src"])
        start = src.text.find(row["quote"]) if src else -1
        evidence[row["fact"]].append(
            Evidence(row["quote"], row["src"], row["modelabel"], row["note"], start)
        )
    return dict(evidence)


def add_relations(
    data: SiteData, rows: Iterable[dict[str, str]], evidence: dict[str, list[Evidence]]
) -> None:
    """Relation evidence and roles from `_RELATIONS` rows, keyed (subject, predicate, object)."""
    for row in rows:
        key = (row["s"], local_name(row["p"]), row["o"])
        data.relation_evidence.setdefault(key, []).extend(evidence.get(row["rel"], []))
        if row["role"]:
            data.relation_roles[key] = row["role"]


def add_memberships(data: SiteData, rows: Iterable[dict[str, str]]) -> None:
    """Frameworks' member chains and their roles (`_MEMBERSHIPS` rows), both in the graph."""
    for row in rows:
        if row["fw"] in data.graph and row["chain"] in data.graph:
            data.memberships.setdefault(row["fw"], []).append(
                (row["chain"], row["rolelabel"] or local_name(row["role"] or ""))
            )


def dataset_title(store: ox.Store) -> str:
    """The data set's title (rdfs:label of its ckg:Dataset), or 'chainkg'."""
    rows = run_query(store, _FOCAL).records()
    return rows[0]["title"] if rows else "chainkg"
