"""Open a built graph as a pyoxigraph store for SPARQL: `open_store(path) -> Store`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from chainkg.errors import SeedError, SeedProblem

FORMATS = {
    ".nq": ox.RdfFormat.N_QUADS,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
}
DEFAULT_GRAPH_FILE = Path("out") / "graph.nq"


def store_from_quads(quads: Iterable[ox.Quad]) -> ox.Store:
    """An in-memory store holding the quads."""
    store = ox.Store()
    store.extend(quads)
    return store


def open_store(path: Path | str = DEFAULT_GRAPH_FILE) -> ox.Store:
    """Load a graph file (by extension), or open an on-disk Oxigraph store folder."""
    path = Path(path)
    if path.is_dir():
        return ox.Store.read_only(str(path))
    if not path.is_file():
        raise SeedError(
            [
                SeedProblem(
                    str(path),
                    None,
                    None,
                    "graph not found",
                    "Build it first with `chainkg build`, or pass --graph",
                )
            ]
        )
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        raise SeedError(
            [
                SeedProblem(
                    str(path),
                    None,
                    None,
                    "unknown RDF file extension",
                    f"Use one of {', '.join(FORMATS)}",
                )
            ]
        )
    store = ox.Store()
    store.bulk_load(path=str(path), format=fmt)
    return store
