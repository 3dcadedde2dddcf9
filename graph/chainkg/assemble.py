"""Stage 3 (small graphs) — assemble RDF: `assemble(seeds) -> Iterator[Quad]`.

The quads are `mapping.assemble_nquads(seeds)` parsed by Oxigraph: the same row mapping as the
streaming build (`stream`), kept in memory instead of written to files. Order: ontology,
register, then each table in schema order and each row in file order; duplicates are kept (a
row quoted from two sources is in both sources' graphs).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from chainkg.mapping import assemble_nquads
from chainkg.tables import Seeds


def assemble(seeds: Seeds) -> Iterator[ox.Quad]:
    """All quads of the graph: ontology, source register, then every curated row."""
    for chunk in assemble_nquads(seeds):
        yield from ox.parse(chunk, format=ox.RdfFormat.N_QUADS)
