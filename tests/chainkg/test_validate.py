"""Stage 4: SHACL. The seed graph conforms; broken graphs are caught."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from chainkg.assemble import assemble
from chainkg.config import ONTOLOGY_DIR
from chainkg.errors import ResourceMissing
from chainkg.mapping import ontology_quads, register_quads
from chainkg.mapping_panorama import _industry_codes, _Out, _panoramas, reference_node_prefixes
from chainkg.ntriples import RowBuilder
from chainkg.pipeline import reference_trust
from chainkg.reference import GBT_FILE, SEI_FILE, load_reference
from chainkg.registry_import import import_enterprises
from chainkg.synth_registry import synthesize_registry, synthesize_registry_dataset
from chainkg.tables import Seeds, load_seeds
from chainkg.validate import validate
from tests.helpers import REPO, copy_tiny

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


def test_two_stages_in_the_zone_are_a_violation(tmp_path: Path) -> None:
    """An actor has one stage in the zone (its most advanced presence, chainkg.presence)."""
    quads = tiny_quads(tmp_path)
    stage = ox.NamedNode(CKG + "zoneStage")
    (first,) = [q for q in quads if q.predicate == stage and q.subject.value.endswith("/jia")]
    second = ox.Quad(first.subject, stage, ox.NamedNode(CKG + "PresentBuilding"), first.graph_name)
    report = validate([*quads, second])
    assert not report.conforms and report.violations == 1
    assert "one stage in the zone" in report.text and "enterprise/jia" in report.text


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


# --- The reference nodes: their shapes hold by construction (mapping_panorama) -------------


def _whole_reference(seeds: Seeds) -> list[ox.Quad]:
    """What the reference mapping writes for the whole packaged reference, under the data
    set's base IRI: every category of every panorama and every GB/T code (a data set writes
    a subset: the codes its categories and registry rows use)."""
    builder = RowBuilder(seeds)
    out = _Out(builder)
    reference = load_reference()
    frame = seeds.tables["sources"]
    files = dict(zip(frame["file"], frame["id"], strict=True))
    _panoramas(out, reference, files[SEI_FILE])
    # (a data set that registers no GB/T file writes no code nodes: a superset here)
    _industry_codes(out, reference, files.get(GBT_FILE, "gbt"), set(reference.codes))
    return list(ox.parse(out.text()[0], format=ox.RdfFormat.N_QUADS))


@pytest.fixture(scope="module")
def whole_reference() -> tuple[Seeds, list[ox.Quad]]:
    """The seeds, and the whole reference with the ontology and the seeds' sources (those
    of the evidence)."""
    seeds = load_seeds(REPO / "seeds")
    sources = [q for q in register_quads(seeds) if "/source/" in q.subject.value]
    return seeds, [*ontology_quads(), *sources, *_whole_reference(seeds)]


def test_the_whole_reference_conforms(whole_reference) -> None:
    """The guarantee behind leaving the reference nodes out of the small build's pyshacl."""
    _seeds, quads = whole_reference
    prefixes = reference_node_prefixes(_seeds.config.base_iri)
    assert sum(q.subject.value.startswith(prefixes) for q in quads) > 40_000
    report = validate(quads)
    assert report.conforms, report.text


def _registry_seeds(tmp_path: Path) -> Seeds:
    export = synthesize_registry(300, tmp_path / "export.csv", seed=1).path
    folder = synthesize_registry_dataset(tmp_path / "seeds", "registry-export")
    import_enterprises(export, folder, date="2024-01-01")
    return load_seeds(folder)


@pytest.mark.parametrize("data_set", ["seeds", "registry"])
def test_rows_write_nothing_about_reference_nodes(whole_reference, tmp_path, data_set) -> None:
    """Every triple about a reference node in a built graph is one the reference mapping
    writes from the packaged files: no row adds to or changes those nodes."""
    seeds = whole_reference[0] if data_set == "seeds" else _registry_seeds(tmp_path)
    prefixes = reference_node_prefixes(seeds.config.base_iri)
    reference = {q.triple for q in _whole_reference(seeds)}
    about = {q.triple for q in assemble(seeds) if q.subject.value.startswith(prefixes)}
    assert len(about) > 10_000
    assert about <= reference


def test_trusted_reference_nodes_still_type_the_rows_values(tmp_path: Path) -> None:
    """Left out of pyshacl but for their types: a row's value is still checked against
    them (a segment mapping's category must be a ckg:ReferenceCategory)."""
    seeds = load_seeds(REPO / "seeds")
    quads = list(dict.fromkeys(assemble(seeds)))
    trusted = reference_trust(seeds.config.base_iri)
    assert validate(quads, trusted=trusted).conforms
    mapping = next(q for q in quads if q.predicate.value == CKG + "category")
    enterprise = next(q.subject for q in quads if q.object == ox.NamedNode(CKG + "Enterprise"))
    bad = ox.Quad(mapping.subject, mapping.predicate, enterprise, mapping.graph_name)
    report = validate([q for q in quads if q != mapping] + [bad], trusted=trusted)
    assert not report.conforms and mapping.subject.value in report.text
