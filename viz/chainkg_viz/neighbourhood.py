"""What one served page needs, read from a store on request: `Neighbourhood(target)`.

The static site reads the whole store into one `SiteData` (`data.collect`); a server above
the static-site threshold cannot. Here each page asks for its own part of the graph, bounded:
an entity's ego network (two hops, not through hubs, as `views.ego_drawing` walks it), a
chain's segments with at most `SEGMENT_ACTORS` actors each (the others counted), the chains
and segments for the overview. The part comes back as a `SiteData` whose graph holds just those
nodes and the edges among them, so the static site's page functions render it unchanged; for
a node whose neighbourhood is complete the page is the static page byte for byte.

`target` is anything `chainkg.queries.run_query` accepts (a store, or the server's worker
pool). Site-wide facts (title, focal zone, articles, property labels, IRI namespaces) are read
once and kept.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Any

import networkx as nx
import pyoxigraph as ox

from chainkg.profile import enterprise_profiles
from chainkg.project import TOPS, add_edges, add_nodes, local_name, nodes_query, property_labels
from chainkg.queries import run_query
from chainkg.vocab import CKG_IRI
from chainkg_viz import views
from chainkg_viz.data import (
    _CATEGORIES,
    _EVIDENCE,
    _FOCAL,
    _MEMBERSHIPS,
    _SOURCES,
    SiteData,
    Source,
    add_attributes,
    add_memberships,
    add_relations,
    evidence_by_fact,
    slug,
)

EGO_NODES = views.EGO_MAX_NODES  # a node's page lists at most this many neighbours
SEGMENT_ACTORS = 20  # a served chain map draws at most this many actors under a segment
CHAIN_ITEMS = 100  # ... and at most this many firms, projects, programs or events besides
EVIDENCE_ROWS = 5000  # quotes fetched for one page, at most
CENTER_RELATIONS = 1000  # up to this many, a page's relations are read from its node
TOP_LIST = ", ".join(TOPS.split())
# predicates that are not relations between entities (as in the projection)
SKIPPED = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
    f"{CKG_IRI}evidence",
    f"{CKG_IRI}supports",
}
_SKIP = "?p != rdf:type && ?p != ckg:evidence && ?p != ckg:supports"


def _values(iris: list[str] | set[str]) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in sorted(iris))


def _restricted(query: str, var: str, iris: list[str] | set[str]) -> str:
    """`query` (one of data.py's whole-store queries) restricted to ?var in `iris`."""
    head, brace, body = query.partition("{")
    return f"{head}{brace}\n  VALUES ?{var} {{ {_values(iris)} }}{body}"


class Neighbourhood:
    """Bounded parts of the graph as `SiteData`, for one page at a time."""

    def __init__(self, target: Any) -> None:
        self.target = target
        self._lock = threading.Lock()

    def rows(self, text: str, params: dict[str, str] | None = None) -> list[dict[str, str]]:
        return run_query(self.target, text, params).records()

    # -- site-wide facts, read once --------------------------------------------------------

    @cached_property
    def focal(self) -> tuple[str, str]:
        rows = self.rows(_FOCAL)
        return (rows[0]["title"], rows[0]["zone"]) if rows else ("chainkg", "")

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {
            r["src"]: Source(
                r["src"],
                slug(local_name(r["src"])),
                r["title"],
                r["file"],
                r["text"],
                r["date"],
                r["publisher"],
            )
            for r in self.rows(_SOURCES)
        }

    @cached_property
    def property_labels(self) -> dict[str, str]:
        return property_labels(self.target)

    @cached_property
    def namespaces(self) -> list[str]:
        """The IRI namespaces of the entities (an entity's key is its IRI's local name)."""
        text = f"""SELECT DISTINCT ?ns WHERE {{
          VALUES ?top {{ {TOPS} }} ?n a ?top .
          BIND(REPLACE(STR(?n), "[^/#]*$", "") AS ?ns) }}"""
        return sorted(r["ns"] for r in self.rows(text))

    def warm(self) -> None:
        """Read the site-wide facts now (the first page then answers as fast as the next)."""
        with self._lock:
            _ = self.focal, self.sources, self.property_labels, self.namespaces

    def site_data(self, graph: nx.MultiDiGraph) -> SiteData:
        title, zone = self.focal
        return SiteData(title=title, focal_zone=zone, graph=graph, sources=self.sources)

    # -- nodes and edges -------------------------------------------------------------------

    def iri_of(self, key: str) -> str | None:
        """The entity whose page key is `key`, or None."""
        candidates = [ns + key for ns in self.namespaces]
        if not candidates or slug(key) != key:
            return None
        text = f"""SELECT ?n WHERE {{ VALUES ?n {{ {_values(candidates)} }}
                   ?n a ?top FILTER(?top IN ({TOP_LIST})) }} ORDER BY ?n LIMIT 1"""
        rows = self.rows(text)
        return rows[0]["n"] if rows else None

    def key_of_label(self, label: str) -> str | None:
        """The page key of the one entity with this Chinese label, or None (none, or several)."""
        text = f"""SELECT DISTINCT ?n WHERE {{ ?n rdfs:label {ox.Literal(label, language="zh")} .
                   ?n a ?top FILTER(?top IN ({TOP_LIST})) }} LIMIT 2"""
        found = self.rows(text)
        return slug(local_name(found[0]["n"])) if len(found) == 1 else None

    def neighbours(self, nodes: set[str], limit: int) -> dict[str, str]:
        """Entities linked to any of `nodes` either way (not themselves), at most `limit`,
        with their type (the top class)."""
        if not nodes:
            return {}
        text = f"""SELECT DISTINCT ?n ?top WHERE {{
          VALUES ?c {{ {_values(nodes)} }}
          {{ ?c ?p ?n }} UNION {{ ?n ?p ?c }}
          FILTER(isIRI(?n) && ?n != ?c && {_SKIP})
          ?n a ?top FILTER(?top IN ({TOP_LIST})) }} LIMIT {int(limit)}"""
        return {r["n"]: local_name(r["top"]) for r in self.rows(text)}

    def count_relations(self, node: str) -> int:
        """The relations between `node` and other entities (the edges of the projection),
        counted by predicate: one sample per predicate tells whether it links entities (each
        one does or does not throughout); typing every neighbour of a hub would read them all.
        """
        center = ox.NamedNode(node)
        counts: dict[str, int] = {}
        samples: dict[str, str] = {}
        for pattern in (f"{center} ?p ?x FILTER(isIRI(?x))", f"?x ?p {center}"):
            # no other FILTER: per row it would cost more than the count (a hub has many)
            text = f"""SELECT ?p (COUNT(*) AS ?count) (SAMPLE(?x) AS ?one) WHERE {{ {pattern} }}
                       GROUP BY ?p"""
            for r in self.rows(text):
                if r["p"] in SKIPPED or r["one"] == node:
                    continue
                key = f"{pattern}|{r['p']}"
                counts[key], samples[key] = int(r["count"]), r["one"]
        if not samples:
            return 0
        text = f"""SELECT DISTINCT ?x WHERE {{ VALUES ?x {{ {_values(set(samples.values()))} }}
                   ?x a ?top FILTER(?top IN ({TOP_LIST})) }}"""
        entities = {r["x"] for r in self.rows(text)}
        return sum(n for key, n in counts.items() if samples[key] in entities)

    def graph(self, nodes: set[str]) -> nx.MultiDiGraph:
        """The projection (`chainkg.project.to_networkx`) restricted to `nodes`."""
        graph = nx.MultiDiGraph()
        if not nodes:
            return graph
        _title, zone = self.focal
        local: set[str] = set()
        if zone:
            text = f"""SELECT DISTINCT ?node WHERE {{ VALUES ?node {{ {_values(nodes)} }}
                       ?node (ckg:locatedIn|ckg:partOf)* {ox.NamedNode(zone)} }}"""
            local = {r["node"] for r in self.rows(text)}
        add_nodes(graph, self.rows(nodes_query(f"VALUES ?node {{ {_values(nodes)} }}")), local)
        text = f"""SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(graph)} }} ?s ?p ?o .
                   FILTER(isIRI(?o) && {_SKIP}) }}"""
        add_edges(graph, run_query(self.target, text).rows, self.property_labels)
        return graph

    # -- what pages show beside the graph --------------------------------------------------

    def add_details(
        self,
        data: SiteData,
        nodes: set[str],
        relations_of: str = "",
        profiles: bool = True,
        attributes: set[str] | None = None,
    ) -> None:
        """Evidence and profiles of `nodes` and the attributes of `attributes` (default:
        `nodes`); the evidence and roles of the relations between `relations_of` and the
        other nodes of the graph (as `data.collect` reads them for the whole store)."""
        graph = data.graph
        if not nodes:
            return
        wanted = nodes if attributes is None else attributes
        add_attributes(data, self.rows(_restricted(data_attributes(), "s", wanted)))
        relations = []
        if relations_of:
            relations = self.rows(self._relations_text(relations_of, set(graph) - {relations_of}))
        facts = set(nodes) | {r["rel"] for r in relations}
        text = _restricted(_EVIDENCE, "fact", facts).replace(
            "ORDER BY ?fact ?ev", f"ORDER BY ?fact ?ev LIMIT {EVIDENCE_ROWS}"
        )
        evidence = evidence_by_fact(self.rows(text), data.sources)
        data.evidence = {f: evs for f, evs in evidence.items() if f in nodes}
        add_relations(data, relations, evidence)
        firms = sorted(n for n in nodes if graph.nodes[n]["type"] == "Enterprise")
        for firm in firms if profiles else []:
            data.profiles.update(enterprise_profiles(self.target, iri=firm))
        if firms:
            for row in self.rows(_restricted(_CATEGORIES, "firm", set(firms))):
                data.categories.setdefault(row["firm"], []).append(row["category"])

    def _relations_text(self, center_iri: str, others: set[str]) -> str:
        """The curated relations between `center_iri` and `others`, read from the smaller
        end: from the center's own relations when it has few (a firm beside a city or a
        segment with 60,000 relations: 1 ms instead of 1 s at 1M enterprises), else from
        each of the others (a hub's page: the others are its few shown neighbours)."""
        center = ox.NamedNode(center_iri)
        few = f"""SELECT (COUNT(*) AS ?n) WHERE {{ SELECT ?rel WHERE {{
          {{ ?rel rdf:subject {center} }} UNION {{ ?rel rdf:object {center} }} }}
          LIMIT {CENTER_RELATIONS + 1} }}"""
        if int(self.rows(few)[0]["n"]) <= CENTER_RELATIONS:
            listed = ", ".join(str(ox.NamedNode(i)) for i in sorted(others)) or "<urn:none>"
            pattern = f"""{{ ?rel rdf:subject {center} ; rdf:object ?o . FILTER(?o IN ({listed}))
                 BIND({center} AS ?s) }} UNION
              {{ ?rel rdf:object {center} ; rdf:subject ?s . FILTER(?s IN ({listed}))
                 BIND({center} AS ?o) }}
              ?rel rdf:predicate ?p . FILTER EXISTS {{ ?rel a ckg:Relation }}"""
        else:
            pattern = f"""{{ VALUES ?o {{ {_values(others)} }} ?rel rdf:object ?o ;
                 rdf:subject {center} ; a ckg:Relation ; rdf:predicate ?p .
                 BIND({center} AS ?s) }} UNION
              {{ VALUES ?s {{ {_values(others)} }} ?rel rdf:subject ?s ; rdf:object {center} ;
                 a ckg:Relation ; rdf:predicate ?p . BIND({center} AS ?o) }}"""
        return f"""SELECT DISTINCT ?rel ?s ?p ?o ?role WHERE {{ {pattern}
          OPTIONAL {{ ?rel ckg:roleText ?role }} }} ORDER BY ?rel LIMIT {EVIDENCE_ROWS}"""

    # -- the parts pages need ------------------------------------------------------------

    def ego(self, center: str, details: bool = True) -> tuple[SiteData, int]:
        """The node, its neighbours and theirs (not through hubs) as `views.ego_drawing`
        walks them, with the node's details; and how many neighbours were left out."""
        first = self.neighbours({center}, EGO_NODES + 1)
        more = 0
        if len(first) > EGO_NODES:  # one ring is too many already: the drawing is one hop
            more = -1  # counted below, once the relations shown are known
            first = dict(sorted(first.items())[:EGO_NODES])
        nodes = {center, *first}
        through = {n for n, top in first.items() if top not in views.HUB_TYPES}
        if through and not more:  # two hops unless that passes EGO_MAX_NODES (as the view)
            second = self.neighbours(through, views.EGO_MAX_NODES + 1 + len(nodes))
            if len(nodes | set(second)) <= views.EGO_MAX_NODES:
                nodes |= set(second)
        graph = self.graph(nodes)
        data = self.site_data(graph)
        if more:
            shown = graph.in_degree(center) + graph.out_degree(center)
            more = self.count_relations(center) - shown
        if details:
            self.add_details(data, {center}, center)
        return data, more

    def chain(self, chain: str) -> tuple[SiteData, list[dict]]:
        """A chain with its segments, up to SEGMENT_ACTORS actors under each, the firms in it
        and what concerns it; and, for segments with more actors, their counts."""
        text = f"""SELECT DISTINCT ?seg WHERE {{ ?seg skos:inScheme {ox.NamedNode(chain)} ;
                   a ckg:ChainSegment }}"""
        segs = sorted(r["seg"] for r in self.rows(text))
        nodes = {chain, *segs}
        counts = {}
        if segs:
            text = f"""SELECT ?seg (COUNT(DISTINCT ?a) AS ?count) WHERE {{
              VALUES ?seg {{ {_values(segs)} }} ?a ckg:operatesInSegment ?seg }} GROUP BY ?seg"""
            counts = {r["seg"]: int(r["count"]) for r in self.rows(text)}
        for seg in segs:
            if counts.get(seg, 0) <= SEGMENT_ACTORS:
                text = f"SELECT ?a WHERE {{ ?a ckg:operatesInSegment {ox.NamedNode(seg)} }}"
            else:
                text = f"""SELECT ?a WHERE {{ ?a ckg:operatesInSegment {ox.NamedNode(seg)} .
                          ?a (ckg:locatedIn|ckg:partOf)* ?zone . ?ds ckg:focalZone ?zone }}
                          LIMIT {SEGMENT_ACTORS}"""
                found = [r["a"] for r in self.rows(text)]
                if len(found) < SEGMENT_ACTORS:
                    text = f"""SELECT ?a WHERE {{ ?a ckg:operatesInSegment {ox.NamedNode(seg)} }}
                               LIMIT {2 * SEGMENT_ACTORS}"""
                    found += [r["a"] for r in self.rows(text) if r["a"] not in found]
                nodes |= set(found[:SEGMENT_ACTORS])
                continue
            nodes |= {r["a"] for r in self.rows(text)}
        targets = _values([chain, *segs])
        text = f"""SELECT DISTINCT ?s WHERE {{ VALUES ?t {{ {targets} }}
          VALUES ?p {{ ckg:inChain ckg:leadsChain ckg:concerns }} ?s ?p ?t .
          VALUES ?top {{ ckg:Enterprise ckg:Organization ckg:InvestmentProject
                         ckg:GovernmentProgram ckg:Event }} ?s a ?top }} LIMIT {CHAIN_ITEMS}"""
        nodes |= {r["s"] for r in self.rows(text)}
        graph = self.graph(nodes)
        data = self.site_data(graph)
        shown_firms = {
            n for n, a in graph.nodes(data=True) if a["type"] in ("Enterprise", "Organization")
        }
        self.add_details(
            data, set(segs) | shown_firms | {chain}, profiles=False, attributes={*segs, chain}
        )
        listings = []
        for seg in segs:
            if counts.get(seg, 0) > SEGMENT_ACTORS:
                shown = sum(
                    1 for _s, _o, k in graph.in_edges(seg, keys=True) if k == "operatesInSegment"
                )
                listings.append(
                    {
                        "key": data.key(seg),
                        "label": graph.nodes[seg]["label"],
                        "shown": shown,
                        "total": counts[seg],
                    }
                )
        return data, listings

    def actors(self, segment: str, offset: int, limit: int) -> tuple[SiteData, int]:
        """One page of a segment's actors and how many there are."""
        seg = ox.NamedNode(segment)
        text = f"SELECT (COUNT(DISTINCT ?a) AS ?count) WHERE {{ ?a ckg:operatesInSegment {seg} }}"
        total = int(self.rows(text)[0]["count"])
        # in the store's own order (stable for a read-only store): ORDER BY would sort them all
        text = f"""SELECT DISTINCT ?a WHERE {{ ?a ckg:operatesInSegment {seg} }}
                   LIMIT {int(limit)} OFFSET {int(offset)}"""
        found = [r["a"] for r in self.rows(text)]
        return self.site_data(self.graph({segment, *found})), total

    def skeleton(self) -> SiteData:
        """Chains, segments, frameworks and the places they name, with the edges among them
        and the frameworks' roles (the overview and home page at scale)."""
        text = """SELECT DISTINCT ?n WHERE {
          VALUES ?top { ckg:IndustrialChain ckg:ChainSegment ckg:ClusterFramework } ?n a ?top }"""
        nodes = {r["n"] for r in self.rows(text)}
        if nodes:
            text = f"""SELECT DISTINCT ?o WHERE {{ VALUES ?s {{ {_values(nodes)} }}
              ?s ckg:territory ?o }}"""
            nodes |= {r["o"] for r in self.rows(text)}
        zone = self.focal[1]
        if zone:
            nodes.add(zone)
        text = """SELECT DISTINCT ?n WHERE { ?n a ckg:GovernmentProgram }"""
        nodes |= {r["n"] for r in self.rows(text)}
        data = self.site_data(self.graph(nodes))
        self.add_details(
            data,
            {
                n
                for n, a in data.graph.nodes(data=True)
                if a["type"] in ("ClusterFramework", "ChainSegment")
            },
        )
        add_memberships(data, self.rows(_MEMBERSHIPS))
        return data

    def counts(self) -> dict[str, int]:
        """Entities by type and relations in all (what the home page reports)."""
        text = f"""SELECT ?top (COUNT(DISTINCT ?n) AS ?count) WHERE {{
          VALUES ?top {{ {TOPS} }} ?n a ?top }} GROUP BY ?top"""
        return {local_name(r["top"]): int(r["count"]) for r in self.rows(text)}

    def segment_counts(self) -> dict[str, int]:
        """Segment IRI -> actors operating in it."""
        text = """SELECT ?seg (COUNT(DISTINCT ?a) AS ?count) WHERE {
          ?a ckg:operatesInSegment ?seg } GROUP BY ?seg"""
        return {r["seg"]: int(r["count"]) for r in self.rows(text)}


def data_attributes() -> str:
    """data.py's attribute query, keeping only literal and non-entity values."""
    from chainkg_viz.data import _ATTRIBUTES

    return _ATTRIBUTES.replace(
        "ckg:supports, ckg:declaredPart))",
        "ckg:supports, ckg:declaredPart))\n  FILTER(!isIRI(?o) || NOT EXISTS { VALUES ?t { "
        + TOPS
        + " } ?o a ?t })",
    )
