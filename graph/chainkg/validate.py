"""Stage 4 — SHACL validation: `validate(quads) -> ValidationReport`.

pyshacl checks the data (all named graphs merged) against `ontology/shapes.ttl`, with the
ontology mixed in so that vocabulary individuals (stages, statuses, roles) carry their types.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.collection
from pyshacl import Validator
from pyshacl.graph_abstraction import DataGraph

from chainkg.config import ONTOLOGY_DIR, package_resource
from chainkg.vocab import PREFIXES

SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
ONTOLOGY_FILE = ONTOLOGY_DIR / "chainkg.ttl"


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


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    return rdflib.BNode(term.value)


def to_rdflib(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """Merge quads into one rdflib graph. Terms are converted directly (each once): twice as
    fast as serializing N-Triples and parsing them with rdflib."""
    cache: dict = {}

    def term(t):  # noqa: ANN001, ANN202 - a local memo over pyoxigraph terms
        converted = cache.get(t)
        if converted is None:
            converted = cache[t] = _rdflib_term(t)
        return converted

    graph = rdflib.Graph()
    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


@dataclass(frozen=True)
class Trusted:
    """Nodes whose shape constraints their writer makes true by construction (see
    `chainkg.mapping_panorama.REFERENCE_CLASSES`): the nodes whose IRIs start with one of
    `prefixes`, the only instances of `classes`."""

    prefixes: tuple[str, ...]
    classes: tuple[str, ...]


_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SUBCLASS_OF = ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")


def validate(
    quads: Iterable[ox.Quad], shapes: Path = SHAPES_FILE, trusted: Trusted | None = None
) -> ValidationReport:
    """Validate the assembled graph against the SHACL shapes.

    With `trusted`, the triples about trusted nodes are left out but for their types in
    `trusted.classes` (so that other nodes' values are still checked against those classes),
    and so are the node shapes that target only those classes."""
    shapes_graph = parse_turtle(shapes, "The SHACL shapes file")
    if trusted is not None:
        classes = {ox.NamedNode(c) for c in trusted.classes}
        quads = (
            q
            for q in quads
            if not q.subject.value.startswith(trusted.prefixes)
            or (q.predicate == _RDF_TYPE and q.object in classes)
        )
        sh = rdflib.Namespace(SH)
        for shape in set(shapes_graph.subjects(sh.targetClass, None)):
            targets = {str(t) for t in shapes_graph.objects(shape, sh.targetClass)}
            if targets <= set(trusted.classes):
                shapes_graph.remove((shape, None, None))
    conforms, report_graph, text = _pyshacl(to_rdflib(quads), shapes_graph)
    return ValidationReport(conforms, report_graph, text)


def parse_turtle(path: Path, what: str) -> rdflib.Graph:
    """A Turtle file (the shapes, the ontology) as an rdflib graph; ResourceMissing names a
    missing file instead of an empty or cryptic answer."""
    return rdflib.Graph().parse(package_resource(Path(path), what), format="turtle")


class _FocusSetValidator(Validator):
    """pyshacl's Validator, its focus nodes held as a set. pyshacl keeps them as a list and
    asks `node in focus_nodes` for every target of every shape and property shape it
    visits: with the 704 sampled nodes of a large build's validation that is ~30M term
    comparisons, 3.4 of its 8.4 s at 1M (and at any size: the sample is per class)."""

    def make_executor(self):  # noqa: ANN201 - pyshacl's SHACLExecutor
        executor = super().make_executor()
        if executor.focus_nodes:
            executor.focus_nodes = frozenset(executor.focus_nodes)
        return executor


def _pyshacl(
    data: rdflib.Graph, shapes: Path | rdflib.Graph, focus: list | None = None
) -> tuple[bool, rdflib.Graph, str]:
    """pyshacl with the shapes (a file or a graph), no inference, SHACL-AF, on `focus`
    nodes if given (what `pyshacl.validate` does with these options, through
    `_FocusSetValidator`)."""
    if not isinstance(shapes, rdflib.Graph):
        shapes = parse_turtle(shapes, "The SHACL shapes file")
    validator = _FocusSetValidator(
        DataGraph.from_rdflib(data),
        shacl_graph=shapes,
        options={
            "inference": "none",
            "advanced": True,
            "allow_warnings": True,
            "inplace": True,  # `data` is built for this call alone: no need for a copy
            "focus_nodes": focus or None,
        },
    )
    conforms, report_graph, text = validator.run()
    return bool(conforms), report_graph, str(text)


# --- The large-graph path: the same shapes, checked where the data lives -----------------
#
# pyshacl needs an rdflib graph: ~40 s for 48k triples here, so hours at 20M. For a store we
# (1) compile every node shape's property constraints to SPARQL (one cardinality query and one
# value query per property shape, plus node-level sh:class and sh:sparql) and run them over the
# WHOLE store in Oxigraph; and (2) run pyshacl itself, unchanged, on a stratified sample of
# focus nodes (up to `sample` per target class, with their outgoing triples, the types of their
# objects and the ontology), which also covers any constraint the compiler does not know.
# Most checks on valid data find nothing, so a check first asks a cheap question: does the
# target class have instances, and (value and maximum-count checks) does its path, over any
# subject, hold a bad value or several values? Only a "yes" runs the check itself (measured
# at 1M: the registry fields' checks cost ~40 CPU-s in joins with 1M enterprises holding
# none of those fields; their probes ~0. Where every enterprise has them, a probe is one scan
# of the path, not yet measured against the old join).
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
SMALL_CLASS = 50_000  # below this many focus nodes, per-node lookups beat whole-property scans
# A per-node lookup costs about as much as scanning this many rows (1M store: ~20 µs against
# ~0.5 µs a row), which decides lookups or scans when the path's triples are counted.
LOOKUP_ROWS = 40
PARALLEL_FOCUS_NODES = 200_000  # from this many, a second process shares the checks


@dataclass(frozen=True)
class StoreCheck:
    """One compiled SPARQL check: which shape and path it comes from, and its query."""

    shape: str
    target: str
    path: str
    what: str
    query: str  # for large target classes: scans and hash joins
    small: str = ""  # the same check per focus node, for small target classes
    probe: str = ""  # an ASK over the path alone, any class: false means nothing to find
    # the SHACL constraint components a value check tests (sh:datatype -> "datatype", ...),
    # for a guarantee of some of them only (`is_guaranteed`); () for the other checks
    components: tuple[str, ...] = ()

    def for_size(self, focus_nodes: int, path_triples: int | None = None) -> str:
        """The query to run when the target class has this many instances (and the path
        this many triples, if known: a scan reads them all, a lookup costs ~40 rows)."""
        if not self.small:
            return self.query
        if path_triples is None:
            return self.small if focus_nodes < SMALL_CLASS else self.query
        return self.small if LOOKUP_ROWS * focus_nodes < focus_nodes + path_triples else self.query


def compile_shapes(shapes: Path = SHAPES_FILE) -> tuple[list[StoreCheck], list[str]]:
    """SPARQL checks for the shapes, and the constraints left to the sampled pyshacl run."""
    g = parse_turtle(shapes, "The SHACL shapes file")
    g += parse_turtle(ONTOLOGY_FILE, "The ontology file")  # for rdfs:subClassOf
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
                        f"SELECT ?this WHERE {{ {{ {this} }} "
                        f"MINUS {{ {_instance('?this', g, cls)} }} }}",
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
    # Query shapes chosen for Oxigraph at scale: a join of `?this a T` with `?this p ?v`
    # costs an index lookup per row and any FILTER decodes every term (µs a row), whereas
    # a pattern scan and MINUS (a hash anti-join) stay near 0.5 µs a row. So: "missing"
    # is T MINUS p; "too many" groups p alone, then joins T on the few hits; values are
    # filtered on p alone, then joined with T.
    lo, hi = g.value(prop, sh.minCount), g.value(prop, sh.maxCount)
    if lo is not None and hi is not None and int(lo) == int(hi) == 1:
        # (HAVING cannot use a SELECT alias: it is evaluated before the projection)
        # exactly one: "none" as below; "several" skipped when the store's own counts
        # show one value per subject (two aggregates without GROUP BY: ~0.4 µs a row)
        what = "count outside [1, 1]"
        out += [
            StoreCheck(
                shape,
                target,
                str(path),
                what,
                f"SELECT ?this WHERE {{ {{ {this} }} MINUS {{ ?this {p} ?v }} }}",
                f"SELECT ?this WHERE {{ {this} FILTER NOT EXISTS {{ ?this {p} ?v }} }}",
            ),
            StoreCheck(
                shape,
                target,
                str(path),
                what,
                f"SELECT ?this WHERE {{ {_grouped(p, this, '> 1')} }}",
                f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {this} ?this {p} ?v }} "
                "GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > 1)",
                _several_values(p),
            ),
        ]
    elif lo is not None or hi is not None:
        parts, bad = [], []
        if lo is not None:
            bad.append(f"COUNT(DISTINCT ?v) < {int(lo)}")
            parts.append(f"{{ {this} }} MINUS {{ ?this {p} ?v }}")
            if int(lo) > 1:
                parts.append(_grouped(p, this, f"< {int(lo)}"))
        if hi is not None:
            bad.append(f"COUNT(DISTINCT ?v) > {int(hi)}")
            parts.append(_grouped(p, this, f"> {int(hi)}"))
        out.append(
            StoreCheck(
                shape,
                target,
                str(path),
                f"count outside [{lo or 0}, {hi or '*'}]",
                "SELECT DISTINCT ?this WHERE { { " + " } UNION { ".join(parts) + " } }",
                f"SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE {{ {this} "
                f"OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this HAVING ({' || '.join(bad)})",
                # "too many" alone (no minimum): nothing to find if no subject has several
                _several_values(p) if lo is None and hi is not None and int(hi) == 1 else "",
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
                f"SELECT ?this WHERE {{ {{ {this} }} MINUS "
                f"{{ ?this {p} ?v FILTER(LANG(?v) IN ({wanted})) }} }}",
                f"SELECT ?this WHERE {{ {this} FILTER NOT EXISTS "
                f"{{ ?this {p} ?v FILTER(LANG(?v) IN ({wanted})) }} }}",
            )
        )
    bad_value: list[str] = []
    parts = []
    components = [name for name in _VALUE_COMPONENTS if g.value(prop, sh[name]) is not None]
    cls = g.value(prop, sh["class"])
    if cls is not None:
        bad_value.append(f"NOT EXISTS {{ ?v a/rdfs:subClassOf* <{cls}> }}")
        parts.append(f"{{ ?this {p} ?v }} MINUS {{ {_instance('?v', g, cls)} }}")
    filters: list[str] = []
    datatype = g.value(prop, sh.datatype)
    if datatype == rdflib.RDF.langString:  # the same test without decoding the text
        filters.append('COALESCE(LANG(?v), "") = ""')
    elif datatype is not None:
        filters.append(f"!isLITERAL(?v) || DATATYPE(?v) != <{datatype}>")
    allowed = g.value(prop, sh["in"])
    if allowed is not None:
        values = [v.n3() for v in rdflib.collection.Collection(g, allowed)]
        filters.append(f"?v NOT IN ({', '.join(values)})")
    if g.value(prop, sh.nodeKind) == sh.IRI:
        filters.append("!isIRI(?v)")
    low = g.value(prop, sh.minInclusive)
    if low is not None:
        filters.append(f"!(?v >= {low.n3()})")
    length = g.value(prop, sh.minLength)
    if length is not None:
        filters.append(f"STRLEN(STR(?v)) < {int(length)}")
    if filters:
        bad_value += filters
        parts.append(f"?this {p} ?v FILTER(({') || ('.join(filters)}))")
    if parts:
        out.append(
            StoreCheck(
                shape,
                target,
                str(path),
                "value: " + " or ".join(bad_value),
                f"SELECT ?this ?v WHERE {{ {{ SELECT {'DISTINCT ' * (len(parts) > 1)}"
                "?this ?v WHERE { { " + " } UNION { ".join(parts) + f" }} }} }} {this} }}",
                f"SELECT ?this ?v WHERE {{ {this} ?this {p} ?v "
                f"FILTER(({') || ('.join(bad_value)})) }}",
                # the bad values of any subject: none (often no triple at all), no check
                "ASK { { " + " } UNION { ".join(parts) + " } }",
                tuple(components),
            )
        )
    return out


# the constraint components the value check of a property compiles (`_property_checks`)
_VALUE_COMPONENTS = ("class", "datatype", "in", "nodeKind", "minInclusive", "minLength")


def _several_values(p: str) -> str:
    """ASK whether any subject has several `p` values (the store's triples are a set: as
    many rows as subjects means one value each; two aggregates, no GROUP BY)."""
    return (
        f"ASK {{ {{ SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?this) AS ?d) "
        f"WHERE {{ ?this {p} ?v }} }} FILTER(?n != ?d) }}"
    )


def _instance(var: str, g: rdflib.Graph, cls: rdflib.term.Node) -> str:
    """`var a/rdfs:subClassOf* cls` with the subclasses listed (no path per row)."""
    classes = sorted(g.transitive_subjects(rdflib.RDFS.subClassOf, cls), key=str)
    return f"VALUES ?class {{ {' '.join(f'<{c}>' for c in classes)} }} {var} a ?class"


def _grouped(p: str, this: str, having: str) -> str:
    """Focus nodes whose number of `p` values satisfies `having` (COUNT(*): the store's
    triples are a set, so as many as distinct values, at half the cost)."""
    return (
        f"{{ SELECT ?this WHERE {{ ?this {p} ?v }} GROUP BY ?this "
        f"HAVING (COUNT(*) {having}) }} {this}"
    )


# (target class, property path), None = any; or (target class, path, constraint component):
# only the value checks testing that component alone (e.g. "datatype": the writer gives
# every value of the path one fixed datatype, while how many values a node has is data's)
Guarantee = tuple[str | None, str | None] | tuple[str | None, str | None, str]


def is_guaranteed(check: StoreCheck, guarantees: Iterable[Guarantee]) -> bool:
    """Whether a guarantee (see Guarantee) covers the check."""
    return any(
        (g[0] is None or g[0] == check.target)
        and (g[1] is None or g[1] == check.path)
        and (len(g) == 2 or check.components == (g[2],))
        for g in guarantees
    )


def validate_store(
    store: ox.Store,
    shapes: Path = SHAPES_FILE,
    sample: int = 50,
    on_check: Callable[[StoreCheck], None] | None = None,
    path: Path | None = None,
    guaranteed: Iterable[Guarantee] = (),
) -> ValidationReport:
    """Validate a whole store: compiled SPARQL checks over all of it, pyshacl on a sample.

    With `path` (the store's folder, flushed) and at least PARALLEL_FOCUS_NODES focus nodes,
    about half of the heavy checks run in a second process on a read-only view of the store
    (Oxigraph holds the GIL while a query is consumed, so threads would not overlap).
    Checks covered by `guaranteed` (constraints the writer of the store makes true by
    construction, see `chainkg.mapping.ASSEMBLY_GUARANTEES`) are left to the pyshacl sample.
    """
    sh = rdflib.Namespace(SH)
    checks, skipped = compile_shapes(shapes)
    guaranteed = list(guaranteed)
    trusted = [c for c in checks if is_guaranteed(c, guaranteed)]
    checks = [c for c in checks if not is_guaranteed(c, guaranteed)]
    sizes = {t: _count(store, f"?s a <{t}>") for t in dict.fromkeys(c.target for c in checks)}
    results = _nothing_to_find(store, checks, sizes)
    triples = {
        path: _count(store, f"?s <{path}> ?o")
        for path in dict.fromkeys(c.path for i, c in enumerate(checks) if i not in results)
        if path
    }
    queries = [
        f"{c.for_size(sizes[c.target], triples.get(c.path))} LIMIT {_ROWS_PER_CHECK}"
        for c in checks
    ]
    remote: list[int] = []
    left = [i for i in range(len(checks)) if i not in results]
    if path is not None and sum(sizes[checks[i].target] for i in left) >= PARALLEL_FOCUS_NODES:
        remote = [left[i] for i in _split_by_cost([checks[i] for i in left], sizes)]
    worker = _start_worker(path, [queries[i] for i in remote]) if remote else None
    try:
        for i, check in enumerate(checks):
            if i not in remote and i not in results:
                results[i] = _select(store, queries[i])
                if on_check:
                    on_check(check)
        data, focus = _sample_graph(store, shapes, sample)
        if worker is not None:
            answer, _err = worker.communicate()
            if worker.returncode:
                raise RuntimeError(f"store check worker failed (exit {worker.returncode})")
            results.update(zip(remote, json.loads(answer), strict=True))
            for i in remote:
                if on_check:
                    on_check(checks[i])
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()
    found = [(check, results[i]) for i, check in enumerate(checks) if results[i]]
    conforms, report_graph, text = _pyshacl(data, shapes, focus)
    lines = [text] if not conforms else []
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
        f"Store validation: {len(checks)} SPARQL checks over the whole store"
        + (f" ({len(trusted)} more guaranteed by the assembler: sample only)" if trusted else "")
        + f", pyshacl on {len(focus)} sampled focus nodes; "
        + ("conforms." if ok else f"{len(lines)} problem(s).")
        + (f" Sample-only constraints: {', '.join(skipped)}." if skipped else "")
    )
    return ValidationReport(ok, report_graph, "\n".join([summary, *lines]))


def _count(store: ox.Store, pattern: str) -> int:
    return int(_select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")[0][0])


def _nothing_to_find(
    store: ox.Store, checks: list[StoreCheck], sizes: dict[str, int]
) -> dict[int, list[list[str]]]:
    """The checks answered without running them (an empty answer for each index): those
    whose target class has no instance, and those whose probe over the path alone finds
    nothing (asked once per probe: classes sharing a path share it)."""
    answers: dict[str, bool] = {}
    empty: dict[int, list[list[str]]] = {}
    for i, check in enumerate(checks):
        if sizes[check.target] == 0:
            empty[i] = []
        elif check.probe:
            if check.probe not in answers:
                answers[check.probe] = bool(store.query(check.probe, prefixes=PREFIXES))
            if not answers[check.probe]:
                empty[i] = []
    return empty


def _split_by_cost(checks: list[StoreCheck], sizes: dict[str, int]) -> list[int]:
    """Indexes of the checks for the second process: about half the focus nodes scanned,
    the main process keeping a head start for the pyshacl sample."""
    cost = [sizes[c.target] if sizes[c.target] >= SMALL_CLASS else 0 for c in checks]
    here, there = max(cost) // 2, 0
    remote = []
    for i in sorted(range(len(checks)), key=lambda i: -cost[i]):
        if cost[i] and there < here:
            remote.append(i)
            there += cost[i]
        else:
            here += cost[i]
    return sorted(remote)


def _start_worker(path: Path | None, queries: list[str]) -> subprocess.Popen[str]:
    """A child Python running `queries` on a read-only view of the store at `path`.

    A plain subprocess, not multiprocessing: spawn re-imports the caller's __main__, which
    fails from a REPL or stdin."""
    worker = subprocess.Popen(
        [sys.executable, "-c", "from chainkg.validate import _worker_main; _worker_main()"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert worker.stdin is not None
    worker.stdin.write(json.dumps({"path": str(path), "queries": queries}))
    worker.stdin.close()
    worker.stdin = None  # communicate() must not flush a closed pipe
    return worker


def _worker_main() -> None:
    """Entry point of `_start_worker`'s child: JSON in on stdin, rows out on stdout."""
    job = json.loads(sys.stdin.read())
    store = ox.Store.read_only(job["path"])
    json.dump([_select(store, q) for q in job["queries"]], sys.stdout)


def _sample_graph(store: ox.Store, shapes: Path, sample: int) -> tuple[rdflib.Graph, list]:
    """Up to `sample` focus nodes per target class with their outgoing triples, the types
    of their objects and those types' superclasses, and the ontology (for the types of
    vocabulary individuals). Read through the store's indexes, pattern by pattern, and
    converted term by term: 0.8 + 0.6 s at 1M where a CONSTRUCT, N-Triples and rdflib's
    parser took 1.2-1.7 + 1.3-1.6 s for the same 65k triples."""
    g = parse_turtle(shapes, "The SHACL shapes file")
    targets = sorted({str(t) for t in g.objects(None, rdflib.URIRef(SH + "targetClass"))})
    default = ox.DefaultGraph()  # the merge of every graph (chainkg.store)
    focus = list(
        dict.fromkeys(
            q.subject
            for target in targets
            for q in islice(
                store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(target), default), sample
            )
        )
    )
    triples = [q for node in focus for q in store.quads_for_pattern(node, None, None, default)]
    objects = dict.fromkeys(q.object for q in triples if not isinstance(q.object, ox.Literal))
    types = [q for o in objects for q in store.quads_for_pattern(o, _RDF_TYPE, None, default)]
    classes = dict.fromkeys(q.object for q in types)
    supers = [q for c in classes for q in store.quads_for_pattern(c, _SUBCLASS_OF, None, default)]
    graph = to_rdflib(chain(triples, types, supers))
    # the store may hold no ontology graph
    graph.parse(package_resource(ONTOLOGY_FILE, "The ontology file"), format="turtle")
    return graph, [rdflib.URIRef(node.value) for node in focus]


def _select(store: ox.Store, query: str) -> list[list[str]]:
    """Rows of a SELECT over the default graph, as lexical values."""
    result = store.query(query, prefixes=PREFIXES)  # default graph = merge (chainkg.store)
    names = [v.value for v in result.variables]
    return [[s[n].value if s[n] is not None else "" for n in names] for s in result]
