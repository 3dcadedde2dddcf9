"""Stage 4 — SHACL validation: `validate(quads) -> ValidationReport`.

pyshacl checks the data (all named graphs merged) against `ontology/shapes.ttl`, with the
ontology mixed in so that vocabulary individuals (stages, statuses, roles) carry their types.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from chainkg.config import ONTOLOGY_DIR

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
