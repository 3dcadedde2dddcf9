"""Stage 4 — SHACL validation: `validate(quads) -> ValidationReport`.

pyshacl checks the data (all named graphs merged) against `ontology/shapes.ttl`, with the
ontology mixed in so that vocabulary individuals (stages, statuses, roles) carry their types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.collection
from pyshacl import validate as shacl_validate

from chainkg.config import ONTOLOGY_DIR
from chainkg.vocab import ONTOLOGY_IRI, PREFIXES

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class ValidationReport:
    """pySHACL's answer: conforms, the report as a graph, and as text."""

    conforms: bool
    report_graph: rdflib.Graph
    text: str

    @property
    def violations(self) -> int:
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        return sum(1 for _ in self.report_graph.subjects(rdflib.RDF.type, sh.ValidationResult))


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads into one rdflib graph (through N-Triples, which rdflib parses fast)."""
    data = ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES)
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")


def validate(quads: Iterable[ox.Quad], shapes: Path = SHAPES_FILE) -> ValidationReport:
    """Validate the assembled graph against the SHACL shapes."""
    data = to_rdflib(quads)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    conforms, report_graph, text = shacl_validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    return ValidationReport(bool(conforms), report_graph, str(text))


# --- The large-graph path: the same shapes, checked where the data lives -----------------
#
# pyshacl needs an rdflib graph: ~40 s for 48k triples here, so hours at 20M. For a store we
# (1) compile every node shape's property constraints to SPARQL (one cardinality query and one
# value query per property shape, plus node-level sh:class and sh:sparql) and run them over the
# WHOLE store in Oxigraph; and (2) run pyshacl itself, unchanged, on a stratified sample of
# focus nodes (up to `sample` per target class, with their outgoing triples, the types of their
# objects and the ontology), which also covers any constraint the compiler does not know.
# Hand-written compiler because no maintained SHACL engine runs on Oxigraph from Python.

SH = "http://www.w3.org/ns/shacl#"
_SUPPORTED = {
    "path",
    "minCount",
    "maxCount",
    "class",
    "datatype",
    "in",
    "nodeKind",
    "minInclusive",
    "minLength",
    "qualifiedValueShape",
    "qualifiedMinCount",
    "message",
}
_ROWS_PER_CHECK = 20


@dataclass(frozen=True)
class StoreCheck:
    """One compiled SPARQL check: which shape and path it comes from, and its query."""

    shape: str
    target: str
    path: str
    what: str
    query: str


def compile_shapes(shapes: Path = SHAPES_FILE) -> tuple[list[StoreCheck], list[str]]:
    """SPARQL checks for the shapes, and the constraints left to the sampled pyshacl run."""
    g = rdflib.Graph().parse(shapes, format="turtle")
    sh = rdflib.Namespace(SH)
    checks: list[StoreCheck] = []
    skipped: list[str] = []
    for shape in sorted(set(g.subjects(sh.targetClass, None)), key=str):
        for target in sorted(g.objects(shape, sh.targetClass), key=str):
            this = f"?this a <{target}> ."
            for cls in g.objects(shape, sh["class"]):
                checks.append(
                    StoreCheck(
                        str(shape),
                        str(target),
                        "",
                        f"not a {cls}",
                        f"SELECT ?this WHERE {{ {this} FILTER NOT EXISTS "
                        f"{{ ?this a/rdfs:subClassOf* <{cls}> }} }}",
                    )
                )
            for select in g.objects(shape, sh.sparql / sh.select):
                prefixes = "\n".join(re.findall(r"(?im)^\s*PREFIX[^\n]*$", str(select)))
                body = re.sub(r"(?im)^\s*PREFIX[^\n]*$", "", str(select)).replace("$this", "?this")
                checks.append(
                    StoreCheck(
                        str(shape),
                        str(target),
                        "",
                        "sh:sparql",
                        f"{prefixes}\nSELECT ?this WHERE {{ {this} {{ {body} }} }}",
                    )
                )
            for prop in g.objects(shape, sh.property):
                checks += _property_checks(g, str(shape), str(target), prop, skipped)
    return checks, sorted(set(skipped))


def _property_checks(
    g: rdflib.Graph, shape: str, target: str, prop: rdflib.term.Node, skipped: list[str]
) -> list[StoreCheck]:
    sh = rdflib.Namespace(SH)
    path = g.value(prop, sh.path)
    if not isinstance(path, rdflib.URIRef):
        skipped.append(f"{shape}: non-IRI path")
        return []
    p = f"<{path}>"
    this = f"?this a <{target}> ."
    for _p, _o in g.predicate_objects(prop):
        name = str(_p).removeprefix(SH)
        if str(_p).startswith(SH) and name not in _SUPPORTED:
            skipped.append(f"{shape} {path}: sh:{name}")
    out: list[StoreCheck] = []
    lo, hi = g.value(prop, sh.minCount), g.value(prop, sh.maxCount)
    if lo is not None or hi is not None:
        bad = []
        if lo is not None:
            bad.append(f"?n < {int(lo)}")
        if hi is not None:
            bad.append(f"?n > {int(hi)}")
        out.append(
            StoreCheck(
                shape,
                target,
                str(path),
                f"count outside [{lo or 0}, {hi or '*'}]",
                f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {this} "
                f"OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this HAVING ({' || '.join(bad)})"
                if lo is not None
                else f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {this} ?this {p} ?v }} "
                f"GROUP BY ?this HAVING ({' || '.join(bad)})",
            )
        )
    qualified = g.value(prop, sh.qualifiedValueShape)
    if qualified is not None:
        langs = list(rdflib.collection.Collection(g, g.value(qualified, sh.languageIn)))
        wanted = ", ".join(f'"{lang}"' for lang in langs)
        out.append(
            StoreCheck(
                shape,
                target,
                str(path),
                f"no value in language {wanted}",
                f"SELECT ?this WHERE {{ {this} FILTER NOT EXISTS "
                f"{{ ?this {p} ?v FILTER(LANG(?v) IN ({wanted})) }} }}",
            )
        )
    bad_value: list[str] = []
    cls = g.value(prop, sh["class"])
    if cls is not None:
        bad_value.append(f"NOT EXISTS {{ ?v a/rdfs:subClassOf* <{cls}> }}")
    datatype = g.value(prop, sh.datatype)
    if datatype is not None:
        bad_value.append(f"!isLITERAL(?v) || DATATYPE(?v) != <{datatype}>")
    allowed = g.value(prop, sh["in"])
    if allowed is not None:
        values = [v.n3() for v in rdflib.collection.Collection(g, allowed)]
        bad_value.append(f"?v NOT IN ({', '.join(values)})")
    if g.value(prop, sh.nodeKind) == sh.IRI:
        bad_value.append("!isIRI(?v)")
    low = g.value(prop, sh.minInclusive)
    if low is not None:
        bad_value.append(f"!(?v >= {low.n3()})")
    length = g.value(prop, sh.minLength)
    if length is not None:
        bad_value.append(f"STRLEN(STR(?v)) < {int(length)}")
    if bad_value:
        out.append(
            StoreCheck(
                shape,
                target,
                str(path),
                "value: " + " or ".join(bad_value),
                f"SELECT ?this ?v WHERE {{ {this} ?this {p} ?v "
                f"FILTER(({') || ('.join(bad_value)})) }}",
            )
        )
    return out


def validate_store(
    store: ox.Store,
    shapes: Path = SHAPES_FILE,
    sample: int = 200,
    on_check: Callable[[StoreCheck], None] | None = None,
) -> ValidationReport:
    """Validate a whole store: compiled SPARQL checks over all of it, pyshacl on a sample."""
    sh = rdflib.Namespace(SH)
    checks, skipped = compile_shapes(shapes)
    found: list[tuple[StoreCheck, list[str]]] = []
    for check in checks:
        rows = _select(store, f"{check.query} LIMIT {_ROWS_PER_CHECK}")
        if rows:
            found.append((check, rows))
        if on_check:
            on_check(check)
    data, focus = _sample_graph(store, shapes, sample)
    shapes_graph = rdflib.Graph().parse(shapes, format="turtle")
    conforms, report_graph, text = shacl_validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        focus_nodes=focus or None,
    )
    lines = [str(text)] if not conforms else []
    for check, rows in found:
        for row in rows:
            result = rdflib.BNode()
            report_graph.add((result, rdflib.RDF.type, sh.ValidationResult))
            report_graph.add((result, sh.focusNode, rdflib.URIRef(row[0])))
            report_graph.add((result, sh.sourceShape, rdflib.URIRef(check.shape)))
            report_graph.add((result, sh.resultMessage, rdflib.Literal(check.what)))
            lines.append(f"{row[0]} ({check.shape} {check.path}): {check.what}")
    ok = bool(conforms) and not found
    summary = (
        f"Store validation: {len(checks)} SPARQL checks over the whole store, pyshacl on "
        f"{len(focus)} sampled focus nodes; "
        + ("conforms." if ok else f"{len(lines)} problem(s).")
        + (f" Sample-only constraints: {', '.join(skipped)}." if skipped else "")
    )
    return ValidationReport(ok, report_graph, "\n".join([summary, *lines]))


def _sample_graph(store: ox.Store, shapes: Path, sample: int) -> tuple[rdflib.Graph, list]:
    """Up to `sample` focus nodes per target class with their outgoing triples, the types
    of their objects, and the ontology (for the types of vocabulary individuals)."""
    g = rdflib.Graph().parse(shapes, format="turtle")
    targets = sorted({str(t) for t in g.objects(None, rdflib.URIRef(SH + "targetClass"))})
    focus: list[str] = []
    for target in targets:
        rows = _select(store, f"SELECT DISTINCT ?s WHERE {{ ?s a <{target}> }} LIMIT {sample}")
        focus += [r[0] for r in rows]
    focus = list(dict.fromkeys(focus))
    values = " ".join(f"<{f}>" for f in focus)
    construct = (
        "CONSTRUCT { ?s ?p ?o . ?o a ?t . ?t rdfs:subClassOf ?u } WHERE { "
        f"VALUES ?s {{ {values} }} ?s ?p ?o "
        "OPTIONAL { ?o a ?t OPTIONAL { ?t rdfs:subClassOf ?u } } }"
    )
    triples = store.query(construct, prefixes=PREFIXES)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    ontology = ox.serialize(
        (q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_IRI))),
        format=ox.RdfFormat.N_TRIPLES,
    )
    graph = rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")
    graph.parse(data=ontology.decode("utf-8"), format="nt")
    return graph, [rdflib.URIRef(f) for f in focus]


def _select(store: ox.Store, query: str) -> list[list[str]]:
    """Rows of a SELECT over the default graph, as lexical values."""
    result = store.query(query, prefixes=PREFIXES)  # default graph = merge (chainkg.store)
    names = [v.value for v in result.variables]
    return [[s[n].value if s[n] is not None else "" for n in names] for s in result]
