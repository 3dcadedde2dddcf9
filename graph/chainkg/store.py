"""Open a built graph as a pyoxigraph store for SPARQL: `open_store(path) -> Store`.

Query stores hold every quad in its named graph (one per source article) and, in the default
graph, the merge of all of them. The merge is a set: a fact quoted from two articles is one
triple there, whereas Oxigraph's union-default-graph mode would match it twice. Queries run
against the default graph; `GRAPH ?g { ... }` still reaches the per-article graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from chainkg.errors import SeedError
from chainkg.vocab import PREFIXES

FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
DEFAULT_GRAPH_FILE = Path("out") / "graph.nq"


def with_merged_default_graph(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad, followed by its triple in the default graph."""
    default = ox.DefaultGraph()
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object, default)


def store_from_quads(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory query store: the quads plus their merge in the default graph."""
    store = ox.Store()
    store.extend(with_merged_default_graph(quads))
    return store


def open_store(path: Path | str = DEFAULT_GRAPH_FILE) -> ox.Store:
    """Load a graph file (by extension), or open an on-disk Oxigraph store folder."""
    path = Path(path)
    if path.is_dir():
        try:
            return ox.Store.read_only(str(path))
        except OSError as exc:
            raise SeedError.at(
                path,
                f"not an Oxigraph store folder ({exc})",
                "Pass the store a large build wrote (out/store) or a graph file",
            ) from None
    if not path.is_file():
        raise SeedError.at(
            path, "graph not found", "Build it first with `chainkg build`, or pass --graph"
        )
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise SeedError.at(path, "unknown RDF file extension", f"Use one of {', '.join(FORMATS)}")
    return store_from_quads(ox.parse(path=str(path), format=fmt))


def export_store(store: ox.Store, path: Path | str) -> Path:
    """Write the store to `path` in the format its extension names: the default graph (the
    merged triples) for triple formats (.ttl, .nt, ...), every graph for .nq / .trig.
    Written to a temporary file, then renamed.

    Oxigraph's own writer, streaming from the store: a large build's store of 24M triples
    dumps without being held in memory."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise ValueError(
            f"unknown RDF file extension '{path.suffix}': use one of {', '.join(FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    graph = None if fmt.supports_datasets else ox.DefaultGraph()
    try:
        store.dump(str(tmp), format=fmt, from_graph=graph, prefixes=PREFIXES)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
