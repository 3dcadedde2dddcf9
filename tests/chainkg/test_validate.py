"""Stage 4: SHACL. The seed graph conforms; broken graphs are caught."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from chainkg.assemble import assemble
from chainkg.config import ONTOLOGY_DIR
from chainkg.errors import ResourceMissing
from chainkg.tables import load_seeds
from chainkg.validate import validate
from tests.helpers import copy_tiny

CKG = "https://w3id.org/chainkg/def#"


def tiny_quads(tmp_path: Path) -> list[ox.Quad]:
    return list(assemble(load_seeds(copy_tiny(tmp_path))))


def test_tiny_graph_conforms(tmp_path: Path) -> None:
    report = validate(tiny_quads(tmp_path))
    assert report.conforms, report.text


def test_evidence_without_quote_is_a_violation(tmp_path: Path) -> None:
    quads = [
        q
        for q in tiny_quads(tmp_path)
        if not (q.predicate.value == CKG + "quote" and "enterprise.jia." in q.subject.value)
    ]
    report = validate(quads)
    assert not report.conforms and report.violations == 1
    assert "enterprise.jia.1" in report.text


def test_curator_assertion_without_note_is_a_violation(tmp_path: Path) -> None:
    quads = [q for q in tiny_quads(tmp_path) if q.predicate.value != CKG + "curatorNote"]
    report = validate(quads)
    assert not report.conforms and "curatorNote" in report.text


def test_fact_without_evidence_is_a_violation(tmp_path: Path) -> None:
    quads = [
        q
        for q in tiny_quads(tmp_path)
        if not (q.predicate.value == CKG + "evidence" and q.subject.value.endswith("/yi"))
    ]
    report = validate(quads)
    assert not report.conforms and "enterprise/yi" in report.text


def test_every_class_has_a_shape() -> None:
    onto = rdflib.Graph().parse(ONTOLOGY_DIR / "chainkg.ttl")
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    classes = {
        c for c in onto.subjects(rdflib.RDF.type, rdflib.OWL.Class) if str(c).startswith(CKG)
    }
    targeted = set(shapes.objects(None, sh.targetClass))
    assert classes - targeted == set()


def test_the_shapes_are_a_parameter_and_a_missing_file_is_named(tmp_path: Path) -> None:
    quads = tiny_quads(tmp_path)
    strict = tmp_path / "strict.ttl"
    strict.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix ckg: <https://w3id.org/chainkg/def#> .\n"
        "@prefix dct: <http://purl.org/dc/terms/> .\n"
        "<#S> a sh:NodeShape ; sh:targetClass ckg:Enterprise ;\n"
        "    sh:property [ sh:path dct:description ; sh:minCount 1 ] .\n",
        encoding="utf-8",
    )
    report = validate(quads, shapes=strict)
    assert not report.conforms and report.violations == 3  # the tiny case's three enterprises
    with pytest.raises(ResourceMissing, match="SHACL shapes file not found"):
        validate(quads, shapes=tmp_path / "missing.ttl")
